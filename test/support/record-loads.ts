/**
 * `node --import <this file>` writes the URL of every module loaded after it, one a line, to the
 * file named by TERMFLOW_RECORD_LOADS: tests see what importing something really loads.
 */
import { appendFileSync } from "node:fs";
import { register, type LoadHook } from "node:module";
import { isMainThread } from "node:worker_threads";

// Module hooks run on a thread of their own, which loads this same file: register only once.
if (isMainThread) register(import.meta.url);

export const load: LoadHook = (url, context, nextLoad) => {
  const file = process.env.TERMFLOW_RECORD_LOADS;
  if (file) appendFileSync(file, `${url}\n`);
  return nextLoad(url, context);
};
