/**
 * `npm run soak`: 200 flows at once against one `termflow sim` process over HTTP for 5 minutes, with
 * random faults and cancellations; prints what it ran and each invariant with its figure, and exits 1
 * when one fails. test/soak/soak.test.ts runs a short seeded slice of it in `npm test`.
 */
import { parseArgs } from "node:util";
import { DEFAULT_SOAK, judge, runSoak } from "./soak.js";

const HELP = `npm run soak [-- options]    (builds first; not part of npm test, which runs a 10 s slice)

  --minutes <m>       how long new runs start (default 5; decimals allowed)
  --flows <n>         flows at once, each a POS lane with its own SaleID (default ${DEFAULT_SOAK.flows})
  --seed <n>          the plans' seed (default: drawn and printed); the same seed gives the same
                      plans (flows, bills, shopper, card, faults, cancel times), not the same timing
  --cancel-rate <x>   share of runs cancelled at a random time (default ${DEFAULT_SOAK.cancelRate})
  --fault-rate <x>    share of runs with injected faults (default ${DEFAULT_SOAK.faultRate})
  --max-delay-ms <n>  the longest delay fault (default ${DEFAULT_SOAK.maxDelayMs})
  --shared-every <n>  one lane in n shares its terminal with the lane before (default ${DEFAULT_SOAK.sharedEvery}; 0: none)
  --sim-arg <arg>     termflow sim arguments instead of the soak's (${DEFAULT_SOAK.simArgs.join(" ")}); repeatable:
                      --sim-arg=--history-mb --sim-arg=32 runs it with the default history
  --json              the summary as JSON`;

const { values: o } = parseArgs({
  options: {
    minutes: { type: "string", default: "5" },
    flows: { type: "string", default: String(DEFAULT_SOAK.flows) },
    seed: { type: "string" },
    "cancel-rate": { type: "string", default: String(DEFAULT_SOAK.cancelRate) },
    "fault-rate": { type: "string", default: String(DEFAULT_SOAK.faultRate) },
    "max-delay-ms": { type: "string", default: String(DEFAULT_SOAK.maxDelayMs) },
    "shared-every": { type: "string", default: String(DEFAULT_SOAK.sharedEvery) },
    "sim-arg": { type: "string", multiple: true, default: [] },
    json: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (o.help) {
  console.log(HELP);
  process.exit(0);
}

const seed = o.seed !== undefined ? Number(o.seed) : Math.floor(Math.random() * 2 ** 31);
const log = (line: string) => process.stderr.write(`${line}\n`);
log(`termflow soak, seed ${seed}: ${o.flows} flows at once for ${o.minutes} min`);
const summary = await runSoak({
  seed,
  flows: Number(o.flows),
  durationMs: Number(o.minutes) * 60_000,
  cancelRate: Number(o["cancel-rate"]),
  faultRate: Number(o["fault-rate"]),
  maxDelayMs: Number(o["max-delay-ms"]),
  sharedEvery: Number(o["shared-every"]),
  ...(o["sim-arg"].length > 0 ? { simArgs: o["sim-arg"] } : {}),
  log,
});
const verdicts = judge(summary);

if (o.json) console.log(JSON.stringify({ summary, verdicts }, null, 2));
else {
  const t = summary.totals;
  const lines = [
    `\ntermflow soak summary (seed ${seed}): ${summary.flows} flows at once, ` +
      `${(summary.durationMs / 60_000).toFixed(1)} min of new runs, ${(summary.wallMs / 1000).toFixed(0)} s ` +
      `in all; load average ${summary.loadAverage.join(" ")}`,
    `runs: ${summary.runs} (${Object.entries(summary.statuses)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}); ${summary.cancelsPlanned} with a cancel planned`,
    `why runs did not pass: ${Object.entries(summary.codes)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
    `flows: ${Object.entries(summary.byFlow)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
    `requests: ${t.requests}, ${t.faultsHit} hit by an injected fault, ${t.resetsWithoutFault} ` +
      `connection resets without one (a kept-alive connection closed by the simulator as it was reused; the ` +
      `driver's event loop lagged up to ${summary.driverLagMs.max} ms, p99 ${summary.driverLagMs.p99} ms); ` +
      `termflow sim logged ${summary.simLogLines} lines`,
    `payments: ${t.paymentsSent} sent (${Object.entries(summary.payments)
      .map(([k, v]) => `${k} ${v}`)
      .join(
        ", ",
      )}); ${t.viaStatus} settled by TransactionStatus, ${t.honestUnknown} unknown where the terminal could not tell, ` +
      `${t.unverifiable} no longer in the simulator's history; refunds ${t.refundsSent}`,
    `sessions: ${t.sessionsBegun} begun; ${t.reportedOpen} reported left open by their run (End lost or ` +
      `refused), ${t.recovered} ended by the next run's Begin (journal), ${summary.endedBySweep} by the ` +
      `final endSession sweep`,
    `kept at the end: ${summary.kept.requests} requests in the simulator's logs, ${(summary.kept.bytes / 1048576).toFixed(1)} MiB of JSON`,
    "",
    ...verdicts.map((v) => `${v.ok ? "✓" : "✗"} ${v.what}: ${v.figure}`),
  ];
  if (summary.violations.length > 0) {
    lines.push("", "violations (first 20):");
    for (const v of summary.violations.slice(0, 20)) lines.push(`  ${v.kind}: ${v.run}: ${v.message}`);
  }
  console.log(lines.join("\n"));
}
process.exitCode = verdicts.every((v) => v.ok) ? 0 : 1;
