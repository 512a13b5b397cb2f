/**
 * The simulator over HTTP (node:http): the three Terminal API paths, the control API under
 * `/__termflow/` (loopback, or behind a token), the virtual-terminal page, a 1 MB body limit, and
 * connection resets for the `drop` fault. Binds 127.0.0.1 unless told otherwise.
 */
import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { isIP, type AddressInfo, type Socket } from "node:net";
import { streamEvents } from "./control/events.js";
import { CONTROL_PREFIX, controlError, matchControl, runControl, type ControlAnswer } from "./control/routes.js";
import { serveUi, UI_PREFIX } from "./ui/serve.js";
import type { SimulatorCore } from "./core.js";
import type { ListenOptions, SimulatorServer } from "./types.js";

/** Requests above this many bytes get HTTP 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** 127.0.0.0/8, ::1 and localhost: addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "");
  if (bare === "localhost") return true;
  if (isIP(bare) === 4) return bare.startsWith("127.");
  if (isIP(bare) === 6) return bare === "::1" || bare === "::ffff:127.0.0.1";
  return false;
}

export interface Served {
  control: boolean;
  token?: string;
  ui: boolean;
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

/** Requests being read at once may hold this many bytes together; beyond it, HTTP 503. */
export const MAX_BODY_BYTES_IN_FLIGHT = 64 * 1024 * 1024;

/** The bytes of request bodies one server is reading now. */
export interface Reading {
  bytes: number;
}

/**
 * Reads the body up to the limit; undefined when it is too large (413 already sent) or when the
 * server already reads too much at once (503 already sent).
 */
function readBody(req: IncomingMessage, res: ServerResponse, reading: Reading): Promise<string | undefined> {
  return new Promise((resolve) => {
    const declared = Number(req.headers["content-length"]);
    const refuse = (status: 413 | 503) => {
      res.setHeader("connection", "close");
      if (status === 503) res.setHeader("retry-after", "1");
      sendJson(res, status, {
        errors: [
          status === 413
            ? `Request body larger than ${MAX_BODY_BYTES} bytes`
            : `The simulator is reading ${MAX_BODY_BYTES_IN_FLIGHT} bytes of requests at once already; send again shortly`,
        ],
      });
      req.resume();
      resolve(undefined);
    };
    if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) return refuse(413);
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const release = () => {
      reading.bytes -= size;
      size = 0;
    };
    req.on("data", (chunk: Buffer) => {
      if (done) return;
      if (size + chunk.length > MAX_BODY_BYTES || reading.bytes + chunk.length > MAX_BODY_BYTES_IN_FLIGHT) {
        done = true;
        const status = size + chunk.length > MAX_BODY_BYTES ? 413 : 503;
        release();
        chunks.length = 0;
        refuse(status);
        return;
      }
      size += chunk.length;
      reading.bytes += chunk.length;
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (done) return;
      done = true;
      const text = chunks.length === 1 ? chunks[0].toString("utf8") : Buffer.concat(chunks).toString("utf8");
      release();
      resolve(text);
    });
    const lost = () => {
      if (done) return;
      done = true;
      release();
      resolve(undefined);
    };
    req.on("error", lost);
    req.on("close", lost);
  });
}

function sendControl(res: ServerResponse, answer: ControlAnswer): void {
  for (const [k, v] of Object.entries(answer.headers ?? {})) res.setHeader(k, v);
  sendJson(res, answer.status, answer.json);
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/.exec(header ?? "")?.[1] ?? "", "utf8");
  const wanted = Buffer.from(token, "utf8");
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

async function serveControl(
  core: SimulatorCore,
  served: Served,
  reading: Reading,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
) {
  if (!served.control)
    return sendControl(
      res,
      controlError(
        404,
        undefined,
        "The control API is off on this simulator (--no-control, or a non-loopback host without --control-token-env)",
      ),
    );
  if (served.token !== undefined && !tokenMatches(req.headers.authorization, served.token))
    return sendControl(res, {
      ...controlError(
        401,
        "Authorization",
        "The control API needs the header Authorization: Bearer <token> (the value of --control-token-env)",
      ),
      headers: { "www-authenticate": 'Bearer realm="termflow simulator control"' },
    });
  const matched = matchControl(req.method ?? "GET", path);
  if (matched.kind === "answer") return sendControl(res, matched.answer);
  if (matched.route.stream) return streamEvents(core, req, res);
  // A GET's body is read too: answered before its body is in, the connection would be reset under
  // the client still sending it (found by npm run fuzz), and a GET with a body is refused, not ignored.
  const text = await readBody(req, res, reading);
  if (text === undefined) return;
  sendControl(res, runControl(core, matched.route, matched.poiid, text));
}

async function serve(
  core: SimulatorCore,
  served: Served,
  reading: Reading,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const path = (req.url ?? "/").split("?")[0];
  if (served.ui && req.method === "GET" && (path === "/" || path.startsWith(`${UI_PREFIX}/`)))
    return serveUi(path, res);
  if (path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`))
    return serveControl(core, served, reading, req, res, path);
  if (req.method !== "POST") {
    res.setHeader("allow", "POST");
    core.noteRefused(path, 405, `${req.method} ${path}`);
    return sendJson(res, 405, { errors: [`${req.method} is not allowed: the Terminal API takes POST`] });
  }
  const body = await readBody(req, res, reading);
  if (body === undefined) {
    if (res.headersSent) core.noteRefused(path, res.statusCode, `(a body refused with HTTP ${res.statusCode})`);
    return;
  }
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

/**
 * What a server on `host` serves besides the Terminal API, or why it must not start: the control API
 * is never served on a non-loopback host without a token, the page only on loopback.
 */
export function servedFeatures(host: string, options: ListenOptions): Served | string {
  const loopback = isLoopbackHost(host);
  const token = options.controlToken;
  if (options.control === true && !loopback && token === undefined)
    return `The control API is never served on a non-loopback host (${host}) without a control token`;
  const served: Served = {
    control: options.control ?? (loopback || token !== undefined),
    token,
    ui: options.ui === true,
  };
  if (served.ui && !loopback) return `The page is served on loopback only, not on ${host}`;
  if (served.ui && !served.control) return "The page needs the control API";
  if (served.ui && token !== undefined) return "The page is served on loopback without a control token";
  return served;
}

/** How long a client may take, by default (`ListenOptions.timeouts`). */
export const DEFAULT_TIMEOUTS = { headersMs: 10_000, requestMs: 30_000, keepAliveMs: 5_000 } as const;

/** Starts serving; port 0 (the default) picks a free one. */
export function listen(core: SimulatorCore, options: ListenOptions = {}): Promise<SimulatorServer> {
  const host = options.host ?? "127.0.0.1";
  const served = servedFeatures(host, options);
  if (typeof served === "string") return Promise.reject(new Error(served));
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const reading: Reading = { bytes: 0 };
  /** Connections whose first request arrived: their connection timeout is off. */
  const answering = new WeakSet<Socket>();
  // Node checks the request timeouts this often; its default (30 s) would let a slow client stay that much longer.
  const checkEveryMs = Math.max(100, Math.min(1_000, timeouts.headersMs, timeouts.requestMs));
  const server = createServer({ connectionsCheckingInterval: checkEveryMs }, (req, res) => {
    // The client has sent its request: from now on the terminal is the slow one (a payment holds
    // its request open for minutes), so the connection waits as long as the answer takes. (Node
    // itself clears the keep-alive timeout when the next request on a connection comes.)
    if (!answering.has(req.socket)) {
      answering.add(req.socket);
      req.socket.setTimeout(0);
    }
    serve(core, served, reading, req, res).catch((error: unknown) => {
      if (!res.headersSent)
        sendJson(res, 500, {
          errors: [`termflow simulator internal error: ${error instanceof Error ? error.message : String(error)}`],
        });
      else res.destroy();
    });
  });
  // Headers, then the whole request, must come within these times (HTTP 408 and closed otherwise);
  // answers may take as long as the terminal takes. A connection that sends nothing is closed too.
  server.headersTimeout = timeouts.headersMs;
  server.requestTimeout = timeouts.requestMs;
  server.keepAliveTimeout = timeouts.keepAliveMs;
  server.on("connection", (socket) => socket.setTimeout(timeouts.headersMs));
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      core.serving(+1);
      const { port } = server.address() as AddressInfo;
      const shownHost = host.includes(":") ? `[${host}]` : host;
      resolve({
        url: `http://${shownHost}:${port}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            if (!server.listening) return done();
            server.close(() => done());
            server.closeAllConnections();
            core.serving(-1);
          }),
      });
    });
  });
}
