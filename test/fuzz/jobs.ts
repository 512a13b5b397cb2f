/** What the fuzzer's main thread hands its workers, what comes back, and how a job becomes its case. */
import type { BundleRun } from "./cli-check.js";
import { parserCase, type ParserCase } from "./parser-cases.js";
import type { Finding } from "./parser-check.js";
import { PATHOLOGICAL, pathologicalCase } from "./pathological.js";

/** One case: a parser family's `index`th draw, or `PATHOLOGICAL[index]`; the CLI runs on a sample. */
export interface Job {
  family: string;
  index: number;
  cli?: "in-process" | "bundle";
}

export interface JobDone {
  job: Job;
  /** Time the front end took on the case (check, fmt, convert or scenario loading). */
  ms: number;
  /** Time the CLI commands took, when the case was in the CLI sample. */
  cliMs?: number;
  bytes?: number;
  /** The file name the case was given under. */
  file?: string;
  findings: Finding[];
  /** The bundled CLI's runs, when the case was in its sample. */
  runs?: BundleRun[];
  /** The source, when something was found (and it is not huge): written next to the summary. */
  source?: string;
}

export interface WorkerSetup {
  seed: number;
  /** The size of the pathological inputs (1: as issue 8 gives them). */
  scale: number;
  bundleTimeoutMs: number;
}

/** The case a job names. */
export function caseOf(job: Job, setup: Pick<WorkerSetup, "seed" | "scale">): ParserCase {
  if (job.family === "pathological") return pathologicalCase(PATHOLOGICAL[job.index], setup.scale);
  return parserCase(setup.seed, job.family, job.index);
}
