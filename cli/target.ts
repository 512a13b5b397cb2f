/**
 * The target options `run` and `end-session` share: `--target`, `--endpoint`, `--poiid`, `--sale-id`,
 * `--merchant`, `--config`, `--ca-file`, `--insecure-cleartext`. Command-line options win over the
 * config file, which wins over the environment; a config file's secrets are learnt before anything
 * is printed.
 */
import { resolve } from "node:path";
import type pc from "picocolors";
import {
  createHttpTarget,
  defaultJournalDir,
  fileSessionJournal,
  DEFAULT_POIID,
  DEFAULT_SALE_ID,
  readConfigFile,
  type SessionJournal,
  type TargetConfigFile,
  type TargetName,
  type Transport,
} from "../runtime/index.js";
import { secretsOfUrl } from "../protocol/index.js";
import type { CliIO } from "./io.js";

export interface TargetCliOptions {
  target?: TargetName;
  endpoint?: string;
  poiid?: string;
  saleId?: string;
  merchant?: string;
  config?: string;
  caFile?: string;
  insecureCleartext?: boolean;
}

export interface TargetSettings {
  target: TargetName;
  config: TargetConfigFile;
  poiid: string;
  saleId: string;
}

/** The target, POIID and SaleID the options and the config file name, or a problem for the user. */
export function targetSettings(options: TargetCliOptions, io: CliIO): TargetSettings | string {
  let config: TargetConfigFile = {};
  if (options.config) {
    const read = readConfigFile(options.config, io.cwd);
    if (typeof read === "string") return read;
    io.secrets.addFrom(read);
    config = read;
  }
  // `https://user:token@host`: credentials in an endpoint are secrets too.
  io.secrets.add(...secretsOfUrl(options.endpoint), ...secretsOfUrl(config.endpoint));
  const target: TargetName = options.target ?? config.target ?? "sim";
  // An endpoint without a network target would be ignored: the run would quietly stay in-process.
  if (options.endpoint !== undefined && target === "sim") return "--endpoint needs --target cloud or --target local";
  if (options.insecureCleartext && target !== "local")
    return "--insecure-cleartext is for --target local (a terminal on the LAN) only";
  return {
    target,
    config,
    poiid: options.poiid ?? config.poiid ?? DEFAULT_POIID,
    saleId: options.saleId ?? config.saleId ?? DEFAULT_SALE_ID,
  };
}

/** The cloud or local Transport; a warning it comes with (cleartext on a LAN) goes to stderr. */
export function openNetworkTarget(
  settings: TargetSettings,
  options: TargetCliOptions,
  io: CliIO,
  c: ReturnType<typeof pc.createColors>,
): Transport | string {
  const created = createHttpTarget({
    target: settings.target,
    cwd: io.cwd,
    env: io.env,
    config: settings.config,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.merchant ? { merchant: options.merchant } : {}),
    ...(options.caFile ? { caFile: options.caFile } : {}),
    ...(options.insecureCleartext ? { insecureCleartext: true } : {}),
  });
  if (!created.ok) return created.problem;
  if (created.warning) io.stderr(`${c.bold(c.yellow("warning"))}: ${created.warning}\n`);
  return created.transport;
}

/** The journal of sessions a terminal may still hold, in the user's state directory; none without one. */
export function cliSessionJournal(io: CliIO): SessionJournal | undefined {
  const dir = defaultJournalDir(io.env);
  return dir === undefined ? undefined : fileSessionJournal(resolve(io.cwd, dir));
}
