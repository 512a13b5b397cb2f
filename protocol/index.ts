/**
 * The ground floor: the nexo Terminal API as both sides speak it. Message types, the header and
 * Base64 codecs, the local-terminal envelope crypto, message ids, and the clock every timer runs on.
 * The runtime and the simulator stand on this folder and never on each other. Also the one rule for
 * secrets in any output (redact.ts) and for text that reaches a terminal (printable.ts), which every
 * floor above applies.
 */
export * from "./types.js";
export * from "./codec.js";
export * from "./crypto.js";
export * from "./ids.js";
export * from "./clock.js";
export * from "./redact.js";
export * from "./printable.js";
export * from "./load-on-demand.js";
