/**
 * `termflow end-session --poiid <id> [--session-id <id>]`: the way out when a terminal refuses every
 * Begin with NotAllowed because a run crashed (`kill -9`) or its End did not take, leaving a session
 * open. Sends the End (same Id, no Operation) for the given session, or for those the session journal
 * says a finished run of this SaleID left open on the terminal.
 */
import { type Command, Option } from "commander";
import pc from "picocolors";
import { endSession, isLeftOpen, TARGETS, type OpenSession } from "../../runtime/index.js";
import { useColor, type CliIO } from "../io.js";
import { EXIT, worseExit } from "../exit-codes.js";
import { cliSessionJournal, openNetworkTarget, targetSettings, type TargetCliOptions } from "../target.js";

const EXAMPLES = `
Examples:
  $ termflow end-session --target local --endpoint 192.168.1.20 --poiid V400m-324688179 --session-id table-12
  $ TERMFLOW_API_KEY=... termflow end-session --target cloud --merchant MyMerchantPOS --poiid V400m-324688179
                                 the sessions this machine's crashed runs left open (journal)
  $ termflow end-session --target cloud --endpoint http://127.0.0.1:8080 --session-id S1

The session journal: termflow run (cloud and local targets) writes down each session before its
Begin and strikes it off once ended, under $TERMFLOW_STATE_DIR, $XDG_STATE_HOME/termflow or
~/.local/state/termflow. Exit codes: 0 every session ended (a journal's session that is no longer
open counts too), 1 the terminal refused, or has no open session with the --session-id given,
2 nothing to end, 3 transport or configuration error.`;

interface EndSessionCliOptions extends TargetCliOptions {
  sessionId?: string;
  color?: boolean;
}

export function register(program: Command, io: CliIO): void {
  program
    .command("end-session")
    .description("end a waiting-screen session a crashed run left open (the terminal refuses every Begin)")
    .addOption(new Option("--target <target>", "where the terminal is").choices(TARGETS.filter((t) => t !== "sim")))
    .option("--endpoint <url>", "base URL of the cloud or local target (a local target also takes a bare IP)")
    .option("--poiid <id>", "the terminal's POIID")
    .option("--session-id <id>", "the Session.Id to end (default: the sessions the journal has for this terminal)")
    .option("--sale-id <id>", "the SaleID of the POS that began it (default termflow)")
    .option("--merchant <account>", "merchant account: use the cloud device API (without it: legacy /sync)")
    .option("--config <file>", "JSON file with target settings, as for run")
    .option("--ca-file <file>", "Adyen's terminal root CA (PEM) for --target local over https")
    .option("--insecure-cleartext", "--target local without an encryption key (TEST terminals only; warns)")
    .option("--color", "colour the output")
    .option("--no-color", "never colour the output")
    .addHelpText("after", EXAMPLES)
    .action(async (options: EndSessionCliOptions) => {
      io.exitCode = await endSessionCommand(options, io);
    });
}

/** Ends the session(s); resolves to the exit code. */
export async function endSessionCommand(options: EndSessionCliOptions, io: CliIO): Promise<number> {
  const c = pc.createColors(useColor(io, options.color));
  const fail = (message: string, code: number): number => {
    io.stderr(`${c.bold(c.red("error"))}${c.bold(`: ${message}`)}\n`);
    return code;
  };
  const settings = targetSettings(options, io);
  if (typeof settings === "string") return fail(settings, EXIT.transport);
  if (settings.target === "sim")
    return fail(
      "end-session needs the terminal: --target cloud or --target local (the embedded simulator keeps no session between runs)",
      EXIT.transport,
    );
  if (!options.poiid && !settings.config.poiid) return fail("end-session needs the terminal's --poiid", EXIT.invalid);
  const { poiid, saleId } = settings;
  const journal = cliSessionJournal(io);

  let ids: string[];
  if (options.sessionId !== undefined) ids = [options.sessionId];
  else {
    const recorded = journal?.list(poiid, saleId) ?? [];
    for (const held of recorded.filter((s) => !isLeftOpen(s)))
      io.stdout(
        `${c.dim("•")} session ${JSON.stringify(held.id)} belongs to a run still going (${ownerText(held)}): left alone\n`,
      );
    ids = recorded.filter(isLeftOpen).map((s) => s.id);
    if (ids.length === 0)
      return fail(
        `no session of SaleID ${saleId} on ${poiid} is recorded as left open on this machine: give --session-id ` +
          '(the `id` of the flow\'s session, or the one `termflow run` printed as `Begin session "..."`)',
        EXIT.invalid,
      );
  }

  const transport = openNetworkTarget(settings, options, io, c);
  if (typeof transport === "string") return fail(transport, EXIT.transport);
  let exit: number = EXIT.ok;
  try {
    for (const id of ids) {
      const ended = await endSession({
        terminal: transport,
        sessionId: id,
        poiid,
        saleId,
        ...(journal ? { journal } : {}),
      });
      const name = `session ${JSON.stringify(id)} on ${poiid}`;
      if (ended.outcome === "ended") io.stdout(`${c.green("✓")} ended ${name}\n`);
      else if (ended.outcome === "not-open") {
        io.stdout(`${c.dim("•")} ${name} is not open: the terminal answered ${ended.answer}\n`);
        // Named by hand, a session that is not open is a wrong Id; from the journal, one ended since.
        if (options.sessionId !== undefined) exit = worseExit(exit, EXIT.failed);
      } else {
        io.stdout(`${c.red("✗")} could not end ${name}: ${ended.answer}\n`);
        exit = worseExit(exit, ended.outcome === "refused" ? EXIT.failed : EXIT.transport);
      }
    }
  } finally {
    await transport.close?.();
  }
  return exit;
}

function ownerText(session: OpenSession): string {
  return `pid ${session.owner.pid}, begun ${new Date(session.openedAt).toISOString()}`;
}
