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
   * (a field not known is undefined), so building one per request stays cheap. The getters are
   * shared by every entry (see `ENTRY_SOURCE`): an object literal with getters of its own costs
   * about 4 us, a map of its own for each entry, and `onRequest` builds one for every request.
   */
  entry(): RequestLogEntry {
    const entry = {
      at: this.at,
      answeredAt: this.answeredAt,
      poiid: this.poiid,
      channel: this.channel,
      body: this.body,
      category: this.category as MessageCategory,
      serviceId: this.serviceId,
      saleId: this.saleId,
    } as RequestLogEntry & { [ENTRY_SOURCE]: EntrySource };
    const source: EntrySource = {
      requestText: this.requestText,
      requestIsJson: this.requestIsJson,
      responseText: this.responseText,
      request: undefined,
      response: undefined,
    };
    Object.defineProperty(entry, ENTRY_SOURCE, { value: source });
    Object.defineProperty(entry, "request", REQUEST_GETTER);
    entry.session = this.session && { id: this.session.id, type: this.session.type };
    entry.outcome = this.outcome;
    Object.defineProperty(entry, "response", RESPONSE_GETTER);
    entry.faults = this.faults && [...this.faults];
    return entry;
  }
}

/** What an entry's getters read: its texts, and each parsed once (for this entry alone: callers may change theirs). */
interface EntrySource {
  requestText: string;
  requestIsJson: boolean;
  responseText: string | undefined;
  request: unknown;
  response: unknown;
}

/** Where an entry keeps its source: a hidden key, so JSON, spreads and deep equality see only the fields. */
const ENTRY_SOURCE = Symbol("termflow request log source");

type WithSource = { [ENTRY_SOURCE]: EntrySource };

const REQUEST_GETTER: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: WithSource) {
    const source = this[ENTRY_SOURCE];
    if (source.request === undefined)
      source.request = source.requestIsJson ? JSON.parse(source.requestText) : source.requestText;
    return source.request;
  },
};

const RESPONSE_GETTER: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: WithSource) {
    const source = this[ENTRY_SOURCE];
    if (source.response === undefined && source.responseText !== undefined)
      source.response = JSON.parse(source.responseText);
    return source.response;
  },
};
