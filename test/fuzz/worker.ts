/**
 * The fuzzer's worker thread: builds each case from its seed, runs the checks, and reports one
 * message per case, so the main thread can tell a slow case from a hung one and end it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import { checkCliBundle, checkCliInProcess } from "./cli-check.js";
import { caseOf, type Job, type JobDone, type WorkerSetup } from "./jobs.js";
import type { ParserCase } from "./parser-cases.js";
import { checkParserCase, type Finding } from "./parser-check.js";

const setup = workerData as WorkerSetup;
const dir = mkdtempSync(join(tmpdir(), "termflow-fuzz-"));

async function run(job: Job): Promise<JobDone> {
  const started = performance.now();
  let c: ParserCase;
  try {
    c = caseOf(job, setup);
  } catch (error) {
    const message = `could not build the case: ${(error as Error)?.stack ?? String(error)}`;
    return { job, ms: performance.now() - started, findings: [{ kind: "generator", stage: "build", message }] };
  }
  const findings: Finding[] = checkParserCase(c);
  const front = performance.now() - started;
  if (job.cli === "in-process") findings.push(...(await checkCliInProcess(c, dir)));
  const bundle = job.cli === "bundle" ? await checkCliBundle(c, dir, setup.bundleTimeoutMs) : undefined;
  if (bundle) findings.push(...bundle.findings);
  return {
    job,
    ...(bundle ? { runs: bundle.runs } : {}),
    ms: front,
    cliMs: job.cli ? performance.now() - started - front : undefined,
    bytes: c.source.length,
    file: c.file,
    findings,
    ...(findings.length > 0 && c.source.length <= 1_000_000 ? { source: c.source } : {}),
  };
}

parentPort!.on("message", async (jobs: Job[]) => {
  for (const job of jobs) parentPort!.postMessage(await run(job));
  rmSync(dir, { recursive: true, force: true });
  parentPort!.postMessage("finished");
});
