/**
 * A scriptable stand-in terminal for runtime unit tests: answers like a cooperative terminal (the
 * dry-run answers) unless a test overrides a request type, records every request, and tracks
 * which waiting-screen sessions are open.
 */
import { loadFlow, type Flow } from "../../../language/index.js";
import { dryRunTransport } from "../../../runtime/transports/dry-run.js";
import { decodeBase64Json, type RequestBodyName, type SaleToPOIRequest } from "../../../protocol/index.js";
import type { SendOptions, Transport } from "../../../runtime/transport.js";

type Handler = (
  request: SaleToPOIRequest,
  options: SendOptions,
  defaultAnswer: () => Promise<unknown>,
) => unknown | Promise<unknown>;

export class FakeTerminal implements Transport {
  readonly description = "fake terminal";
  readonly requests: SaleToPOIRequest[] = [];
  readonly openSessions = new Set<string>();
  private readonly handlers = new Map<string, Handler[]>();
  private readonly cooperative = dryRunTransport();

  /** Answers the next request of this type with `handler` (queued: one handler per request). */
  once(body: RequestBodyName, handler: Handler): this {
    this.handlers.set(body, [...(this.handlers.get(body) ?? []), handler]);
    return this;
  }

  async send(request: SaleToPOIRequest, options: SendOptions): Promise<unknown> {
    this.requests.push(request);
    const body = bodyName(request);
    const queue = this.handlers.get(body) ?? [];
    const handler = queue.shift();
    const answer = handler
      ? await handler(request, options, () => this.cooperative.send(request, options))
      : await this.cooperative.send(request, options);
    this.trackSession(request, answer);
    return answer;
  }

  /** Request body names in order (`AdminRequest`, `InputRequest`, ...). */
  names(): string[] {
    return this.requests.map(bodyName);
  }

  /** Session Begin/End requests as `Begin S1` / `End S1`. */
  sessionRequests(): string[] {
    return this.requests.flatMap((r) => {
      const s = sessionOf(r);
      return s ? [`${s.Type} ${s.Id}`] : [];
    });
  }

  private trackSession(request: SaleToPOIRequest, answer: unknown): void {
    const session = sessionOf(request);
    if (!session) return;
    const ok = JSON.stringify(answer ?? "").includes('"Result":"Success"');
    if (session.Type === "Begin" && ok) this.openSessions.add(session.Id);
    if (session.Type === "End") this.openSessions.delete(session.Id);
  }
}

export function bodyName(request: SaleToPOIRequest): RequestBodyName {
  return Object.keys(request.SaleToPOIRequest).find((k) => k !== "MessageHeader") as RequestBodyName;
}

function sessionOf(request: SaleToPOIRequest): { Id: string; Type: string } | undefined {
  const admin = (request.SaleToPOIRequest as { AdminRequest?: { ServiceIdentification?: string } }).AdminRequest;
  if (!admin?.ServiceIdentification) return undefined;
  const decoded = decodeBase64Json(admin.ServiceIdentification);
  return decoded.ok ? (decoded.value as { Session?: { Id: string; Type: string } })?.Session : undefined;
}

/** A nexo answer envelope for `request` with `body`. */
export function answer(request: SaleToPOIRequest, body: string, content: unknown): unknown {
  return {
    SaleToPOIResponse: {
      MessageHeader: { ...request.SaleToPOIRequest.MessageHeader, MessageType: "Response" },
      [body]: content,
    },
  };
}

/** Loads a mini-language flow that must check clean. */
export function flowOf(source: string, file = "test.flow"): Flow {
  const { flow, diagnostics } = loadFlow(source, file);
  if (!flow)
    throw new Error(`test flow does not check clean:\n${diagnostics.map((d) => `${d.code}: ${d.message}`).join("\n")}`);
  return flow;
}
