/**
 * What `termflow test` prints while it runs: a spinner line per running scenario (ora, on a
 * terminal only), a ✓/✗ line with the time as each one finishes, then every failure in the Hurl
 * style (pointing at the scenario line, with expected and actual), and a summary whose last line is
 * `N passed, N failed` (`, N skipped`).
 */
import type { Ora } from "ora";
import pc from "picocolors";
import type { Diagnostic, SourceLookup } from "../../language/index.js";
import { formatElapsed, printable } from "../../protocol/index.js";
import { suiteSummaryLine, type ScenarioResult, type SuiteResult } from "../../qa/index.js";
import { renderPrintable } from "../output.js";

export interface ConsoleReporterOptions {
  write: (text: string) => void;
  /** What `write` does to a text, for the spinner, which writes to the terminal itself. */
  safe?: (text: string) => string;
  /**
   * ora, for live spinner lines (only when the process's stdout is a terminal; the caller loads it
   * then, so CI runs never load ora and chalk).
   */
  spinner?: typeof import("ora")["default"];
  color: boolean;
  sources: SourceLookup;
}

type Running = { id: string; name: string; file: string; line: number };

export class ConsoleReporter {
  private readonly c;
  private readonly running = new Map<string, Running>();
  private spin?: Ora;

  constructor(private readonly options: ConsoleReporterOptions) {
    this.c = pc.createColors(options.color);
  }

  start(info: { scenarios: number; files: number; jobs: number; invalid?: number }): void {
    const workers = info.jobs > 1 ? `, ${info.jobs} at a time` : "";
    const invalid = info.invalid
      ? ` (${info.invalid} invalid: ${info.invalid === 1 ? "it does" : "they do"} not run and count as failed)`
      : "";
    this.options.write(
      `Running ${plural(info.scenarios, "scenario")} from ${plural(info.files, "file")}${workers}${invalid}\n\n`,
    );
    this.spin = this.options.spinner?.({ stream: process.stdout, discardStdin: false, isEnabled: true, color: "cyan" });
  }

  scenarioStart(s: Running): void {
    this.running.set(s.id, s);
    this.refresh();
  }

  scenarioEnd(r: ScenarioResult): void {
    this.running.delete(r.id);
    // ora watches stdout: a line written while it spins lands above the spinner.
    this.options.write(`${this.line(r)}\n`);
    this.refresh();
  }

  /** The failures, the counts and the closing `N passed, N failed` line. */
  finish(suite: SuiteResult, notes: string[] = []): void {
    this.spin?.stop();
    this.spin = undefined;
    const c = this.c;
    const render = (f: { diagnostic: Diagnostic; rendered: string }): string =>
      this.options.color
        ? renderPrintable([f.diagnostic], this.options.sources, true).trimEnd()
        : printable(f.rendered, { lines: true });
    const out: string[] = [];
    if (suite.fileErrors.length > 0) {
      out.push("", c.bold("Scenario files with errors:"), "");
      for (const f of suite.fileErrors) out.push(render(f), "");
    }
    const bad = suite.scenarios.filter((s) => s.status === "failed" || s.status === "invalid" || s.status === "error");
    if (bad.length > 0) {
      out.push("", c.bold("Failures:"), "");
      // Each examples row is a scenario of its own; a mistake they share is shown once.
      const shown = new Map<string, string>();
      for (const s of bad) {
        const invalidNote = s.status === "invalid" ? c.red(" invalid scenario") : "";
        out.push(
          `${c.red("✗")} ${c.bold(printable(s.name))} ${c.dim(`(${printable(s.file)}:${s.line})`)}${invalidNote}`,
        );
        for (const f of s.failures) {
          const first = shown.get(f.rendered);
          if (first !== undefined) out.push(c.dim(`the same problem as in "${first}"`), "");
          else {
            shown.set(f.rendered, printable(s.name));
            out.push(render(f), "");
          }
        }
      }
    }
    const terminal = suite.scenarios.reduce((t, s) => t + s.virtualMs, 0);
    out.push("");
    for (const note of notes) out.push(note);
    // Every number here adds up to the last line's: invalid scenarios and broken files count as failed.
    const total = suite.scenarios.length;
    const ran = suite.scenarios.filter((s) => s.status !== "skipped" && s.status !== "invalid").length;
    const invalid = suite.scenarios.filter((s) => s.status === "invalid").length;
    const skipped = suite.scenarios.filter((s) => s.status === "skipped").length;
    const notRun = [
      ...(invalid > 0 ? [`${invalid} invalid (counted as failed)`] : []),
      ...(suite.fileErrors.length > 0
        ? [`${plural(suite.fileErrors.length, "scenario file")} with errors (counted as failed)`]
        : []),
      ...(skipped > 0 ? [`${skipped} skipped`] : []),
      ...(suite.interrupted ? ["interrupted"] : []),
    ];
    const scenarios = ran === total ? plural(ran, "scenario") : `${ran} of ${plural(total, "scenario")}`;
    const times = `${formatElapsed(suite.wallMs)} (${formatElapsed(terminal)} of terminal time)`;
    out.push(c.dim(`Ran ${scenarios} in ${times}${notRun.map((n) => `; ${n}`).join("")}`));
    const line = suiteSummaryLine(suite.totals);
    out.push(bad.length > 0 || suite.fileErrors.length > 0 ? c.red(c.bold(line)) : c.green(c.bold(line)));
    this.options.write(`${out.join("\n")}\n`);
  }

  private line(r: ScenarioResult): string {
    const c = this.c;
    const mark = r.status === "passed" ? c.green("✓") : r.status === "skipped" ? c.yellow("−") : c.red("✗");
    const where = c.dim(`${printable(r.file)}:${r.line}`);
    const time =
      r.status === "skipped"
        ? c.yellow(printable(r.failures[0]?.diagnostic.message ?? "skipped"))
        : r.status === "invalid"
          ? c.red("invalid")
          : c.dim(`${formatElapsed(r.wallMs)}, ${formatElapsed(r.virtualMs)} on the terminal`);
    return `  ${mark} ${printable(r.name)}  ${where}  ${time}`;
  }

  private refresh(): void {
    if (!this.spin) return;
    const list = [...this.running.values()];
    if (list.length === 0) {
      if (this.spin.isSpinning) this.spin.stop();
      return;
    }
    const text = list
      .map((s, i) => `${i === 0 ? "" : "  … "}${printable(s.name)} ${this.c.dim(`${printable(s.file)}:${s.line}`)}`)
      .join("\n");
    this.spin.text = this.options.safe ? this.options.safe(text) : text;
    if (!this.spin.isSpinning) this.spin.start();
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
