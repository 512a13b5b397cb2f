/**
 * One request a terminal received, as its log keeps it: the request and answer as the JSON texts
 * that went over the wire (what they cost in memory is exactly what the history budget counts, and
 * nothing is serialised twice), read back as objects only when someone looks. One object and its
 * strings a request: what a busy simulator keeps, the garbage collector walks.
 */
import { type Kept, type KeptList, OBJECT_BYTES, stringBytes } from "./history.js";
import type { MessageCategory } from "../protocol/index.js";
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

/** Header fields are logged as sent, strings or not. */
const bytesOf = (value: unknown) => (typeof value === "string" ? stringBytes(value) : 8);

export class LoggedRequest implements Kept {
  bytes: number;
  list?: KeptList<Kept>;
  gone?: boolean;
  readonly at: number;
  readonly poiid: string;
  readonly channel: Channel;
  readonly body: string;
  readonly category: string;
  readonly serviceId?: string;
  readonly saleId?: string;
  readonly session?: { id: string; type: string };
  answeredAt?: number;
  outcome?: string;
  faults?: string[];
  private responseText?: string;

  /**
   * `requestText`: the request as JSON text, or (`requestIsJson` false) text that is not a JSON
   * request at all, shown as the string it was.
   */
  constructor(
    arrival: Arrival,
    private readonly requestText: string,
    private readonly requestIsJson = true,
  ) {
    this.at = arrival.at;
    this.poiid = arrival.poiid;
    this.channel = arrival.channel;
    this.body = arrival.body;
    this.category = arrival.category;
    this.serviceId = arrival.serviceId;
    this.saleId = arrival.saleId;
    this.session = arrival.session;
    this.bytes =
      OBJECT_BYTES +
      stringBytes(requestText) +
      bytesOf(arrival.serviceId) +
      bytesOf(arrival.saleId) +
      (arrival.session ? OBJECT_BYTES + bytesOf(arrival.session.id) : 0);
  }

  /** The answer is known; returns how many bytes that added. */
  answer(at: number, outcome: string, responseText?: string): number {
    this.answeredAt = at;
    this.outcome = outcome;
    this.responseText = responseText;
    return responseText === undefined ? 0 : stringBytes(responseText);
  }

  /**
   * The public entry: request and response are parsed when first read. One shape for every entry
   * (a field not known is undefined), so building one per request stays cheap.
   */
  entry(): RequestLogEntry {
    const { requestText, requestIsJson, responseText } = this;
    let request: unknown;
    let response: unknown;
    return {
      at: this.at,
      answeredAt: this.answeredAt,
      poiid: this.poiid,
      channel: this.channel,
      body: this.body,
      category: this.category as MessageCategory,
      serviceId: this.serviceId,
      saleId: this.saleId,
      get request() {
        if (request === undefined) request = requestIsJson ? JSON.parse(requestText) : requestText;
        return request;
      },
      session: this.session && { id: this.session.id, type: this.session.type },
      outcome: this.outcome,
      get response() {
        if (response === undefined && responseText !== undefined) response = JSON.parse(responseText);
        return response;
      },
      faults: this.faults && [...this.faults],
    };
  }
}
