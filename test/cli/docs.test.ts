import assert from "node:assert/strict";
import { cpSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { loadFlow, renderDiagnostics, stripSpans } from "../../language/index.js";
import { fromRoot } from "../support/paths.js";
import { fixtureDir, termflow } from "./helpers.js";

/** The files docs/cli.md says its examples run beside (a copy of flows/ is added). */
const TIP = 'flow "Tip"\nsession waiting 5s <\n  dispaly "Thanks"\n  pay 1.00 EUR\n>\n';
const MESSY = "pay   1.00 EUR ;  wait 1s\n";

interface Example {
  command: string;
  output: string;
}

/** Every fenced block of a markdown file, with its info string (` ```yaml ` -> `yaml`). */
function blocks(markdown: string): { language: string; body: string }[] {
  const out: { language: string; body: string }[] = [];
  let open: { language: string; body: string } | undefined;
  for (const line of markdown.split("\n")) {
    const fence = /^```(\S*)$/.exec(line);
    if (fence && !open) open = { language: fence[1], body: "" };
    else if (fence && open) {
      out.push(open);
      open = undefined;
    } else if (open) open.body += `${line}\n`;
  }
  return out;
}

/** The fenced blocks of one language in a markdown file. */
function fenced(markdown: string, language: string): string[] {
  return blocks(markdown)
    .filter((b) => b.language === language)
    .map((b) => b.body);
}

/** A command line split as a shell would: `--var total="86.45 EUR"` is one word. */
function shellWords(command: string): string[] {
  return [...command.matchAll(/(?:[^\s"]+|"[^"]*")+/g)].map((m) => m[0].replace(/"/g, ""));
}

/** `$ termflow ...` lines of the fenced blocks, each with the lines printed after it. */
function examples(markdown: string): Example[] {
  const out: Example[] = [];
  for (const { body } of blocks(markdown)) {
    let current: Example | undefined;
    for (const line of body.split("\n")) {
      if (line.startsWith("$ ")) out.push((current = { command: line.slice(2), output: "" }));
      else if (current) current.output += `${line}\n`;
    }
  }
  // Trailing blank lines belong to the block, not to the output.
  return out.map((e) => ({ ...e, output: e.output.replace(/\n+$/, "\n").replace(/^\n$/, "") }));
}

describe("docs/cli.md and README.md say what the CLI does", () => {
  const cliDoc = readFileSync(fromRoot("docs/cli.md"), "utf8");
  const readme = readFileSync(fromRoot("README.md"), "utf8");

  // Commands that only read the copied files and answer at once; `sim` serves forever, `--target`
  // needs a terminal, `test` has docs/scenarios.md, redirections write files.
  const runnable = examples(cliDoc).filter(
    (e) => /^termflow (check|fmt|convert|plan|run) /.test(e.command) && !/[>&|]|--target/.test(e.command),
  );
  it("has examples with output to compare", () => {
    assert.ok(runnable.filter((e) => e.output !== "").length >= 4, JSON.stringify(runnable));
  });

  for (const example of runnable) {
    it(`\`${example.command}\` prints what docs/cli.md shows`, async () => {
      const fx = fixtureDir({ "tip.flow": TIP, "messy.flow": MESSY });
      try {
        // The example flows and the dialogue they call (flows/shared/), not the scenarios.
        for (const file of readdirSync(fromRoot("flows")).filter((f) => /\.flow(\.yaml)?$/.test(f) || f === "shared")) {
          cpSync(fromRoot("flows", file), join(fx.dir, "flows", file), { recursive: true });
        }
        const r = await termflow(shellWords(example.command).slice(1), { cwd: fx.dir });
        const printed = r.stdout + r.stderr;
        const cut = example.output.indexOf("...\n");
        if (cut < 0) assert.equal(printed, example.output);
        else assert.equal(printed.slice(0, cut), example.output.slice(0, cut));
      } finally {
        fx.cleanup();
      }
    });
  }

  it("lists every exit code the CLI uses", () => {
    for (const [code, meaning] of [
      ["0", "OK"],
      ["1", "failed"],
      ["2", "invalid flow"],
      ["3", "transport"],
      ["130", "Interrupted"],
    ]) {
      assert.match(cliDoc, new RegExp(`^\\| ${code} \\| .*${meaning}`, "m"));
    }
  });

  it("README: the mini-language and YAML tour are the same valid flow", () => {
    const [text] = fenced(readme, "");
    const [yaml] = fenced(readme, "yaml");
    const fromText = loadFlow(text, "readme.flow");
    const fromYaml = loadFlow(yaml, "readme.flow.yaml");
    assert.deepEqual(fromText.diagnostics, []);
    assert.deepEqual(fromYaml.diagnostics, []);
    assert.deepEqual(stripSpans(fromYaml.flow), stripSpans(fromText.flow));
  });

  it("README: the tour's flow pays what the sentence after it says, from the --var it shows", async () => {
    const [text] = fenced(readme, "");
    const claim = /`(termflow run pay\.flow --var bill="[^"]+")` pays ([0-9.]+ EUR) and ([0-9.]+ EUR)/.exec(readme);
    assert.ok(claim, "README says what the tour's flow pays for a given bill");
    const fx = fixtureDir({ "pay.flow": text });
    try {
      const r = await termflow(shellWords(claim[1]).slice(1), { cwd: fx.dir });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const paid = [...r.stdout.matchAll(/✓ pay ([0-9.]+ EUR) as payment → approved ([0-9.]+ EUR)/g)];
      assert.deepEqual(
        paid.map((m) => [m[1], m[2]]),
        [
          [claim[2], claim[2]],
          [claim[3], claim[3]],
        ],
      );
    } finally {
      fx.cleanup();
    }
  });

  it("README: the diagnostic shown is the one termflow prints", () => {
    const rendered = renderDiagnostics(loadFlow(TIP, "tip.flow").diagnostics, () => TIP);
    assert.ok(readme.includes(rendered), rendered);
  });

  it("README: the quickstart is exactly the two commands", () => {
    const [quickstart] = fenced(readme, "sh");
    assert.deepEqual(
      quickstart
        .split("\n")
        .filter(Boolean)
        .map((l) => l.replace(/\s+#.*$/, "")),
      ["npm install && npm start", "npm test"],
    );
  });
});
