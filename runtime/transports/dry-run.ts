/**
 * `--dry-run`: a transport that sends nothing. It keeps every request and answers each one the way a
 * cooperative terminal would, so the run follows the happy path: sessions begin and end, confirmations
 * and signatures are confirmed, menus get their first entry, digits/text/phone/amount get a sample
 * value, displays succeed and payments are approved for the requested amount and tip together (with
 * both receipts), refunds and prints succeed, a card acquisition reads a Mastercard, and a status
 * request about a payment repeats its approval.
 *
 * The answers are those the simulator's shopper gives when nobody scripted one and an approval as
 * the simulator sends it (AuthorizedAmount the amount plus the tip, TipAmount the tip), so a dry run
 * takes the same path as a run on `termflow sim` (test/runtime/transports/dry-run.test.ts).
 */
import type {
  InputRequest,
  MessageHeader,
  PaymentRequest,
  PrintRequest,
  ReversalRequest,
  SaleToPOIRequest,
  CardAcquisitionRequest,
  TransactionStatusRequest,
} from "../../protocol/index.js";
import { fromWireAmount, toWireAmount } from "../../language/index.js";
import type { Transport } from "../transport.js";

/** The sample answers a dry run gives to each input command. */
export const DRY_RUN_INPUTS = {
  digits: "1234",
  text: "shopper@example.com",
  phone: "0612345678",
  amount: "10.00",
} as const;

export interface DryRunTransport extends Transport {
  /** Every request, in the order the run sent them. */
  readonly requests: SaleToPOIRequest[];
}

/** A transport that records requests and answers them without any terminal. */
export function dryRunTransport(): DryRunTransport {
  const requests: SaleToPOIRequest[] = [];
  /** Payment answers by the ServiceID of their request, for status requests about them. */
  const answered = new Map<string, unknown>();
  return {
    description: "dry run (nothing is sent)",
    requests,
    async send(request: SaleToPOIRequest): Promise<unknown> {
      requests.push(structuredClone(request));
      const answer = answerTo(request, answered);
      if ("PaymentRequest" in request.SaleToPOIRequest)
        answered.set(request.SaleToPOIRequest.MessageHeader.ServiceID ?? "", answer);
      return answer;
    },
  };
}

/** The two receipts of an approved sample payment. */
const SAMPLE_RECEIPTS = ["CashierReceipt", "CustomerReceipt"].map((DocumentQualifier) => ({
  DocumentQualifier,
  RequiredSignatureFlag: false,
  OutputContent: {
    OutputFormat: "Text",
    OutputText: [{ Text: "key=header1&name=&value=dry%20run" }, { Text: "key=approved&name=&value=APPROVED" }],
  },
}));

function answerTo(request: SaleToPOIRequest, answered: ReadonlyMap<string, unknown>): unknown {
  const message = request.SaleToPOIRequest as Record<string, unknown> & { MessageHeader: MessageHeader };
  const header = { ...message.MessageHeader, MessageType: "Response" };
  const respond = (body: string, content: unknown) => ({
    SaleToPOIResponse: { MessageHeader: header, [body]: content },
  });
  const success = { Result: "Success" };

  if ("AdminRequest" in message) return respond("AdminResponse", { Response: success });
  if ("DisplayRequest" in message) {
    return respond("DisplayResponse", {
      OutputResult: [{ Device: "CustomerDisplay", InfoQualify: "Display", Response: success }],
    });
  }
  if ("InputRequest" in message) {
    const input = message.InputRequest as InputRequest;
    return respond("InputResponse", {
      InputResult: { Device: "CustomerInput", InfoQualify: "Input", Response: success, Input: sampleInput(input) },
      OutputResult: { Device: "CustomerDisplay", InfoQualify: "Display", Response: success },
    });
  }
  if ("PaymentRequest" in message) {
    const payment = message.PaymentRequest as PaymentRequest;
    const amounts = payment.PaymentTransaction.AmountsReq;
    // The terminal authorises the amount and the tip together, in the currency's own decimals.
    const authorised = addWireAmounts(amounts.RequestedAmount, amounts.TipAmount, amounts.Currency);
    return respond("PaymentResponse", {
      Response: success,
      SaleData: payment.SaleData,
      POIData: {
        POITransactionID: {
          TransactionID: `DRYRUN.${header.ServiceID}`,
          TimeStamp: payment.SaleData.SaleTransactionID.TimeStamp,
        },
      },
      PaymentResult: {
        AmountsResp: {
          Currency: amounts.Currency,
          AuthorizedAmount: authorised,
          ...(amounts.TipAmount !== undefined ? { TipAmount: amounts.TipAmount } : {}),
        },
      },
      PaymentReceipt: SAMPLE_RECEIPTS,
    });
  }
  if ("ReversalRequest" in message) {
    const reversal = message.ReversalRequest as ReversalRequest;
    return respond("ReversalResponse", {
      Response: success,
      POIData: { POITransactionID: { TransactionID: `DRYRUN.${header.ServiceID}`, TimeStamp: SAMPLE_TIME } },
      ...(reversal.ReversedAmount !== undefined ? { ReversedAmount: reversal.ReversedAmount } : {}),
    });
  }
  if ("PrintRequest" in message) {
    const print = message.PrintRequest as PrintRequest;
    return respond("PrintResponse", { DocumentQualifier: print.PrintOutput.DocumentQualifier, Response: success });
  }
  if ("CardAcquisitionRequest" in message) {
    const acquisition = message.CardAcquisitionRequest as CardAcquisitionRequest;
    return respond("CardAcquisitionResponse", {
      // As the simulator reads a card: its alias, and the shopper's token (TokenRequestedType Customer).
      Response: {
        Result: "Success",
        AdditionalResponse: "alias=A54133399992&cardType=mc&tokenValue=TK9999MC&shopperReference=shopper-9999",
      },
      SaleData: { SaleTransactionID: acquisition.SaleData.SaleTransactionID },
      POIData: {
        POITransactionID: { TransactionID: `DRYRUN.${header.ServiceID}`, TimeStamp: SAMPLE_TIME },
      },
      PaymentBrand: ["mc"],
      PaymentInstrumentData: {
        PaymentInstrumentType: "Card",
        CardData: {
          PaymentBrand: "mc",
          MaskedPan: "541333 **** 9999",
          PaymentToken: { TokenRequestedType: "Customer", TokenValue: "TK9999MC" },
        },
      },
    });
  }
  if ("EnableServiceRequest" in message) return respond("EnableServiceResponse", { Response: success });
  if ("TransactionStatusRequest" in message) {
    const asked = (message.TransactionStatusRequest as TransactionStatusRequest).MessageReference?.ServiceID;
    const original = asked === undefined ? undefined : answered.get(asked);
    if (original === undefined)
      return respond("TransactionStatusResponse", { Response: { Result: "Failure", ErrorCondition: "NotFound" } });
    const repeated = (original as { SaleToPOIResponse: Record<string, unknown> }).SaleToPOIResponse;
    return respond("TransactionStatusResponse", {
      Response: success,
      RepeatedMessageResponse: {
        MessageHeader: repeated.MessageHeader,
        RepeatedResponseMessageBody: { PaymentResponse: repeated.PaymentResponse },
      },
    });
  }
  // AbortRequest (and anything else): HTTP 200 with an empty body.
  return undefined;
}

const SAMPLE_TIME = "2026-01-01T00:00:00.000Z";

/** RequestedAmount + TipAmount as the wire writes them, added in minor units (never as floats). */
function addWireAmounts(requested: number, tip: number | undefined, currency: string): number {
  if (tip === undefined) return requested;
  const a = fromWireAmount(requested, currency);
  const b = fromWireAmount(tip, currency);
  return a === undefined || b === undefined ? requested : toWireAmount(a + b, currency);
}

function sampleInput(request: InputRequest): Record<string, unknown> {
  const command = request.InputData.InputCommand;
  const screen = request.DisplayOutput?.OutputContent.PredefinedContent?.ReferenceID;
  if (command === "GetConfirmation") return { InputCommand: command, ConfirmedFlag: true };
  if (command === "GetMenuEntry") return { InputCommand: command, MenuEntryNumber: [1] };
  if (command === "DecimalString") return { InputCommand: command, DigitInput: DRY_RUN_INPUTS.amount };
  if (command === "TextString") return { InputCommand: command, TextInput: DRY_RUN_INPUTS.text };
  return {
    InputCommand: command,
    DigitInput: screen === "GetPhoneNumber" ? DRY_RUN_INPUTS.phone : DRY_RUN_INPUTS.digits,
  };
}
