/**
 * The simulator fuzzer's cases: HTTP requests a careless or hostile POS could send. Real bodies
 * (Adyen's Postman collection, the requests termflow's own example flows send) mutated by structure
 * and by bytes, random JSON, wrong types, deep nesting, huge strings, bad encodings, encrypted
 * envelopes tampered with, control API calls with mutated bodies and paths, and raw bytes that are
 * not quite HTTP. Case `i` of a family is drawn from its own seed, as the parser cases are.
 */
import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { encryptEnvelope, type NexoKey } from "../../protocol/index.js";
import { CONTROL_ROUTES } from "../../simulator/control/routes.js";
import { fromRoot } from "../support/paths.js";
import { baseVars, collection, fill, requests } from "../support/postman.js";
import { caseSeed } from "../support/fuzz.js";

/** The key the fuzzed simulator is started with, so `/nexo` takes encrypted requests. */
export const FUZZ_KEY: NexoKey = { identifier: "FuzzKey", version: 1, passphrase: "fuzz-passphrase" };

/** One HTTP request, or raw bytes on a fresh connection. */
export type SimCase =
  | { family: string; kind: "http"; method: string; path: string; headers: Record<string, string>; body?: Buffer }
  | {
      family: string;
      kind: "raw";
      bytes: Buffer;
      /** Close our side after writing, mid-request. */
      hangUp: boolean;
      /** Whether the bytes hold a whole request (else the server rightly waits for the rest). */
      complete: boolean;
    };

type Json = unknown;

/** The bodies everything starts from: every Postman body that fills, and termflow's own requests. */
function seedBodies(): Json[] {
  const vars = baseVars();
  const out: Json[] = [];
  for (const { raw } of requests(collection.item)) {
    try {
      out.push(JSON.parse(fill(raw, { ...vars })));
    } catch {
      // A body whose variables this table does not know: the others cover its shape.
    }
  }
  for (const file of readdirSync(fromRoot("test/runtime/golden")).filter((f) => f.endsWith(".requests.json")))
    out.push(...(JSON.parse(readFileSync(fromRoot("test/runtime/golden", file), "utf8")) as Json[]));
  return out;
}

let seeds: Json[] | undefined;
const bodies = () => (seeds ??= seedBodies());

/** Every path to a value inside `value`, as key lists (not inside what an earlier edit nested deep). */
function pathsOf(value: Json, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (at.length >= 16) return out;
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...at, i], out));
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value as Record<string, Json>)) pathsOf(v, [...at, k], out);
  return out;
}

function setAt(root: Json, path: (string | number)[], value: Json | typeof DELETE): Json {
  if (path.length === 0) return value === DELETE ? null : value;
  let node = root as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Json>;
  const last = path[path.length - 1];
  if (value === DELETE) {
    if (Array.isArray(node)) node.splice(last as number, 1);
    else delete node[last];
  } else node[last] = value;
  return root;
}
const DELETE = Symbol("delete");

const deep = (depth: number, open: "[" | "{") =>
  open === "["
    ? JSON.parse(`${"[".repeat(depth)}1${"]".repeat(depth)}`)
    : JSON.parse(`${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`);

/** A value of the wrong kind, or an extreme one of the right kind. */
const hostileValue: fc.Arbitrary<Json | typeof DELETE> = fc.oneof(
  fc.constant(DELETE),
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom<Json>(null, true, false, 0, -1, -0, 1e308, 1.5e-300, 12345678901234567000, 1.005, "", " ", [], {}),
  fc.constantFrom<Json>(
    "\u0000",
    "\ud800",
    "\u202e",
    "\u001b[31m",
    "%ZZ",
    "../..",
    "__proto__",
    "constructor",
    "toString",
  ),
  fc.constantFrom<Json>("EUR", "XXX", "eur", "12.50", "NaN", "Infinity", "2026-13-45T99:99:99Z", "A".repeat(11)),
  fc.integer({ min: 2, max: 4000 }).map((d) => deep(d, "[")),
  fc.integer({ min: 2, max: 4000 }).map((d) => deep(d, "{")),
  fc.integer({ min: 10_000, max: 1_100_000 }).map((n) => "x".repeat(n)),
  fc.string({ unit: "binary", maxLength: 40 }),
);

/** Structural edits: values replaced by hostile ones, keys added, bodies deleted or doubled. */
const mutatedBodyArb = fc
  .tuple(
    fc.nat(),
    fc.array(fc.tuple(fc.nat(), hostileValue, fc.option(fc.string({ maxLength: 12 }), { freq: 3 })), {
      minLength: 1,
      maxLength: 4,
    }),
  )
  .map(([which, edits]) => {
    let body = structuredClone(bodies()[which % bodies().length]);
    for (const [at, value, newKey] of edits) {
      const paths = pathsOf(body);
      const path = paths[at % paths.length];
      if (newKey !== null) {
        const parent = path.length ? path : [];
        let node = body as Record<string, Json>;
        for (const k of parent) node = (node as Record<string | number, Json>)[k] as Record<string, Json>;
        if (node && typeof node === "object" && !Array.isArray(node) && value !== DELETE) node[newKey] = value;
        continue;
      }
      body = setAt(body, path, value);
    }
    return JSON.stringify(body);
  });

/** Byte-level damage: cut, doubled, invalid UTF-8, other encodings, a BOM, trailing garbage. */
const damagedBytesArb = fc
  .tuple(
    fc.nat(),
    fc.constantFrom("cut", "invalid-utf8", "utf16le", "utf16be", "latin1", "bom", "trailing", "nul", "double"),
    fc.nat(),
  )
  .map(([which, damage, at]): Buffer => {
    const text = JSON.stringify(bodies()[which % bodies().length]);
    const utf8 = Buffer.from(text, "utf8");
    const i = at % (utf8.length + 1);
    switch (damage) {
      case "cut":
        return utf8.subarray(0, i);
      case "invalid-utf8":
        return Buffer.concat([
          utf8.subarray(0, i),
          Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]),
          utf8.subarray(i),
        ]);
      case "utf16le":
        return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
      case "utf16be":
        return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, "utf16le").swap16()]);
      case "latin1":
        return Buffer.from(text.replace(/"([A-Za-z]+)"/, '"é$1ü"'), "latin1");
      case "bom":
        return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]);
      case "trailing":
        return Buffer.concat([utf8, Buffer.from("}]garbage\u0000")]);
      case "nul":
        return Buffer.concat([utf8.subarray(0, i), Buffer.from([0]), utf8.subarray(i)]);
      default:
        return Buffer.concat([utf8, utf8]);
    }
  });

/** An encrypted envelope of a real body, then tampered with (or not), sent to /nexo. */
const encryptedArb = (aim: Aim) =>
  fc
    .tuple(
      fc.nat(),
      fc.constantFrom("intact", "blob-bit", "hmac", "nonce", "header", "base64", "key-id", "version", "trailer"),
      fc.nat(),
    )
    .map(([which, tamper, at]) => {
      const body = JSON.parse(aimed(aim)(JSON.stringify(bodies()[which % bodies().length]))) as Record<string, unknown>;
      let sealed: Record<string, any>;
      try {
        sealed = structuredClone(encryptEnvelope(body, FUZZ_KEY)) as Record<string, any>;
      } catch {
        return JSON.stringify(body);
      }
      const root = sealed.SaleToPOIRequest as Record<string, any>;
      const trailer = root.SecurityTrailer as Record<string, any>;
      const flip = (b64: string) => {
        const bytes = Buffer.from(b64, "base64");
        if (bytes.length) bytes[at % bytes.length] ^= 1 << (at % 8);
        return bytes.toString("base64");
      };
      if (tamper === "blob-bit") root.NexoBlob = flip(root.NexoBlob);
      if (tamper === "hmac") trailer.Hmac = flip(trailer.Hmac);
      if (tamper === "nonce") trailer.Nonce = flip(trailer.Nonce);
      if (tamper === "header") root.MessageHeader = { ...root.MessageHeader, POIID: "V400m-999999999" };
      if (tamper === "base64") root.NexoBlob = `${root.NexoBlob}*!`;
      if (tamper === "key-id") trailer.KeyIdentifier = "OtherKey";
      if (tamper === "version") trailer.KeyVersion = "1";
      if (tamper === "trailer") delete root.SecurityTrailer;
      return JSON.stringify(sealed);
    });

const TERMINAL_PATHS = ["/sync", "/v1/merchants/FuzzMerchant/devices/{poiid}/sync", "/nexo"];

/** A terminal path, mostly well formed, sometimes bent. */
const terminalPathArb = (poiid: string) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...TERMINAL_PATHS).map((p) => p.replace("{poiid}", poiid)) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          "%ZZ",
          "%",
          "%E0%A4%A",
          "a%00b",
          "..%2F..",
          "%2e%2e",
          encodeURIComponent("\u202e"),
          "x".repeat(5000),
          "",
        )
        .map((p) => `/v1/merchants/M/devices/${p}/sync`),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        "/sync?x=%ZZ",
        "//sync",
        "/SYNC",
        "/sync/",
        "/nexo/..",
        "/v1/merchants//devices//sync",
        "*",
      ),
    },
  );

const CONTENT_TYPES = [
  "application/json",
  "text/plain",
  "application/json; charset=utf-16",
  "multipart/form-data; boundary=x",
  "",
];

const httpCase = (family: string, poiid: string, body: fc.Arbitrary<string | Buffer>, path = terminalPathArb(poiid)) =>
  fc
    .tuple(
      path,
      body,
      fc.constantFrom(...CONTENT_TYPES),
      fc.option(fc.constantFrom("gzip", "br", "identity"), { freq: 8 }),
    )
    .map(
      ([p, b, type, encoding]): SimCase => ({
        family,
        kind: "http",
        method: "POST",
        path: p,
        headers: { ...(type ? { "content-type": type } : {}), ...(encoding ? { "content-encoding": encoding } : {}) },
        body: typeof b === "string" ? Buffer.from(b, "utf8") : b,
      }),
    );

/** Valid control bodies per operation: what mutation starts from. */
const CONTROL_BODIES: Record<string, Json[]> = {
  answer: [{ answers: ["confirm", { digits: "1234", thinkMs: 5 }, { select: [1, 3] }, { value: "12.50" }] }],
  when: [
    { prompt: "Split", answer: "decline", times: 1 },
    { prompt: { regex: "^split", flags: "i" }, answer: { text: "x" } },
  ],
  thinkTime: [{ ms: 5 }],
  manual: [{ on: false }],
  respond: [{ answer: { select: 2 } }],
  next: [{ outcomes: ["approve", { outcome: "decline", errorCondition: "Refusal", reason: "199 Card blocked" }] }],
  duration: [{ ms: 5 }],
  present: [{ brand: "visa" }],
  paymentRespond: [{ outcome: "cancel" }],
  inject: [{ fault: { kind: "drop", processed: false }, times: 1, category: "Payment" }],
  delay: [{ ms: 5, category: "Display" }],
  drop: [{ processed: true, times: "every", skip: 1 }],
  http500: [{ processed: false, session: "End" }],
  malformed: [{ skip: 1, category: "PaymentRequest" }],
  busy: [{ category: "Admin" }],
};

/** A control call: a route (or a near miss), a method, a body from the examples mutated. */
const controlArb = (poiids: string[]) =>
  fc
    .tuple(
      fc.constantFrom(...CONTROL_ROUTES.filter((r) => !r.stream)),
      fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...poiids) },
        {
          weight: 1,
          arbitrary: fc.constantFrom("%ZZ", "a%00b", "..%2F..", "%2F", encodeURIComponent("é\u202e"), "x".repeat(3000)),
        },
      ),
      fc.oneof(
        { weight: 8, arbitrary: fc.constant<string | undefined>(undefined) },
        fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH"),
      ),
      fc.oneof({ weight: 3, arbitrary: fc.nat() }, { weight: 1, arbitrary: fc.constant(-1) }),
      fc.array(fc.tuple(fc.nat(), hostileValue), { maxLength: 3 }),
      fc.constantFrom("", "/x", "/", "?a=%ZZ", "/../reset"),
    )
    .map(([route, poiid, method, which, edits, suffix]): SimCase => {
      const examples = CONTROL_BODIES[route.operationId] ?? [{}];
      let body: Json = which < 0 ? undefined : structuredClone(examples[which % examples.length]);
      for (const [at, value] of edits) {
        const paths = pathsOf(body);
        body = setAt(body, paths[at % paths.length], value);
      }
      const path = route.path.replace("{poiid}", poiid) + (suffix && edits.length > 1 ? suffix : "");
      return {
        family: "control",
        kind: "http",
        method: method ?? route.method,
        path,
        headers: { "content-type": "application/json" },
        body: body === undefined ? undefined : Buffer.from(JSON.stringify(body) ?? "null", "utf8"),
      };
    });

/** Bytes that are almost HTTP: garbage lines, lies about lengths, broken chunks, huge headers, hang-ups. */
const rawArb = (poiid: string) =>
  fc
    .tuple(
      fc.constantFrom(
        "garbage",
        "short-body",
        "long-body",
        "bad-chunk",
        "huge-header",
        "many-headers",
        "pipelined",
        "bare-lf",
        "http09",
      ),
      fc.nat(),
      fc.boolean(),
    )
    .map(([shape, which, hangUp]): SimCase => {
      const body = JSON.stringify(bodies()[which % bodies().length]).replace(/V400m-\d+/g, poiid);
      const head = (extra: string) => `POST /sync HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${extra}`;
      const texts: Record<string, string> = {
        garbage: `GARBAGE ${"\u0000\u00ff".repeat(which % 50)}\r\n\r\n`,
        "short-body": `${head(`Content-Length: ${body.length + 100}\r\n`)}\r\n${body}`,
        "long-body": `${head("Content-Length: 5\r\n")}\r\n${body}`,
        "bad-chunk": `${head("Transfer-Encoding: chunked\r\n")}\r\nZZZ\r\n${body}\r\n0\r\n\r\n`,
        "huge-header": `${head(`X-Big: ${"a".repeat(100_000)}\r\n`)}Content-Length: 2\r\n\r\n{}`,
        "many-headers": `${head(Array.from({ length: 3000 }, (_, i) => `X-${i}: y\r\n`).join(""))}Content-Length: 2\r\n\r\n{}`,
        pipelined: `${head(`Content-Length: ${Buffer.byteLength(body)}\r\n`)}\r\n${body}${head("Content-Length: 3\r\n")}\r\n{x}`,
        "bare-lf": `POST /sync HTTP/1.1\nHost: x\nContent-Length: ${Buffer.byteLength(body)}\n\n${body}`,
        http09: "GET /\r\n",
      };
      const complete = shape !== "short-body" && shape !== "http09";
      return { family: "raw-http", kind: "raw", bytes: Buffer.from(texts[shape], "latin1"), hangUp, complete };
    });

export interface SimFamily {
  name: string;
  arb: (aim: Aim) => fc.Arbitrary<SimCase>;
}

export interface Aim {
  poiid: string;
  /** A ServiceID no earlier case used (a terminal refuses one it has seen). */
  serviceId: string;
  /** The POIIDs the control cases script, apart from the ones requests go to. */
  control: string[];
}

/** Points a body at the lane's terminal with a fresh ServiceID, so most requests reach its logic. */
const aimed = (aim: Aim) => (text: string) =>
  text
    .replace(/"POIID":\s*"[^"]*"/g, `"POIID":"${aim.poiid}"`)
    .replace(/"ServiceID":\s*"[^"]*"/, `"ServiceID":"${aim.serviceId}"`);

/** Every family, in a fixed order. */
export const SIM_FAMILIES: SimFamily[] = [
  { name: "mutated-body", arb: (a) => httpCase("mutated-body", a.poiid, mutatedBodyArb.map(aimed(a))) },
  {
    name: "intact-body",
    arb: (a) =>
      httpCase(
        "intact-body",
        a.poiid,
        fc.nat().map((i) => aimed(a)(JSON.stringify(bodies()[i % bodies().length]))),
      ),
  },
  {
    name: "random-json",
    arb: (a) =>
      httpCase(
        "random-json",
        a.poiid,
        fc.oneof(
          fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v)),
          fc.string({ maxLength: 200 }),
        ),
      ),
  },
  {
    name: "bad-bytes",
    arb: (a) =>
      httpCase(
        "bad-bytes",
        a.poiid,
        damagedBytesArb.map((b) => Buffer.from(aimed(a)(b.toString("latin1")), "latin1")),
      ),
  },
  {
    name: "encrypted",
    arb: (a) => httpCase("encrypted", a.poiid, encryptedArb(a), fc.constantFrom("/nexo", "/nexo", "/sync")),
  },
  { name: "control", arb: (a) => controlArb(a.control) },
  { name: "raw-http", arb: (a) => rawArb(a.poiid) },
];

/** Case `index` of a family, aimed at a lane's terminal. */
export function simCase(seed: number, family: SimFamily, index: number, aim: Omit<Aim, "serviceId">): SimCase {
  const serviceId = `F${caseSeed(seed, family.name, index).toString(36)}${index.toString(36)}`.slice(0, 10);
  const [c] = fc.sample(family.arb({ ...aim, serviceId }), {
    seed: caseSeed(seed, `sim/${family.name}`, index),
    numRuns: 1,
  });
  return c;
}
