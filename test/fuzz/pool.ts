/**
 * Runs fuzz jobs on worker threads and watches the clock: a case that takes longer than its budget
 * is a hang, so its worker is ended and a fresh one goes on with the next case; a worker that dies
 * (out of its heap limit, a crash) is a finding for the case it was on. A synchronous parser that
 * loops cannot be interrupted any other way.
 */
import { Worker } from "node:worker_threads";
import type { Job, JobDone, WorkerSetup } from "./jobs.js";

export interface PoolOptions {
  setup: WorkerSetup;
  /** Workers at once. */
  workers: number;
  /** How long a job may take before it counts as hung. */
  budgetMs: (job: Job) => number;
  /** Each worker's heap limit: a case that needs more is reported, not allowed to eat the machine. */
  heapLimitMb: number;
  onDone: (done: JobDone) => void;
}

const WORKER = new URL("./worker.js", import.meta.url);

/** One worker working through `jobs` in order; restarted past a hang or a crash. */
function lane(jobs: Job[], options: PoolOptions): Promise<void> {
  return new Promise((resolve) => {
    let next = 0;
    const start = () => {
      if (next >= jobs.length) return resolve();
      const worker = new Worker(WORKER, {
        workerData: options.setup,
        resourceLimits: { maxOldGenerationSizeMb: options.heapLimitMb },
        stdout: true,
        stderr: true,
      });
      worker.stdout.resume();
      worker.stderr.resume();
      let since = performance.now();
      let ended = false;
      const end = (kind: string, message: string) => {
        if (ended) return;
        ended = true;
        clearInterval(watch);
        const job = jobs[next];
        if (job) options.onDone({ job, ms: performance.now() - since, findings: [{ kind, stage: "worker", message }] });
        next++;
        void worker.terminate().then(start);
      };
      const watch = setInterval(() => {
        const job = jobs[next];
        if (job && performance.now() - since > options.budgetMs(job))
          end("hang", `no result within ${options.budgetMs(job)} ms`);
      }, 200);
      worker.on("message", (message: JobDone | "finished") => {
        if (ended) return;
        if (message === "finished") {
          ended = true;
          clearInterval(watch);
          void worker.terminate().then(() => resolve());
          return;
        }
        options.onDone(message);
        next++;
        since = performance.now();
      });
      worker.on("error", (error) =>
        end("worker-died", `${(error as NodeJS.ErrnoException).code ?? ""} ${error.message}`),
      );
      worker.on("exit", (code) => end("worker-died", `the worker exited with ${code}`));
      worker.postMessage(jobs.slice(next));
    };
    start();
  });
}

/** Runs every job, spread round-robin over the workers; resolves when all are done. */
export async function runJobs(jobs: Job[], options: PoolOptions): Promise<void> {
  const lanes: Job[][] = Array.from({ length: Math.max(1, options.workers) }, () => []);
  jobs.forEach((job, i) => lanes[i % lanes.length].push(job));
  await Promise.all(lanes.filter((l) => l.length > 0).map((l) => lane(l, options)));
}
