/**
 * `GET /__termflow/events`: server-sent events from the simulator's one event source. A client gets
 * `hello` (every terminal's state, timeline and request log) and then each change as it happens:
 * `state`, `screen`, `request`, `answer`, `reset`. No polling anywhere.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { SimulatorCore } from "../core.js";

/** A comment line now and then keeps proxies and idle-connection timers from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;

export function streamEvents(core: SimulatorCore, req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-store",
    connection: "keep-alive",
  });
  const send = (type: string, data: unknown) => res.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
  send("hello", {
    terminals: core.terminals().flatMap((poiid) => {
      const t = core.existing(poiid);
      return t ? [{ state: t.state(), timeline: t.timeline(), requests: t.requests() }] : [];
    }),
  });
  const unsubscribe = core.subscribe((event) => send(event.type, event));
  const heartbeat = setInterval(() => res.write(": heartbeat\n\n"), HEARTBEAT_MS);
  heartbeat.unref();
  const stop = () => {
    unsubscribe();
    clearInterval(heartbeat);
  };
  req.on("close", stop);
  res.on("error", stop);
}
