/**
 * From the CLI's words (`--target cloud --endpoint ... --merchant ...`, env vars, a config file) to a
 * Transport. Secrets come only from the environment or the config file and are never echoed: a
 * problem names the variable to set, never its value.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { NexoKey } from "../../protocol/index.js";
import { TransportError, type Transport } from "../transport.js";
import { cloudTransport } from "./cloud.js";
import { localTransport } from "./local.js";
import { jsonProblem } from "./json-problem.js";

export const TARGETS = ["sim", "cloud", "local"] as const;
export type TargetName = (typeof TARGETS)[number];

/** Environment variables the targets read. */
export const ENV = {
  apiKey: "TERMFLOW_API_KEY",
  keyIdentifier: "TERMFLOW_KEY_IDENTIFIER",
  keyVersion: "TERMFLOW_KEY_VERSION",
  passphrase: "TERMFLOW_KEY_PASSPHRASE",
  caFile: "TERMFLOW_CA_FILE",
} as const;

/** What a config file (`--config termflow.json`) may hold; every field optional. */
export interface TargetConfigFile {
  target?: TargetName;
  endpoint?: string;
  merchant?: string;
  poiid?: string;
  saleId?: string;
  caFile?: string;
  keyIdentifier?: string;
  keyVersion?: number | string;
  passphrase?: string;
}

export interface TargetRequest {
  target: TargetName;
  endpoint?: string;
  merchant?: string;
  caFile?: string;
  /** `--insecure-cleartext`: a local target without a key may send in clear beyond this machine. */
  insecureCleartext?: boolean;
  /** The loaded config file, if any (command-line options win over it, it wins over env). */
  config?: TargetConfigFile;
  /** Relative file names resolve against this. */
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
}

/** `warning`: something the user must hear about the target before it is used (cleartext on a LAN). */
export type TargetResult = { ok: true; transport: Transport; warning?: string } | { ok: false; problem: string };

/** A Transport for `cloud` or `local` (the simulator target is built by the caller, who owns it). */
export function createHttpTarget(request: TargetRequest): TargetResult {
  const config = request.config ?? {};
  const endpoint = request.endpoint ?? config.endpoint;
  try {
    if (request.target === "cloud") {
      const merchant = request.merchant ?? config.merchant;
      const apiKey = request.env[ENV.apiKey];
      return {
        ok: true,
        transport: cloudTransport({
          ...(endpoint ? { endpoint } : {}),
          ...(merchant ? { merchant } : {}),
          ...(apiKey ? { apiKey } : {}),
        }),
      };
    }
    if (request.target === "local") {
      const key = keyFrom(config, request.env);
      if (typeof key === "string") return { ok: false, problem: key };
      const caFile = request.caFile ?? config.caFile ?? request.env[ENV.caFile];
      if (!endpoint)
        return {
          ok: false,
          problem: "the local target needs the terminal's address: --endpoint <ip> (or https://<ip>:8443)",
        };
      if (key && request.insecureCleartext)
        return {
          ok: false,
          problem:
            "--insecure-cleartext and an encryption key contradict each other: drop the flag to encrypt, or the key to send in clear",
        };
      // A bare IP or host name means the terminal's standard port.
      const isUrl = /^[a-z]+:\/\//i.test(endpoint);
      const transport = localTransport({
        ...(isUrl ? { endpoint } : { host: endpoint }),
        ...(caFile ? { caFile: resolve(request.cwd, caFile) } : {}),
        ...(key ? { key } : {}),
        ...(request.insecureCleartext ? { insecureCleartext: true } : {}),
      });
      return {
        ok: true,
        transport,
        ...(request.insecureCleartext
          ? {
              warning:
                `--insecure-cleartext: requests to ${endpoint} go unencrypted and answers are not verified; anyone on ` +
                "the network can read them, or turn an approved payment into a declined one. Use it only with a TEST terminal.",
            }
          : {}),
      };
    }
    return { ok: false, problem: `the ${request.target} target is not an HTTP target` };
  } catch (error) {
    if (error instanceof TransportError) return { ok: false, problem: error.message };
    throw error;
  }
}

/**
 * The local encryption key from the config file or TERMFLOW_KEY_*; undefined when none is
 * configured; a problem text when it is only partly configured.
 */
export function keyFrom(
  config: TargetConfigFile,
  env: Readonly<Record<string, string | undefined>>,
): NexoKey | undefined | string {
  const identifier = config.keyIdentifier ?? env[ENV.keyIdentifier];
  const versionText = config.keyVersion ?? env[ENV.keyVersion];
  const passphrase = config.passphrase ?? env[ENV.passphrase];
  if (identifier === undefined && passphrase === undefined && versionText === undefined) return undefined;
  const missing = [
    identifier === undefined ? `${ENV.keyIdentifier} (or keyIdentifier)` : "",
    passphrase === undefined ? `${ENV.passphrase} (or passphrase)` : "",
  ].filter(Boolean);
  if (missing.length > 0) return `the encryption key is incomplete: set ${missing.join(" and ")}`;
  const version = versionText === undefined ? 1 : Number(versionText);
  if (!Number.isInteger(version) || version < 0)
    return `the key version must be a whole number (${ENV.keyVersion} or keyVersion)`;
  return { identifier: identifier as string, version, passphrase: passphrase as string };
}

/** Reads a JSON config file; a problem text when it cannot be read or is not an object. */
export function readConfigFile(path: string, cwd: string): TargetConfigFile | string {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, path), "utf8");
  } catch (error) {
    return `cannot read the config file ${path}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`;
  }
  // JSON.parse's messages quote the text around a mistake, and this text holds a passphrase: say
  // where the mistake is, never what is there.
  text = text.replace(/^\uFEFF/, "");
  const problem = jsonProblem(text);
  if (problem) return `the config file ${path} is not valid JSON: ${problem}`;
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== "object" || value === null || Array.isArray(value))
      return `the config file ${path} must hold a JSON object`;
    return value as TargetConfigFile;
  } catch {
    return `the config file ${path} is not valid JSON`;
  }
}
