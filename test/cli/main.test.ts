import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { buildProgram } from "../../cli/main.js";
import { guardedIO } from "../../cli/io.js";
import { fromRoot } from "../support/paths.js";
import { hasStackTrace, termflow } from "./helpers.js";

const version = (JSON.parse(readFileSync(fromRoot("package.json"), "utf8")) as { version: string }).version;

/** Every registered command, including those other parts of termflow add. */
async function commandNames(): Promise<string[]> {
  const io = guardedIO({
    stdout: () => {},
    stderr: () => {},
    cwd: ".",
    env: {},
    isTTY: false,
    onInterrupt: () => () => {},
  });
  return (await buildProgram(io)).commands.map((c) => c.name()).filter((name) => name !== "help");
}

const COMMAND_NAMES = await commandNames();

describe("termflow (top level)", () => {
  it("--version prints the package version", async () => {
    const r = await termflow(["--version"]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `${version}\n`);
  });

  it("--help lists the commands and examples", async () => {
    const r = await termflow(["--help"]);
    assert.equal(r.code, 0);
    for (const name of ["check", "fmt", "convert", "plan"]) assert.match(r.stdout, new RegExp(`^  ${name}\\b`, "m"));
    assert.match(r.stdout, /Examples:\n {2}\$ termflow check flows\//);
    assert.match(r.stdout, /Exit codes: 0 ok, 1 flow failed, 2 invalid flow or usage/);
  });

  it("with no arguments prints help to stdout and exits 2", async () => {
    const r = await termflow([]);
    assert.equal(r.code, 2);
    assert.match(r.stdout, /Usage: termflow/);
  });

  it("an unknown command is a usage error with a suggestion", async () => {
    const r = await termflow(["chekc", "x.flow"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command 'chekc'/);
    assert.match(r.stderr, /Did you mean check\?/);
    assert.ok(!hasStackTrace(r.stderr));
  });

  it("an unknown option is a usage error", async () => {
    const r = await termflow(["check", "--frobnicate", "x.flow"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown option '--frobnicate'/);
  });

  it("registers at least check, fmt, convert and plan", () => {
    for (const name of ["check", "fmt", "convert", "plan"])
      assert.ok(COMMAND_NAMES.includes(name), COMMAND_NAMES.join(", "));
  });

  for (const name of COMMAND_NAMES) {
    it(`\`termflow ${name} --help\` shows an example`, async () => {
      const r = await termflow([name, "--help"]);
      assert.equal(r.code, 0);
      assert.match(r.stdout, new RegExp(`^Usage: termflow ${name}\\b`, "m"));
      assert.match(r.stdout, new RegExp(`Examples?:\\n(.*\\n)*? +\\$ termflow ${name}\\b`));
    });
  }

  it("`termflow help <command>` shows that command's help", async () => {
    const r = await termflow(["help", "plan"]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: termflow plan/m);
  });
});
