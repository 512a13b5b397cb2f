// Runs one in-process row in a process of its own (run.mjs starts one per row, so no row pays for
// another's garbage or JIT state): setup, warm-up, then rounds that run A and B back to back,
// alternating which goes first. Prints the result as one JSON line on stdout.
//   node bench/lib/in-process.mjs <row file> <row id> <context JSON>
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { findRow } from "./registry.mjs";
import { median, summary } from "./stats.mjs";

const [file, id, contextJson] = process.argv.slice(2);
const context = JSON.parse(contextJson);
const row = findRow(await import(pathToFileURL(file).href), id);
const state = (await row.setup?.(context)) ?? {};

if (row.kind === "measure") {
  const measured = await row.measure(state, context);
  console.log(JSON.stringify({ kind: "measure", ...measured }));
} else {
  const rounds = context.quick ? (row.rounds?.quick ?? 3) : (row.rounds?.full ?? 15);
  const warmup = row.warmup ?? 2;
  /** One sample of a side: wall milliseconds per unit (a run, or a statement when `per` is set). */
  const sample = async (side) => {
    const repeat = side.repeat ?? 1;
    const start = performance.now();
    for (let i = 0; i < repeat; i++) await side.run(state);
    return (performance.now() - start) / repeat / (side.per ?? 1);
  };
  for (let i = 0; i < warmup; i++) {
    await sample(row.a);
    await sample(row.b);
  }
  const a = [];
  const b = [];
  const ratios = [];
  for (let i = 0; i < rounds; i++) {
    const first = i % 2 === 0 ? row.a : row.b;
    const x = await sample(first);
    const y = await sample(first === row.a ? row.b : row.a);
    const [ta, tb] = first === row.a ? [x, y] : [y, x];
    a.push(ta);
    b.push(tb);
    ratios.push(ta / tb);
  }
  const details = (await row.details?.(state, context, { a, b })) ?? [];
  console.log(
    JSON.stringify({ kind: "in-process", a: summary(a), b: summary(b), ratio: median(ratios), rounds, details }),
  );
}
