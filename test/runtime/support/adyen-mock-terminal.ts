/**
 * A stand-in for Adyen's mock Terminal API server (adyen-examples/adyen-mock-terminal-api, its
 * behaviour as of 2025-01): POST /sync answers every request with a canned message whatever the
 * request said: header ServiceID `1234567890AB`, SaleID `SALE_ID_42`, POIID `V400m-123456789`; an
 * approved payment of 1.00 EUR with the mock's own SaleTransactionID; a status answer repeating that
 * payment; an AbortRequest answered with an aborted PaymentResponse without header; anything else
 * (Admin, Input, Display) HTTP 404 `{}`. The PIN the mock waits for is entered at once.
 */
import http from "node:http";

/** What the mock puts in every answer's header. */
export const MOCK_HEADER = { ServiceID: "1234567890AB", SaleID: "SALE_ID_42", POIID: "V400m-123456789" } as const;
const MOCK_SALE_TRANSACTION = {
  TimeStamp: "2023-12-02T16:16:48.163Z",
  TransactionID: "21f1268f-9126-4bce-b127-9c2d5ffa024e",
};

const header = (category: string) => ({
  ProtocolVersion: "3.0",
  MessageClass: "Service",
  MessageCategory: category,
  MessageType: "Response",
  ...MOCK_HEADER,
});

const approvedPayment = {
  POIData: {
    POITransactionID: { TimeStamp: "2023-06-12T12:08:36+00:00", TransactionID: "v4W5001707426906003.RM4ZVZ7LFTGLNK82" },
  },
  PaymentReceipt: [],
  PaymentResult: {
    AmountsResp: { AuthorizedAmount: 1.0, Currency: "EUR" },
    PaymentAcquirerData: { MerchantID: "ADYEN_MERCHANT_ACCOUNT", AcquirerPOIID: "V400m-123456789" },
    PaymentInstrumentData: { PaymentInstrumentType: "Card" },
  },
  Response: { AdditionalResponse: "...", Result: "Success" },
  SaleData: { SaleTransactionID: MOCK_SALE_TRANSACTION },
};

/** The canned answer to one request body, as the mock gives it: [HTTP status, JSON]. */
function cannedAnswer(request: Record<string, unknown>): [number, unknown] {
  if ("AbortRequest" in request) {
    return [
      200,
      {
        SaleToPOIResponse: {
          PaymentResponse: {
            ...approvedPayment,
            Response: {
              Result: "Failure",
              ErrorCondition: "Aborted",
              AdditionalResponse: "message=104%20Merchant%20cancelled",
            },
          },
        },
      },
    ];
  }
  if ("PaymentRequest" in request)
    return [200, { SaleToPOIResponse: { MessageHeader: header("Payment"), PaymentResponse: approvedPayment } }];
  if ("TransactionStatusRequest" in request) {
    return [
      200,
      {
        SaleToPOIResponse: {
          TransactionStatusResponse: {
            MessageReference: {
              SaleID: MOCK_HEADER.SaleID,
              MessageCategory: "Payment",
              ServiceID: MOCK_HEADER.ServiceID,
            },
            Response: { Result: "Success" },
            RepeatedMessageResponse: {
              MessageHeader: { ...header("Payment"), POIID: "V400m-123456789AB" },
              RepeatedResponseMessageBody: {
                PaymentResponse: {
                  ...approvedPayment,
                  PaymentResult: { AmountsResp: { AuthorizedAmount: 10.99, Currency: "EUR" } },
                },
              },
            },
          },
          MessageHeader: header("TransactionStatus"),
        },
      },
    ];
  }
  return [404, {}];
}

/** Serves the mock on 127.0.0.1; `requests` are the bodies it received. */
export async function startAdyenMockTerminal(): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    if (req.method !== "POST" || req.url !== "/sync") {
      res.writeHead(404, { "content-type": "application/json" }).end("{}");
      return;
    }
    let text = "";
    req.on("data", (chunk: Buffer) => (text += chunk.toString()));
    req.on("end", () => {
      let inner: Record<string, unknown> = {};
      try {
        inner = (JSON.parse(text) as { SaleToPOIRequest: Record<string, unknown> }).SaleToPOIRequest;
      } catch {
        // The real mock answers a Reject; termflow never sends that.
      }
      requests.push(Object.keys(inner).find((k) => k !== "MessageHeader") ?? "(unreadable)");
      const [status, body] = cannedAnswer(inner);
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
