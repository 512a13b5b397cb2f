/**
 * Adyen's Postman collection (reference/adyen-postman-ipp.json): its request bodies, and values for
 * their `{{variables}}` as the collection's pre-request scripts would set them.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { b64 } from "../simulator/helpers.js";
import { sharedDir } from "./paths.js";

interface PostmanItem {
  name: string;
  item?: PostmanItem[];
  request?: { body?: { raw?: string } };
}

export const collection = JSON.parse(readFileSync(join(sharedDir, "reference", "adyen-postman-ipp.json"), "utf8")) as {
  item: PostmanItem[];
};

export function requests(items: PostmanItem[], path: string[] = []): Array<{ name: string; raw: string }> {
  return items.flatMap((item) =>
    item.item
      ? requests(item.item, [...path, item.name])
      : item.request?.body?.raw
        ? [{ name: [...path, item.name].join(" / "), raw: item.request.body.raw }]
        : [],
  );
}

export const POIID = "V400m-324688179";
let n = 0;
export const fresh = () => `POS${String(++n).padStart(7, "0")}`;

/** Values for the collection's variables, as its pre-request scripts would set them. */
export function fill(raw: string, vars: Record<string, string>): string {
  return raw.replace(/\{\{(\$?\w+)\}\}/g, (_, name: string) => {
    if (name === "serviceId" || name === "serviceID") return fresh();
    // Postman's dynamic variables.
    if (name === "$timestamp") return String(1767225600 + n);
    if (name === "$isoTimestamp") return "2026-01-01T00:00:00.000Z";
    if (!(name in vars)) throw new Error(`no value for {{${name}}}`);
    return vars[name];
  });
}

export function baseVars(): Record<string, string> {
  return {
    saleId: "TestPOS",
    poiId: POIID,
    currency: "EUR",
    paymentTransactionId: "1699360000",
    paymentTimeStamp: "2026-01-01T00:00:00.000Z",
    originalPOIID: POIID,
    inProcessMessageCategory: "Payment",
    inProcessSaleId: "TestPOS",
    inProcessServiceId: "",
    originalAmount: "58.00",
    splitTransactionId: "split-1",
    requestedAmount: "30.00",
    paidAmount: "10.00",
    saleToPoiData: b64({ Operation: [{ Type: "NFCReadUID" }] }),
    poiTransactionId: "",
    poiTimeStamp: "2026-01-01T00:00:05.000Z",
    serverIdentification: "",
    xhtml: Buffer.from('<img src="data:image/png;base64,iVBORw0KGgo="/>').toString("base64"),
    date: "1/1/2026, 12:00:00",
    day: "Thursday",
    itemsTable: '{"CharacterStyle":"Normal","Alignment":"Left","EndOfLineFlag":true,"Text":"14 Taco de pastor 16.80"},',
    taxesTable: '{"CharacterStyle":"Normal","Alignment":"Left","EndOfLineFlag":true,"Text":"10% 1.68"},',
    total: "16.80",
    amount: "42.00",
    instalments: "3",
  };
}
