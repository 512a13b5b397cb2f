/**
 * `termflow sim`: serves the terminal simulator over HTTP until interrupted, logging one line per
 * request (time, POIID, category, result). Secrets (API key, passphrase) come from environment
 * variables named on the command line and are never printed.
 */
import { type Command, InvalidArgumentError } from "commander";
import pc from "picocolors";
import type { NexoKey } from "../../protocol/index.js";
import { createSimulator, isLoopbackHost, type RequestLogEntry, type SimulatorServer } from "../../simulator/index.js";
import { EXIT } from "../exit-codes.js";
import { applyScripts, loadScripts } from "../sim-scripts.js";
import { useColor, type CliIO } from "../io.js";

const PAYMENT_EXAMPLE =
  `'{"SaleToPOIRequest":{"MessageHeader":{"ProtocolVersion":"3.0","MessageClass":"Service",` +
  `"MessageCategory":"Payment","MessageType":"Request","ServiceID":"1001","SaleID":"POS1",` +
  `"POIID":"V400m-324688179"},"PaymentRequest":{"SaleData":{"SaleTransactionID":{"TransactionID":"T1",` +
  `"TimeStamp":"2026-01-01T12:00:00Z"}},"PaymentTransaction":{"AmountsReq":{"Currency":"EUR","RequestedAmount":12.5}}}}}'`;

const EXAMPLES = `
Endpoints:
  POST /sync                                          legacy cloud (X-API-Key with --api-key-env)
  POST /v1/merchants/{merchant}/devices/{POIID}/sync  cloud device API
  POST /nexo                                          local (encrypted only with --key-id)
Control API (loopback only unless --control-token-env; off with --no-control):
  GET  /__termflow/openapi.json                       every control call, as OpenAPI 3.1
  POST /__termflow/terminals/{POIID}/shopper/answer   {"answers": ["confirm", {"digits": "1234"}]}
  POST /__termflow/terminals/{POIID}/payments/next    {"outcomes": [{"outcome": "decline", "reason": "..."}]}
  POST /__termflow/terminals/{POIID}/faults/drop      {"times": 1, "category": "Payment"}
  GET  /__termflow/terminals/{POIID}/timeline         the terminal's screens, as JSON
  GET  /__termflow/terminals/{POIID}/requests         the requests it received, with answers
  POST /__termflow/reset                              every terminal back to a fresh start

Examples:
  $ termflow sim                          serve on http://127.0.0.1:8080
  $ curl -s http://127.0.0.1:8080/sync -H 'content-type: application/json' \\
      -d ${PAYMENT_EXAMPLE}
  $ curl -s http://127.0.0.1:8080/__termflow/terminals/V400m-324688179/timeline
  $ TERMFLOW_API_KEY=test termflow sim --port 9000 --api-key-env TERMFLOW_API_KEY
  $ NEXO_PASSPHRASE=... termflow sim --key-id CryptoKeyIdentifier12345 --key-version 1 \\
      --passphrase-env NEXO_PASSPHRASE
  $ termflow sim --poiid V400m-324688179 --poiid P400Plus-275008565
  $ curl -s http://127.0.0.1:8080/__termflow/terminals/V400m-324688179/shopper/answer \\
      -H 'content-type: application/json' -d '{"answers": ["decline"]}'
  $ termflow sim --script givens.yaml     shopper, payment and fault scripts per POIID
  $ termflow sim --ui --manual            the page at http://127.0.0.1:8080/; a person answers
  $ TOKEN=s3cret termflow sim --host 0.0.0.0 --control-token-env TOKEN

Amounts ending in 124, 125, 126, 127, 128 or 134 (minor units) are declined as on Adyen test
terminals. Docs: docs/simulator.md`;

interface SimCommandOptions {
  port: number;
  host: string;
  poiid: string[];
  apiKeyEnv?: string;
  keyId?: string;
  keyVersion: number;
  passphraseEnv?: string;
  paymentMs: number;
  thinkMs: number;
  control: boolean;
  controlTokenEnv?: string;
  ui?: boolean;
  manual?: boolean;
  script?: string;
  historyMb: number;
  maxTerminals: number;
}

function integer(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max)
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return n;
  };
}

/** The configuration the options describe, or the message saying what is missing. */
function configure(
  options: SimCommandOptions,
  env: CliIO["env"],
): { apiKey?: string; key?: NexoKey; controlToken?: string } | string {
  let controlToken: string | undefined;
  if (options.controlTokenEnv !== undefined) {
    controlToken = env[options.controlTokenEnv];
    if (!controlToken)
      return `--control-token-env ${options.controlTokenEnv}: that environment variable is not set or empty`;
    if (!options.control) return "--control-token-env and --no-control contradict each other: pick one";
  }
  const loopback = isLoopbackHost(options.host);
  if (options.ui) {
    if (!options.control) return "--ui needs the control API (the page's buttons use it): drop --no-control";
    if (!loopback) return `--ui serves the page on loopback only: drop --host ${options.host} or use 127.0.0.1`;
    if (controlToken !== undefined) return "--ui serves the page on loopback without a token: drop --control-token-env";
  }
  if (options.manual && !options.ui && !options.control)
    return "--manual needs someone to answer: use it with --ui or with the control API on";
  const configured = configureKeys(options, env);
  return typeof configured === "string" ? configured : { ...configured, controlToken };
}

function configureKeys(options: SimCommandOptions, env: CliIO["env"]): { apiKey?: string; key?: NexoKey } | string {
  let apiKey: string | undefined;
  if (options.apiKeyEnv !== undefined) {
    apiKey = env[options.apiKeyEnv];
    if (!apiKey) return `--api-key-env ${options.apiKeyEnv}: that environment variable is not set or empty`;
  }
  if (options.keyId === undefined) {
    if (options.passphraseEnv !== undefined) return "--passphrase-env needs --key-id (the key identifier)";
    return { apiKey };
  }
  if (options.passphraseEnv === undefined)
    return "--key-id needs --passphrase-env VAR naming the variable that holds the passphrase";
  const passphrase = env[options.passphraseEnv];
  if (!passphrase) return `--passphrase-env ${options.passphraseEnv}: that environment variable is not set or empty`;
  return { apiKey, key: { identifier: options.keyId, version: options.keyVersion, passphrase } };
}

let lastAt = Number.NaN;
let lastIso = "";

/** Under load many requests arrive in the same millisecond: their lines share its text. */
function isoTime(at: number): string {
  if (at !== lastAt) {
    lastIso = new Date(at).toISOString();
    lastAt = at;
  }
  return lastIso;
}

/** One log line: `2026-01-01T12:00:00.000Z V400m-324688179 Payment PaymentRequest S1 Success 3001ms`. */
export function formatLogLine(entry: RequestLogEntry, color: boolean): string {
  const outcome = entry.outcome ?? "pending";
  const paint = !color
    ? (s: string) => s
    : outcome === "Success" || outcome === "empty"
      ? pc.green
      : /^(Failure|reject|dropped|http|malformed)/.test(outcome)
        ? pc.red
        : pc.yellow;
  const took = entry.answeredAt !== undefined ? ` ${entry.answeredAt - entry.at}ms` : "";
  const session = entry.session ? ` session ${entry.session.type} ${entry.session.id}` : "";
  const fields = [isoTime(entry.at), entry.poiid, entry.category, entry.body, entry.serviceId ?? "-"];
  return `${fields.join(" ")}${session} ${paint(outcome)}${took}${entry.faults ? ` [${entry.faults.join(", ")}]` : ""}\n`;
}

/**
 * Log lines written together once per turn of the event loop: under load that is one write (and
 * one pass of the secrets and control-character rule) for many requests, not one each.
 */
function batchedLines(io: CliIO): { line(text: string): void; flush(): void } {
  let pending = "";
  const flush = () => {
    if (pending === "") return;
    const text = pending;
    pending = "";
    io.stdout(text);
  };
  return {
    line: (text) => {
      if (pending === "") setImmediate(flush);
      pending += text;
    },
    flush,
  };
}

export function register(program: Command, io: CliIO): void {
  program
    .command("sim")
    .description("serve a simulated Adyen terminal (Terminal API) over HTTP until Ctrl-C")
    .option("--port <port>", "port to listen on (0 picks a free one)", integer(0, 65535), 8080)
    .option("--host <host>", "address to bind (use 0.0.0.0 to serve other machines)", "127.0.0.1")
    .option(
      "--poiid <id>",
      "a terminal to serve (repeatable); other POIIDs are unreachable. Default: any POIID",
      (v: string, all: string[]) => [...all, v],
      [] as string[],
    )
    .option("--api-key-env <var>", "require X-API-Key on the cloud paths, equal to this environment variable")
    .option("--key-id <identifier>", "encrypt /nexo with this key identifier (with --passphrase-env)")
    .option("--key-version <n>", "the key's version", integer(0, 1_000_000), 1)
    .option("--passphrase-env <var>", "environment variable holding the key's passphrase")
    .option("--payment-ms <ms>", "how long a payment takes", integer(0, 600_000), 3000)
    .option("--think-ms <ms>", "how long the shopper takes to answer an input", integer(0, 600_000), 1000)
    .option(
      "--history-mb <MiB>",
      "the most request log and timeline kept, all terminals together (the oldest go first)",
      integer(1, 65_536),
      32,
    )
    .option(
      "--max-terminals <n>",
      "the most terminals kept (a quiet one makes room for a new POIID)",
      integer(1, 1_000_000),
      1000,
    )
    .option("--no-control", "serve the Terminal API only: no control API, no /__termflow/ routes")
    .option(
      "--control-token-env <var>",
      "require Authorization: Bearer <value of VAR> on the control API (needed to serve it on a non-loopback host)",
    )
    .option("--script <file>", "shopper, payment and fault scripts per POIID, in the scenario `given` sentences (YAML)")
    .option("--ui", "serve the virtual-terminal page at / (loopback only)")
    .option("--manual", "manual shopper: inputs and payments wait for a person (on the page or over the control API)")
    .addHelpText("after", EXAMPLES)
    .action(async (options: SimCommandOptions) => {
      const config = configure(options, io.env);
      if (typeof config === "string") {
        io.stderr(`termflow sim: ${config}\n`);
        io.exitCode = EXIT.transport;
        return;
      }
      // The variables named by --api-key-env, --passphrase-env and --control-token-env may have
      // names that do not look secret.
      io.secrets.addFrom({
        apiKey: config.apiKey,
        passphrase: config.key?.passphrase,
        controlToken: config.controlToken,
      });
      const color = useColor(io);
      const log = batchedLines(io);
      const sim = createSimulator({
        apiKey: config.apiKey,
        key: config.key,
        paymentMs: options.paymentMs,
        thinkTimeMs: options.thinkMs,
        terminals: options.poiid.length ? options.poiid : undefined,
        manualShopper: options.manual === true,
        historyBytes: options.historyMb * 1024 * 1024,
        maxTerminals: options.maxTerminals,
        onRequest: (entry) => log.line(formatLogLine(entry, color)),
      });
      if (options.script !== undefined) {
        const loaded = loadScripts(options.script, io);
        if (!loaded) {
          io.exitCode = EXIT.invalid;
          return;
        }
        const problem = applyScripts(sim, loaded, options.poiid);
        if (problem) {
          io.stderr(`termflow sim: ${problem}\n`);
          io.exitCode = EXIT.invalid;
          return;
        }
        io.stdout(`scripts from ${options.script} for ${Object.keys(loaded).join(", ")}\n`);
      }
      // The control API is never served on another host without a token (issue #11).
      const control = options.control && (isLoopbackHost(options.host) || config.controlToken !== undefined);
      let server: SimulatorServer;
      try {
        server = await sim.listen({
          port: options.port,
          host: options.host,
          control,
          ...(config.controlToken !== undefined ? { controlToken: config.controlToken } : {}),
          ui: options.ui === true,
        });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const why =
          code === "EADDRINUSE"
            ? `port ${options.port} is in use; pick another with --port`
            : code === "EADDRNOTAVAIL"
              ? `cannot bind ${options.host} on this machine`
              : (error as Error).message;
        io.stderr(`termflow sim: ${why}\n`);
        io.exitCode = EXIT.transport;
        return;
      }
      const features = [
        config.apiKey ? "X-API-Key required on /sync and /v1" : "no API key",
        config.key ? `/nexo encrypted with key ${config.key.identifier} v${config.key.version}` : "/nexo in cleartext",
        options.poiid.length ? `terminals ${options.poiid.join(", ")}` : "any POIID",
        control
          ? config.controlToken !== undefined
            ? "control API with a token"
            : "control API on loopback"
          : options.control
            ? `no control API (a non-loopback host needs --control-token-env)`
            : "no control API",
        ...(options.manual ? ["manual shopper"] : []),
      ];
      io.stdout(`termflow simulator listening on ${server.url} (${features.join("; ")})\n`);
      io.stdout(`  POST ${server.url}/sync | /v1/merchants/{merchant}/devices/{POIID}/sync | /nexo; Ctrl-C stops\n`);
      if (control) io.stdout(`  control API: ${server.url}/__termflow/openapi.json\n`);
      if (options.ui) io.stdout(`  page: ${server.url}/\n`);
      await new Promise<void>((resolve) => {
        const unsubscribe = io.onInterrupt(() => {
          unsubscribe();
          resolve();
        });
      });
      await server.close();
      log.flush();
      io.stdout("termflow simulator stopped\n");
      io.exitCode = EXIT.interrupted;
    });
}
