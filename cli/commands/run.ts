/**
 * `termflow run <file>`: runs a flow against the embedded simulator (default), the cloud or a local
 * terminal. Prints a live step list and the simulated terminal's screens, or NDJSON events with
 * `--json`, or the exact requests without sending any with `--dry-run`. SIGINT/SIGTERM abort the
 * request in flight and end the open session before exiting with 130.
 */
import { type Command, InvalidArgumentError, Option } from "commander";
import pc from "picocolors";
import { toJsonDiagnostic, type Flow } from "../../language/index.js";
import { decodeBase64Json, printable, VirtualClock, type SaleToPOIRequest } from "../../protocol/index.js";
import {
  bindParams,
  DEFAULT_POIID,
  DEFAULT_SALE_ID,
  dryRunTransport,
  RunEmitter,
  runFlow,
  simulatorTransport,
  TARGETS,
  type RunOptions,
  type RunResult,
  type Transport,
} from "../../runtime/index.js";
import { createSimulator, type SimulatorServer } from "../../simulator/index.js";
import { attachNdjson } from "../reporters/ndjson.js";
import { renderRequests, type PlannedRequest } from "../reporters/requests.js";
import { attachStepList, runSummaryLine, type LiveLine } from "../reporters/step-list.js";
import { renderTimeline, type ScreenEventLike } from "../reporters/timeline.js";
import { useColor, type CliIO } from "../io.js";
import { EXIT, runExit } from "../exit-codes.js";
import { isFlowFile } from "../files.js";
import { loadFlowFile } from "../load-flow-file.js";
import { writeDiagnostics } from "../output.js";
import { cliSessionJournal, openNetworkTarget, targetSettings, type TargetCliOptions } from "../target.js";
import { capturesSecret, learnCaptures } from "../secrets.js";

const EXAMPLES = `
Examples:
  $ termflow run flows/pay-at-table.flow                 on the embedded simulator (simulated time)
  $ termflow run flows/tipping.flow --var table=7 --json  NDJSON events for tools
  $ termflow run flows/pay-at-table.flow --dry-run --seed 1
                                                          the exact requests, nothing sent
  $ termflow run flows/pay-at-table.flow --ui --manual   watch it on the page, answer by clicking
  $ termflow sim --port 8080 &
  $ termflow run flows/plain-payment.flow --target cloud --endpoint http://127.0.0.1:8080
  $ TERMFLOW_API_KEY=... termflow run flows/plain-payment.flow --target cloud \\
      --merchant MyMerchantPOS --poiid V400m-324688179
  $ TERMFLOW_KEY_IDENTIFIER=K1 TERMFLOW_KEY_PASSPHRASE=... TERMFLOW_CA_FILE=adyen-root.pem \\
      termflow run flows/plain-payment.flow --target local --endpoint 192.168.1.20
  $ TERMFLOW_CA_FILE=adyen-root.pem termflow run flows/plain-payment.flow --target local \\
      --endpoint 192.168.1.20 --insecure-cleartext      a TEST terminal without a key (warns)

Secrets come from the environment (TERMFLOW_API_KEY, TERMFLOW_KEY_IDENTIFIER, TERMFLOW_KEY_VERSION,
TERMFLOW_KEY_PASSPHRASE) or --config, and are never printed.
Exit codes: 0 passed, 1 flow failed, 2 invalid flow or usage, 3 transport or configuration error,
4 a payment's outcome is unknown (look it up before charging again), 5 interrupted after a payment
was approved (the shopper has paid), 130 interrupted (the session was ended first).`;

interface RunCommandOptions extends TargetCliOptions {
  var: string[];
  json?: boolean;
  dryRun?: boolean;
  seed?: string;
  color?: boolean;
  ui?: boolean;
  uiPort?: number;
  manual?: boolean;
}

export function register(program: Command, io: CliIO): void {
  program
    .command("run")
    .description("run a flow on the simulator, the cloud or a local terminal")
    .argument("<file>", "a *.flow or *.flow.yaml file")
    .addOption(new Option("--target <target>", 'where to send requests (default: "sim")').choices(TARGETS))
    .option("--endpoint <url>", "base URL of the cloud or local target (a local target also takes a bare IP)")
    .option("--poiid <id>", `the terminal's POIID (default ${DEFAULT_POIID})`)
    .option("--sale-id <id>", `this POS's SaleID (default ${DEFAULT_SALE_ID})`)
    .option("--merchant <account>", "merchant account: use the cloud device API (without it: legacy /sync)")
    .option(
      "--var <name=value>",
      "give a param a value (repeatable)",
      (value: string, all: string[]) => [...all, value],
      [] as string[],
    )
    .option("--json", "print every run event as one JSON line (NDJSON)")
    .option("--dry-run", "print the exact requests without sending any (cooperative sample answers)")
    .option("--seed <n>", "make ServiceIDs, ids and timestamps reproducible (dry runs, tests)", parseSeed)
    .option(
      "--config <file>",
      "JSON file with target settings (endpoint, merchant, poiid, saleId, caFile, keyIdentifier, keyVersion, passphrase)",
    )
    .option("--ca-file <file>", "Adyen's terminal root CA (PEM) for --target local over https")
    .option(
      "--insecure-cleartext",
      "--target local without an encryption key: send in clear to a TEST terminal on the LAN (warns; never for live)",
    )
    .option("--ui", "run on the embedded simulator in real time and show it on the page (loopback)")
    .option("--ui-port <port>", "the page's port (default: a free one)", (v: string) => {
      const n = Number(v);
      if (!/^\d+$/.test(v) || n > 65535) throw new InvalidArgumentError("expected a port from 0 to 65535");
      return n;
    })
    .option("--manual", "with --ui: inputs and payments wait for a click on the page")
    .option("--color", "colour the output")
    .option("--no-color", "never colour the output")
    .addHelpText("after", EXAMPLES)
    .action(async (file: string, options: RunCommandOptions) => {
      io.exitCode = await runCommand(file, options, io);
    });
}

/** Runs one flow file; resolves to the exit code. */
export async function runCommand(file: string, options: RunCommandOptions, io: CliIO): Promise<number> {
  const color = useColor(io, options.color);
  const c = pc.createColors(color);
  const fail = (message: string, code: number): number => {
    io.stderr(`${c.bold(c.red("error"))}${c.bold(`: ${message}`)}\n`);
    return code;
  };

  if (!isFlowFile(file))
    return fail(
      `cannot run \`${file}\`: not a flow file (expected *.flow, *.flow.yaml, *.yaml or *.yml)`,
      EXIT.invalid,
    );
  // NDJSON consumers read stdout only: tell them too why nothing ran.
  const loaded = loadFlowFile(file, io, color, "not run", (diagnostics) => {
    if (options.json) io.stdoutJson({ event: "invalid", file, diagnostics: diagnostics.map(toJsonDiagnostic) });
  });
  if (!loaded) return EXIT.invalid;
  const { flow, sources } = loaded;

  const vars = parseVars(options.var);
  if (typeof vars === "string") return fail(vars, EXIT.invalid);
  io.secrets.addFrom(vars);
  // Missing or unknown params stop the run before anything is printed or sent.
  const params = bindParams(flow, vars);
  if (params.diagnostics.length > 0) {
    writeDiagnostics(io.stderr, params.diagnostics, sources, color);
    return fail(`not run \`${file}\`: its params are not all given`, EXIT.invalid);
  }
  const settings = targetSettings(options, io);
  if (typeof settings === "string") return fail(settings, EXIT.transport);
  const { target, config } = settings;
  const base: Omit<RunOptions, "terminal"> = {
    vars,
    calls: loaded.called,
    poiid: settings.poiid,
    saleId: settings.saleId,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  };

  if (options.ui && target !== "sim")
    return fail(
      "--ui shows the embedded simulator: drop --target, or open the page of a `termflow sim --ui`",
      EXIT.transport,
    );
  if ((options.manual || options.uiPort !== undefined) && !options.ui)
    return fail(`${options.manual ? "--manual" : "--ui-port"} needs --ui`, EXIT.transport);
  if (options.ui && options.dryRun) return fail("--ui and --dry-run: a dry run sends nothing to show", EXIT.transport);

  if (options.dryRun) return dryRun(flow, base, options, io, sources, color);

  // The embedded simulator runs on a virtual clock: shopper think time, payments and waiting screens
  // cost no wall time, and the durations shown are the terminal's.
  let transport: Transport;
  let clock: VirtualClock | undefined;
  let simulator: ReturnType<typeof createSimulator> | undefined;
  let page: SimulatorServer | undefined;
  if (target === "sim" && options.ui) {
    // A person watches (and maybe answers): the terminal runs in real time.
    simulator = createSimulator({ manualShopper: options.manual === true });
    transport = simulatorTransport(simulator);
    try {
      page = await simulator.listen({ port: options.uiPort ?? 0, ui: true });
    } catch (error) {
      return fail(`cannot serve the page: ${(error as Error).message}`, EXIT.transport);
    }
    // NDJSON readers own stdout: with --json the page's address goes to stderr.
    (options.json ? io.stderr : io.stdout)(
      `page: ${page.url}/ (open it to watch${options.manual ? " and answer" : ""})\n`,
    );
  } else if (target === "sim") {
    clock = new VirtualClock({ auto: true, ...(options.seed === undefined ? { start: Date.now() } : {}) });
    simulator = createSimulator({ clock });
    transport = simulatorTransport(simulator);
  } else {
    const opened = openNetworkTarget(settings, options, io, c);
    if (typeof opened === "string") return fail(opened, EXIT.transport);
    transport = opened;
  }

  // A real terminal outlives this process: remember the sessions it may hold (docs/cli.md, "end-session").
  const journal = target === "sim" ? undefined : cliSessionJournal(io);
  const emitter = new RunEmitter();
  const controller = new AbortController();
  let unsubscribe: (() => void) | undefined;
  const unsubscribeOnce = (): void => {
    unsubscribe?.();
    unsubscribe = undefined;
  };
  unsubscribe = io.onInterrupt((signal) => {
    // One interrupt ends the run cleanly; a second one (no handler left) kills the process.
    unsubscribeOnce();
    if (!options.json)
      io.stderr(
        `\n${c.yellow(signal)}: aborting the request in flight and ending the session (again to quit at once)\n`,
      );
    controller.abort();
  });

  // Before the reporters: a secret capture is learnt before its step's line is printed.
  learnCaptures(io.secrets, emitter);
  const detach = options.json
    ? attachNdjson(emitter, { writeJson: io.stdoutJson, hold: capturesSecret(flow, loaded.called) })
    : attachStepList(emitter, {
        write: io.stdout,
        color,
        ...(io.isTTY && (process.stdout.columns ?? 0) > 0
          ? { live: spinnerLine((await import("ora")).default, io.safe) }
          : {}),
      });
  if (!options.json) {
    const name = flow.name ? ` ${JSON.stringify(flow.name.value)}` : "";
    io.stdout(
      `${c.bold(`Running ${printable(file)}${name}`)} ${c.dim(`on ${transport.description}${clock ? ", simulated time" : ""}`)}\n`,
    );
  }

  let result: RunResult;
  try {
    result = await runFlow(flow, {
      ...base,
      terminal: transport,
      emitter,
      signal: controller.signal,
      ...(clock ? { clock } : {}),
      ...(journal ? { sessionJournal: journal } : {}),
    });
  } finally {
    detach();
    unsubscribeOnce();
  }

  if (options.json) {
    if (simulator)
      io.stdoutJson({ event: "timeline", poiid: base.poiid, screens: simulator.terminal(base.poiid!).timeline() });
  } else {
    // A decline (or cancelled input) the flow checks itself or a handler takes is handled, not a
    // problem: the step line already says so, so it gets a one-line note instead of a warning.
    const handled = new Map(
      result.steps.filter((s) => s.status === "passed" && s.diagnostic).map((s) => [s.diagnostic!, s] as const),
    );
    writeDiagnostics(
      io.stderr,
      [...result.diagnostics, ...result.warnings.filter((w) => !handled.has(w))],
      sources,
      color,
    );
    for (const w of result.warnings) {
      const step = handled.get(w);
      const by = step?.handled ? `its \`on ${step.handled}\` handler` : "the flow";
      if (step) io.stderr(c.dim(`note[${w.code}]: ${w.message}; handled by ${by}\n`));
    }
    io.stdout(runSummaryLine(result, color));
    // A `termflow sim` keeps the screens of earlier runs too: show this run's.
    const timeline = simulator
      ? simulator.terminal(base.poiid!).timeline()
      : (await fetchSimulatorTimeline(options.endpoint ?? config.endpoint, base.poiid!))?.filter(
          (e) => e.at >= result.startedAt,
        );
    // Only when something reached the terminal: a lone "idle (started)" says nothing.
    if (timeline?.some((e) => e.screen !== "idle")) {
      io.stdout(
        `\n${renderTimeline(`Screens of ${base.poiid}${clock ? " (simulated time)" : ""}:`, timeline, result.startedAt, color)}`,
      );
    }
  }
  await transport.close?.();
  if (page) {
    // The page stays until Ctrl-C, so the run can be looked at after it ended.
    if (!controller.signal.aborted) {
      (options.json ? io.stderr : io.stdout)(`\nThe page stays at ${page.url}/; Ctrl-C stops\n`);
      await new Promise<void>((resolve) => {
        const stop = io.onInterrupt(() => {
          stop();
          resolve();
        });
      });
    }
    await page.close();
  }
  return runExit(result);
}

/** `--dry-run`: the requests of the happy path, on a virtual clock, nothing sent. */
async function dryRun(
  flow: Flow,
  base: Omit<RunOptions, "terminal">,
  options: RunCommandOptions,
  io: CliIO,
  sources: Map<string, string>,
  color: boolean,
): Promise<number> {
  const c = pc.createColors(color);
  const transport = dryRunTransport();
  // With a seed even the timestamps are fixed (the virtual clock's 2026-01-01 start).
  const clock = new VirtualClock({ auto: true, ...(options.seed === undefined ? { start: Date.now() } : {}) });
  const emitter = new RunEmitter();
  // A called flow's secret-named params are learnt when the call binds them, before its requests print.
  learnCaptures(io.secrets, emitter);
  const labels = new Map<string, string>();
  const planned: PlannedRequest[] = [];
  emitter.on("stepStart", (e) => labels.set(e.path, e.label));
  emitter.on("request", (e) =>
    planned.push({ name: e.name, step: requestNote(e.message, labels.get(e.path ?? "") ?? ""), request: e.message }),
  );
  const result = await runFlow(flow, { ...base, terminal: transport, clock, emitter });
  if (result.status === "invalid") {
    writeDiagnostics(io.stderr, result.diagnostics, sources, color);
    return EXIT.invalid;
  }
  if (options.json) for (const r of planned) io.stdoutJson(r.request);
  else {
    io.stdout(renderRequests(planned));
    io.stdout(c.dim(`# dry run: ${planned.length} request${planned.length === 1 ? "" : "s"}, nothing was sent\n`));
  }
  if (result.status !== "passed") {
    // Sample answers can make an expect fail (it expects a decline): say where the requests stop.
    io.stderr(
      `${c.yellow("note")}: with the dry run's sample answers the flow stops at: ${result.diagnostics[0]?.message ?? result.status}\n`,
    );
  }
  return EXIT.ok;
}

/** `Begin session "S1"` for Admin requests, the step's label otherwise. */
function requestNote(message: SaleToPOIRequest, label: string): string {
  const admin = (message.SaleToPOIRequest as { AdminRequest?: { ServiceIdentification?: string } }).AdminRequest;
  if (admin?.ServiceIdentification) {
    const decoded = decodeBase64Json(admin.ServiceIdentification);
    const session = decoded.ok ? (decoded.value as { Session?: { Id: string; Type: string } })?.Session : undefined;
    if (session) return `${session.Type} session ${JSON.stringify(session.Id)}`;
  }
  return label;
}

/** `--seed`: a whole number, kept as written so seeded ids stay what they were. */
function parseSeed(value: string): string {
  if (!/^-?\d+$/.test(value.trim())) throw new InvalidArgumentError("expected a whole number");
  return value.trim();
}

/** `name=value` pairs; the runtime reports unknown names and wrong types against the flow. */
function parseVars(pairs: readonly string[]): Record<string, string> | string {
  const vars: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) return `--var wants name=value, got \`${pair}\``;
    vars[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return vars;
}

/**
 * ora on the real terminal: the running step's line (only with a known width: ora divides by it).
 * ora writes to the terminal itself, so its texts go through `safe` (what CliIO does to its output).
 * It is loaded only then: off a terminal (CI, pipes, editors) ora and chalk are never loaded.
 */
function spinnerLine(ora: typeof import("ora")["default"], safe: (text: string) => string): LiveLine {
  const spinner = ora({ stream: process.stdout, discardStdin: false });
  return {
    start: (text, indent) => {
      spinner.indent = indent;
      spinner.start(safe(text));
    },
    finish: (symbol, text) => {
      if (!spinner.isSpinning) return false;
      spinner.stopAndPersist({ symbol, text: safe(text) });
      return true;
    },
    stop: () => {
      if (spinner.isSpinning) spinner.stop();
    },
  };
}

/**
 * A `termflow sim` on this machine serves its screens at /__termflow/terminals/:poiid/timeline; ask
 * it (loopback only: never probe a real Adyen endpoint).
 */
async function fetchSimulatorTimeline(
  endpoint: string | undefined,
  poiid: string,
): Promise<ScreenEventLike[] | undefined> {
  if (!endpoint) return undefined;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return undefined;
  }
  if (!["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)) return undefined;
  try {
    // node-fetch, the runtime's HTTP client, loaded only by a run that asks a termflow sim.
    const { default: fetch } = await import("node-fetch");
    const response = await fetch(`${url.origin}/__termflow/terminals/${encodeURIComponent(poiid)}/timeline`, {
      signal: AbortSignal.timeout(2000) as never,
    });
    if (response.status !== 200) return undefined;
    const value = (await response.json()) as unknown;
    return Array.isArray(value) ? (value as ScreenEventLike[]) : undefined;
  } catch {
    return undefined;
  }
}
