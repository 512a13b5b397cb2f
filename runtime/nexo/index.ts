/** The nexo layer on its own: message types, request builders and tolerant decoding. */
export * from "../../protocol/index.js";
export * from "./requests.js";
export {
  decodeAnswer,
  normaliseResponse,
  readPayment,
  readInput,
  readTransactionStatus,
  chosenMenuEntries,
  payResultOf,
  type Answer,
  type DecodedResponse,
  type StatusOutcome,
} from "./decode.js";
