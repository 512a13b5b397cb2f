/**
 * One request a terminal received, as its log keeps it: the request and answer as the JSON texts
 * that went over the wire (what they cost in memory is exactly what the history budget counts, and
 * nothing is serialised twice), read back as objects only when someone looks.
 */
import { type Kept, OBJECT_BYTES, stringBytes } from "./history.js";
import type { Channel, RequestLogEntry } from "./types.js";

/** What is known of a request when it arrives. */
export interface Arrival {
  at: number;
  poiid: string;
  channel: Channel;
  body: string;
  category: string;
  serviceId?: string;
  saleId?: string;
  session?: { id: string; type: string };
}

/** The request as received: its JSON text, or (`json: false`) text that is not a JSON request at all. */
export interface ReceivedText {
  text: string;
  json: boolean;
}

/** Header fields are logged as sent, strings or not. */
const bytesOf = (value: unknown) => (typeof value === "string" ? stringBytes(value) : 8);

export class LoggedRequest implements Kept {
  bytes: number;
  kept?: boolean;
  gone?: boolean;
  answeredAt?: number;
  outcome?: string;
  faults?: string[];
  private responseText?: string;

  constructor(
    readonly arrival: Arrival,
    private readonly received: ReceivedText,
  ) {
    this.bytes =
      OBJECT_BYTES * 2 +
      stringBytes(received.text) +
      bytesOf(arrival.serviceId) +
      bytesOf(arrival.saleId) +
      bytesOf(arrival.session?.id);
  }

  get poiid(): string {
    return this.arrival.poiid;
  }

  get sessionType(): string | undefined {
    return this.arrival.session?.type;
  }

  /** The answer is known; returns how many bytes that added. */
  answer(at: number, outcome: string, responseText?: string): number {
    this.answeredAt = at;
    this.outcome = outcome;
    this.responseText = responseText;
    return bytesOf(responseText);
  }

  /** The public entry: request and response are parsed when first read. */
  entry(): RequestLogEntry {
    const { received, responseText } = this;
    let request: unknown;
    const entry = {
      ...this.arrival,
      ...(this.answeredAt !== undefined ? { answeredAt: this.answeredAt } : {}),
      get request() {
        if (request === undefined) request = received.json ? JSON.parse(received.text) : received.text;
        return request;
      },
      ...(this.outcome !== undefined ? { outcome: this.outcome } : {}),
      ...(this.faults ? { faults: [...this.faults] } : {}),
    } as RequestLogEntry;
    if (responseText !== undefined) {
      let response: unknown;
      Object.defineProperty(entry, "response", {
        enumerable: true,
        configurable: true,
        get: () => {
          if (response === undefined) response = JSON.parse(responseText);
          return response;
        },
      });
    }
    return entry;
  }
}
