/**
 * A worker thread of `termflow test --jobs N`: receives scenarios (plain data) one at a time, runs
 * each on its own simulator and virtual clock, and posts the result back.
 */
import { parentPort } from "node:worker_threads";
import { fileSources } from "./sources.js";
import { runScenario } from "./run-scenario.js";
import type { WorkerRequest, WorkerResponse } from "./pool.js";

const sourcesByCwd = new Map<string, ReturnType<typeof fileSources>>();

parentPort?.on("message", (message: WorkerRequest) => {
  let sources = sourcesByCwd.get(message.cwd);
  if (!sources) {
    sources = fileSources(message.cwd);
    sourcesByCwd.set(message.cwd, sources);
  }
  void runScenario(message.scenario, { sources, update: message.update, golden: () => message.golden }).then(
    (result) => {
      const response: WorkerResponse = { seq: message.seq, result };
      parentPort?.postMessage(response);
    },
  );
});
