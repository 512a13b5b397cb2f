/**
 * The control API: every call of `terminal.shopper`, `terminal.payments` and `terminal.faults`, plus
 * reset and inspection, as JSON over HTTP under `/__termflow/`. Paths use the in-process names
 * (`shopper/thinkTime`, `faults/http500`); positional arguments become named fields (`answer(...a)`
 * takes `{"answers": [...]}`, `inject(fault, {times})` takes `{"fault", "times"}`). Bodies are checked
 * against the OpenAPI document beside this file, so wrong calls get a 4xx naming the field.
 */
import type { SimulatorCore } from "../core.js";
import type { SimulatedTerminal } from "../terminal.js";
import type { ActionResult, CardBrand, Fault, FaultOptions, PaymentOutcomeLike, ShopperAnswerLike } from "../types.js";
import { checkBody, OPENAPI_DOCUMENT } from "./schema.js";

type Json = Record<string, unknown>;

export const CONTROL_PREFIX = "/__termflow";

export interface ControlAnswer {
  status: number;
  json: unknown;
  headers?: Record<string, string>;
}

interface Call {
  core: SimulatorCore;
  poiid: string;
  body: Json;
}

interface Route {
  method: "GET" | "POST";
  /** The OpenAPI path template, e.g. `/__termflow/terminals/{poiid}/shopper/answer`. */
  path: string;
  operationId: string;
  /** The component schema of the body (POST); absent = no body. */
  body?: string;
  /** Served by the HTTP layer itself (the event stream). */
  stream?: true;
  run?(call: Call): ControlAnswer;
}

const ok = (json: unknown): ControlAnswer => ({ status: 200, json });
export const controlError = (status: number, field: string | undefined, message: string): ControlAnswer => ({
  status,
  json: { errors: [message], ...(field !== undefined ? { field } : {}) },
});

/** `"every"` (JSON has no Infinity) or a count. */
const times = (value: unknown): number | undefined =>
  value === "every" ? Number.POSITIVE_INFINITY : (value as number | undefined);

function faultOptions(body: Json): FaultOptions {
  return {
    ...(body.times !== undefined ? { times: times(body.times) } : {}),
    ...(body.category !== undefined ? { category: body.category as FaultOptions["category"] } : {}),
    ...(body.skip !== undefined ? { skip: body.skip as number } : {}),
    ...(body.session !== undefined ? { session: body.session as FaultOptions["session"] } : {}),
  };
}

const T = `${CONTROL_PREFIX}/terminals/{poiid}`;

/** Which terminal a call is for: inspection needs one that exists; scripting creates it (scripts come first). */
function terminalFor(core: SimulatorCore, poiid: string, create: boolean): SimulatedTerminal | ControlAnswer {
  const known = core.options.terminals;
  if (known && !known.includes(poiid))
    return controlError(404, "poiid", `field poiid: no terminal ${poiid} here; this simulator has ${known.join(", ")}`);
  const existing = core.existing(poiid);
  if (existing) return existing;
  if (create)
    return (
      core.terminalWithin(poiid) ??
      controlError(
        404,
        "poiid",
        `field poiid: no room for terminal ${poiid}: this simulator keeps at most ${core.maxTerminals} terminals ` +
          "(--max-terminals) and every one of them is busy (a dialogue, an open session, a waiting screen or scripts pending)",
      )
    );
  return controlError(404, "poiid", `field poiid: no terminal ${poiid} has received a request or a script yet`);
}

/** A route on one terminal. */
function on(
  method: Route["method"],
  suffix: string,
  operationId: string,
  run: (terminal: SimulatedTerminal, body: Json) => ControlAnswer,
  body?: string,
): Route {
  return {
    method,
    path: `${T}${suffix}`,
    operationId,
    body,
    run: ({ core, poiid, body: value }) => {
      const terminal = terminalFor(core, poiid, method === "POST");
      return "json" in terminal ? terminal : run(terminal, value);
    },
  };
}

const pending = (count: number) => ok({ pending: count });
const acted = (terminal: SimulatedTerminal, result: ActionResult): ControlAnswer =>
  result.ok ? ok(terminal.state()) : controlError(409, undefined, result.message);

/** Every control route; the OpenAPI document lists exactly these (a test keeps the two in step). */
export const CONTROL_ROUTES: readonly Route[] = [
  { method: "GET", path: `${CONTROL_PREFIX}/openapi.json`, operationId: "openapi", run: () => ok(OPENAPI_DOCUMENT) },
  {
    method: "GET",
    path: `${CONTROL_PREFIX}/terminals`,
    operationId: "terminals",
    run: ({ core }) => ok(core.terminals()),
  },
  {
    method: "POST",
    path: `${CONTROL_PREFIX}/reset`,
    operationId: "resetAll",
    body: "EmptyBody",
    run: ({ core }) => {
      core.reset();
      return ok({ terminals: core.terminals() });
    },
  },
  { method: "GET", path: `${CONTROL_PREFIX}/events`, operationId: "events", stream: true },
  on("GET", "", "terminal", (t) => ok(t.state())),
  on("GET", "/timeline", "timeline", (t) => ok(t.timeline())),
  on("GET", "/screen", "screen", (t) => ok(t.screen())),
  on("GET", "/session", "session", (t) => ok(t.session)),
  on("GET", "/requests", "requests", (t) => ok(t.requests())),
  on(
    "POST",
    "/reset",
    "reset",
    (t) => {
      t.reset();
      return ok(t.state());
    },
    "EmptyBody",
  ),
  on(
    "POST",
    "/shopper/answer",
    "shopper.answer",
    (t, b) => pending(t.shopper.answer(...(b.answers as ShopperAnswerLike[])).pending()),
    "AnswerBody",
  ),
  on(
    "POST",
    "/shopper/when",
    "shopper.when",
    (t, b) => {
      let prompt: string | RegExp;
      if (typeof b.prompt === "string") prompt = b.prompt;
      else {
        const { regex, flags } = b.prompt as { regex: string; flags?: string };
        try {
          prompt = new RegExp(regex, flags);
        } catch (error) {
          return controlError(400, "prompt.regex", `field prompt.regex: ${(error as Error).message}`);
        }
      }
      const options = b.times !== undefined ? { times: times(b.times) } : {};
      return pending(t.shopper.when(prompt, b.answer as ShopperAnswerLike, options).pending());
    },
    "WhenBody",
  ),
  on(
    "POST",
    "/shopper/thinkTime",
    "shopper.thinkTime",
    (t, b) => pending(t.shopper.thinkTime(b.ms as number).pending()),
    "MsBody",
  ),
  on("GET", "/shopper/pending", "shopper.pending", (t) => pending(t.shopper.pending())),
  on(
    "POST",
    "/shopper/reset",
    "shopper.reset",
    (t) => {
      t.shopper.reset();
      return pending(t.shopper.pending());
    },
    "EmptyBody",
  ),
  on(
    "POST",
    "/shopper/manual",
    "shopper.manual",
    (t, b) => {
      t.shopper.manual(b.on as boolean);
      return ok(t.state());
    },
    "ManualBody",
  ),
  on(
    "POST",
    "/shopper/respond",
    "shopper.respond",
    (t, b) => acted(t, t.shopper.respond(b.answer as ShopperAnswerLike)),
    "RespondBody",
  ),
  on(
    "POST",
    "/payments/next",
    "payments.next",
    (t, b) => pending(t.payments.next(...(b.outcomes as PaymentOutcomeLike[])).pending()),
    "NextBody",
  ),
  on(
    "POST",
    "/payments/duration",
    "payments.duration",
    (t, b) => pending(t.payments.duration(b.ms as number).pending()),
    "MsBody",
  ),
  on("GET", "/payments/pending", "payments.pending", (t) => pending(t.payments.pending())),
  on(
    "POST",
    "/payments/reset",
    "payments.reset",
    (t) => {
      t.payments.reset();
      return pending(t.payments.pending());
    },
    "EmptyBody",
  ),
  on(
    "POST",
    "/payments/present",
    "payments.present",
    (t, b) => acted(t, t.payments.present({ brand: b.brand as CardBrand | undefined })),
    "PresentBody",
  ),
  on(
    "POST",
    "/payments/respond",
    "payments.respond",
    (t, b) =>
      acted(t, t.payments.respond(b.outcome as PaymentOutcomeLike, { brand: b.brand as CardBrand | undefined })),
    "PaymentRespondBody",
  ),
  on(
    "POST",
    "/faults/inject",
    "faults.inject",
    (t, b) => {
      const fault = b.fault as Fault & { ms?: number; processed?: boolean };
      if (fault.kind === "delay" && fault.ms === undefined)
        return controlError(400, "fault.ms", "field fault.ms: missing (a delay fault needs ms)");
      if (fault.kind !== "delay" && fault.ms !== undefined)
        return controlError(400, "fault.ms", `field fault.ms: only a delay fault takes ms, not ${fault.kind}`);
      if (fault.processed !== undefined && fault.kind !== "drop" && fault.kind !== "http500")
        return controlError(
          400,
          "fault.processed",
          `field fault.processed: only drop and http500 take processed, not ${fault.kind}`,
        );
      return pending(t.faults.inject(fault, faultOptions(b)).pending());
    },
    "InjectBody",
  ),
  on(
    "POST",
    "/faults/delay",
    "faults.delay",
    (t, b) => pending(t.faults.delay(b.ms as number, faultOptions(b)).pending()),
    "DelayBody",
  ),
  on(
    "POST",
    "/faults/drop",
    "faults.drop",
    (t, b) => pending(t.faults.drop({ ...faultOptions(b), processed: b.processed as boolean | undefined }).pending()),
    "ProcessedFaultBody",
  ),
  on(
    "POST",
    "/faults/http500",
    "faults.http500",
    (t, b) =>
      pending(t.faults.http500({ ...faultOptions(b), processed: b.processed as boolean | undefined }).pending()),
    "ProcessedFaultBody",
  ),
  on(
    "POST",
    "/faults/malformed",
    "faults.malformed",
    (t, b) => pending(t.faults.malformed(faultOptions(b)).pending()),
    "FaultOptionsBody",
  ),
  on(
    "POST",
    "/faults/busy",
    "faults.busy",
    (t, b) => pending(t.faults.busy(faultOptions(b)).pending()),
    "FaultOptionsBody",
  ),
  on("GET", "/faults/pending", "faults.pending", (t) => pending(t.faults.pending())),
  on(
    "POST",
    "/faults/reset",
    "faults.reset",
    (t) => {
      t.faults.reset();
      return pending(t.faults.pending());
    },
    "EmptyBody",
  ),
];

interface Compiled {
  route: Route;
  pattern: RegExp;
}

const COMPILED: Compiled[] = CONTROL_ROUTES.map((route) => ({
  route,
  pattern: new RegExp(`^${route.path.replace(/[.]/g, "\\.").replace("{poiid}", "([^/]+)")}/?$`),
}));

export type Matched = { kind: "route"; route: Route; poiid: string } | { kind: "answer"; answer: ControlAnswer };

/** The route for a method and path under the control prefix, or the 404/405 answer. */
export function matchControl(method: string, path: string): Matched {
  const hits = COMPILED.map((c) => ({ c, m: c.pattern.exec(path) })).filter((h) => h.m);
  if (hits.length === 0)
    return {
      kind: "answer",
      answer: controlError(
        404,
        undefined,
        `No control API call at ${path}: the calls are listed in ${CONTROL_PREFIX}/openapi.json (docs/simulator.md, Control API)`,
      ),
    };
  const hit = hits.find((h) => h.c.route.method === method);
  if (!hit) {
    const allow = [...new Set(hits.map((h) => h.c.route.method))].join(", ");
    return {
      kind: "answer",
      answer: {
        ...controlError(405, undefined, `${method} is not allowed on ${path}: use ${allow}`),
        headers: { allow },
      },
    };
  }
  let poiid = "";
  if (hit.m![1] !== undefined) {
    try {
      poiid = decodeURIComponent(hit.m![1]);
    } catch {
      return {
        kind: "answer",
        answer: controlError(400, "poiid", `field poiid: the POIID in ${path} is not valid percent-encoding`),
      };
    }
  }
  return { kind: "route", route: hit.c.route, poiid };
}

/** Runs a matched (non-stream) route with the body text as received. */
export function runControl(core: SimulatorCore, route: Route, poiid: string, text: string): ControlAnswer {
  let body: unknown = {};
  if (route.body !== undefined && text.trim() !== "") {
    try {
      body = JSON.parse(text);
    } catch (error) {
      return controlError(400, "(body)", `The body is not JSON: ${(error as Error).message}`);
    }
  } else if (route.body === undefined && text.trim() !== "") {
    return controlError(400, "(body)", `${route.method} ${route.path} takes no body`);
  }
  if (route.body !== undefined) {
    const checked = checkBody(route.body, body);
    if (!checked.ok) return controlError(400, checked.field, checked.message);
  }
  return route.run!({ core, poiid, body: body as Json });
}
