/**
 * The runtime's public API: run a checked flow against a terminal (the simulator in-process, the
 * cloud device API, the legacy cloud endpoint or a local terminal) and get a typed result, with
 * typed events on the way. docs/embedding.md walks through it.
 */
export { runFlow, DEFAULT_POIID, DEFAULT_SALE_ID, type RunOptions } from "./run-flow.js";
export type {
  RunResult,
  RunStatus,
  StepResult,
  StepStatus,
  StepAnswer,
  MessageRecord,
  PaymentRecord,
} from "./result.js";
export { payCapture } from "./captures.js";
export {
  RunEmitter,
  type RunEvents,
  type RunEventName,
  type RunListeners,
  type FlowStartEvent,
  type FlowEndEvent,
  type StepStartEvent,
  type StepEndEvent,
  type RequestEvent,
  type ResponseEvent,
  type SessionEvent,
  type SessionEndEvent,
  type CallEvent,
  type PaymentEvent,
  type RunErrorEvent,
} from "./events.js";
export type { Value } from "./values.js";
export type { PayCapture, PayResult } from "../language/index.js";
export { bindParams, type BoundParams, type ParamValue, type VarValue } from "./params.js";
export { DEFAULT_TIMEOUTS, type RequestTimeouts } from "./timeouts.js";
export { createIdSource, type IdSource, type IdSourceOptions } from "../protocol/index.js";
export { TransportError, type Transport, type SendOptions, type TransportErrorKind } from "./transport.js";
export { systemClock, SystemClock, VirtualClock, type Clock, type VirtualClockOptions } from "../protocol/index.js";
export { simulatorTransport, type SimulatorLike, type SimulatorTransportOptions } from "./transports/simulator.js";
export { cloudTransport, CLOUD_TEST_ENDPOINTS, type CloudTransportOptions } from "./transports/cloud.js";
export { localTransport, type LocalTransportOptions } from "./transports/local.js";
export { dryRunTransport, type DryRunTransport } from "./transports/dry-run.js";
export {
  createHttpTarget,
  readConfigFile,
  TARGETS,
  type TargetConfigFile,
  type TargetName,
  type TargetRequest,
  type TargetResult,
} from "./transports/target.js";
export { checkTerminalCertificate, TERMINAL_CN_PATTERN } from "./transports/tls.js";
export type { NexoKey } from "../protocol/index.js";
export * as nexo from "./nexo/index.js";
export {
  fileSessionJournal,
  memorySessionJournal,
  defaultJournalDir,
  isLeftOpen,
  type SessionJournal,
  type OpenSession,
} from "./session-journal.js";
export { endSession, type EndSessionOptions, type EndSessionResult, type EndOutcome } from "./session-end.js";
