/**
 * Where scenarios run: in this thread, or on a worker thread (`--jobs N` uses this thread and N - 1
 * workers), one scenario per runner at a time.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Scenario } from "../scenario/model.js";
import type { ScenarioResult, TimelineEntry } from "../result.js";
import { runScenario } from "./run-scenario.js";
import { fileSources } from "./sources.js";

export interface WorkerRequest {
  seq: number;
  /** Relative file names in spans are read from here (failure snippets). */
  cwd: string;
  scenario: Scenario;
  update: boolean;
  golden?: TimelineEntry[];
}

export interface WorkerResponse {
  seq: number;
  result: ScenarioResult;
}

/** Something that runs one scenario at a time; `close` frees it. */
export interface ScenarioRunner {
  run(request: Omit<WorkerRequest, "seq" | "cwd">): Promise<ScenarioResult>;
  close(): Promise<void>;
}

/** Runs in this thread. */
export function inThreadRunner(cwd: string): ScenarioRunner {
  const sources = fileSources(cwd);
  return {
    run: (request) => runScenario(request.scenario, { sources, update: request.update, golden: () => request.golden }),
    close: async () => {},
  };
}

/**
 * The worker script, wherever this code was loaded from: the bundled worker (dist/qa-worker.mjs, a
 * few files to load instead of ~110 modules and chevrotain's 641) from the CLI's chunks (dist/chunks/)
 * or from tsc's output (dist/qa/run/); tsc's unbundled worker beside this module when there is no
 * bundle; the sources under tsx.
 */
function workerScript(): URL {
  const candidates = [
    new URL("../qa-worker.mjs", import.meta.url),
    new URL("../../qa-worker.mjs", import.meta.url),
    new URL("./worker.js", import.meta.url),
    new URL("./worker.ts", import.meta.url),
  ];
  const found = candidates.find((url) => url.protocol === "file:" && existsSync(fileURLToPath(url)));
  if (!found) throw new Error(`cannot find the scenario worker script next to ${fileURLToPath(import.meta.url)}`);
  return found;
}

/** Sources run through tsx (tests): the worker registers tsx's loader before loading the script. */
function tsxWorker(script: URL): Worker {
  const api = import.meta.resolve("tsx/esm/api");
  const boot = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(script.href)}); });`;
  return new Worker(boot, { eval: true });
}

/**
 * Runs in a worker thread. A worker that dies fails its scenario and is replaced by the next run.
 * `eager` starts the thread now, so its start-up overlaps whatever the caller does next.
 */
export function workerRunner(cwd: string, eager = false): ScenarioRunner {
  const script = workerScript();
  let worker: Worker | undefined;
  let seq = 0;
  const pending = new Map<number, { resolve: (r: ScenarioResult) => void; reject: (e: Error) => void }>();
  const start = (): Worker => {
    const w = script.pathname.endsWith(".ts") ? tsxWorker(script) : new Worker(script);
    w.on("message", (response: WorkerResponse) => {
      const waiter = pending.get(response.seq);
      pending.delete(response.seq);
      waiter?.resolve(response.result);
    });
    const failAll = (error: Error): void => {
      for (const waiter of pending.values()) waiter.reject(error);
      pending.clear();
      if (worker === w) worker = undefined;
    };
    w.on("error", failAll);
    w.on("exit", (code) => failAll(new Error(`the worker thread exited with code ${code}`)));
    return w;
  };
  if (eager) worker = start();
  return {
    run(request) {
      worker ??= start();
      const message: WorkerRequest = { ...request, cwd, seq: ++seq };
      return new Promise<ScenarioResult>((resolve, reject) => {
        pending.set(message.seq, { resolve, reject });
        worker!.postMessage(message);
      });
    },
    async close() {
      const w = worker;
      worker = undefined;
      if (w) await w.terminate();
    },
  };
}
