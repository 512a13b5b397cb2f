/**
 * The simulator over HTTP (node:http): the three Terminal API paths, the timeline route, a 1 MB body
 * limit, and connection resets for the `drop` fault. Binds 127.0.0.1 unless told otherwise.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { SimulatorCore } from "./core.js";
import type { SimulatorServer } from "./types.js";

/** Requests above this many bytes get HTTP 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

const TERMINAL_ROUTE = /^\/__termflow\/terminals\/([^/]+)\/(timeline|requests)\/?$/;

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

/** Reads the body up to the limit; undefined when it is too large (413 already sent). */
function readBody(req: IncomingMessage, res: ServerResponse): Promise<string | undefined> {
  return new Promise((resolve) => {
    const declared = Number(req.headers["content-length"]);
    const tooLarge = () => {
      res.setHeader("connection", "close");
      sendJson(res, 413, { errors: [`Request body larger than ${MAX_BODY_BYTES} bytes`] });
      req.resume();
      resolve(undefined);
    };
    if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) return tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on("data", (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        done = true;
        tooLarge();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!done) resolve(Buffer.concat(chunks).toString("utf8"));
    });
    req.on("error", () => {
      if (!done) resolve(undefined);
    });
  });
}

async function serve(core: SimulatorCore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? "/").split("?")[0];
  const inspect = TERMINAL_ROUTE.exec(path);
  if (req.method === "GET" && inspect) {
    const terminal = core.existing(decodeURIComponent(inspect[1]));
    if (!terminal)
      return sendJson(res, 404, {
        errors: [`No terminal ${decodeURIComponent(inspect[1])} has received a request yet`],
      });
    return sendJson(res, 200, inspect[2] === "timeline" ? terminal.timeline() : terminal.requests());
  }
  if (req.method === "GET" && path.replace(/\/$/, "") === "/__termflow/terminals")
    return sendJson(res, 200, core.terminals());
  if (req.method !== "POST") {
    res.setHeader("allow", "POST");
    core.noteRefused(path, 405, `${req.method} ${path}`);
    return sendJson(res, 405, { errors: [`${req.method} is not allowed: the Terminal API takes POST`] });
  }
  const body = await readBody(req, res);
  if (body === undefined) return core.noteRefused(path, 413, `(a body over ${MAX_BODY_BYTES} bytes)`);
  const apiKey = req.headers["x-api-key"];
  const answer = await core.handle(body, { path: req.url ?? "/", apiKey: Array.isArray(apiKey) ? apiKey[0] : apiKey });
  if ("dropped" in answer) {
    // A reset, not a clean close: clients see ECONNRESET as from a lost network.
    const socket = req.socket as typeof req.socket & { resetAndDestroy?: () => void };
    if (typeof socket.resetAndDestroy === "function") socket.resetAndDestroy();
    else socket.destroy();
    return;
  }
  res.writeHead(answer.status, { ...(answer.headers ?? {}), "content-length": Buffer.byteLength(answer.body) });
  res.end(answer.body);
}

/** Starts serving; port 0 (the default) picks a free one. */
export function listen(core: SimulatorCore, options: { port?: number; host?: string } = {}): Promise<SimulatorServer> {
  const host = options.host ?? "127.0.0.1";
  const server = createServer((req, res) => {
    serve(core, req, res).catch((error: unknown) => {
      if (!res.headersSent)
        sendJson(res, 500, {
          errors: [`termflow simulator internal error: ${error instanceof Error ? error.message : String(error)}`],
        });
      else res.destroy();
    });
  });
  // Payments and inputs hold a request open for minutes, like a real terminal.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      const { port } = server.address() as AddressInfo;
      const shownHost = host.includes(":") ? `[${host}]` : host;
      resolve({
        url: `http://${shownHost}:${port}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
