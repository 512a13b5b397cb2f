/** The module hooks of record-loads.ts: they run on a thread of their own. */
import { appendFileSync } from "node:fs";
import type { LoadHook } from "node:module";

export const load: LoadHook = (url, context, nextLoad) => {
  const file = process.env.TERMFLOW_RECORD_LOADS;
  if (file) appendFileSync(file, `${url}\n`);
  return nextLoad(url, context);
};
