import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { flowFilesIn, loadFlow, parseFlow, printFlowText, printFlowYaml, stripSpans } from "../../language/index.js";
import { VirtualClock } from "../../protocol/index.js";
import { runFlow } from "../../runtime/index.js";
import { createSimulator } from "../../simulator/index.js";
import { formatFlowText } from "../../language/text/format-text.js";
import { formatFlowYaml } from "../../language/yaml/format-yaml.js";
import { fromRoot, repoRoot } from "../support/paths.js";

/** The examples the README promises, each in both syntaxes. */
const EXAMPLES = [
  "pay-at-table",
  "tipping",
  "split-the-bill",
  "loyalty-signup",
  "rating-after-payment",
  "plain-payment",
  "every-input",
  "refund-counter",
  "loyalty-card",
  "counter-with-retry",
  "bar-tab",
  "group-dinner",
  // Called by bar-tab and group-dinner (`call "shared/tip.flow"`), in both forms like every example.
  "shared/tip",
];

/** Each example with the flows it calls, read as `termflow check` reads them. */
const load = (text: string, file: string) => loadFlow(text, file, { files: flowFilesIn(repoRoot) });

const source = (file: string): string => readFileSync(fromRoot("flows", file), "utf8");
const ast = (text: string, file: string): unknown => stripSpans(parseFlow(text, file).flow);

describe("flows/ examples", () => {
  it("are all there, each in both forms, and nothing else is", () => {
    const files = ["", "shared/"]
      .flatMap((dir) => readdirSync(fromRoot("flows", dir)).map((f) => `${dir}${f}`))
      .filter((f) => /\.flow(\.yaml)?$/.test(f))
      .sort();
    const expected = EXAMPLES.flatMap((n) => [`${n}.flow`, `${n}.flow.yaml`]).sort();
    assert.deepEqual(files, expected);
  });

  it("share a tip dialogue: two flows call it, one in each of its forms", () => {
    const calls = (name: string): string[] =>
      [...source(`${name}.flow`).matchAll(/^\s*call "([^"]+)"/gm)].map((m) => m[1]);
    assert.deepEqual(calls("bar-tab"), ["shared/tip.flow"]);
    assert.deepEqual(calls("group-dinner"), ["shared/tip.flow.yaml"]);
  });

  it("use every input kind, if/else, loops, expect, wait, interpolation, tips, money, params and handlers between them", () => {
    const all = EXAMPLES.map((n) => source(`${n}.flow`)).join("\n");
    for (const kind of ["confirm", "digits", "text", "amount", "phone", "signature", "menu"]) {
      assert.match(all, new RegExp(`^\\s*input ${kind} `, "m"), kind);
    }
    for (const feature of [
      /^\s*if .*\{$/m,
      /\} else \{/,
      /^\s*expect /m,
      /^\s*wait /m,
      /\$\{\w+/,
      / tip \w+ \* /,
      /^param \w+: money = /m,
      /^\s*for \w+ in split\(/m,
      / in EUR /,
      /== \d+\.\d\d EUR/,
      /display idle/,
      /^\s*on declined retry 1 \{$/m,
      /^\s*on failure use /m,
      /^\s*on timeout \{$/m,
    ]) {
      assert.match(all, feature);
    }
  });

  for (const name of EXAMPLES) {
    describe(name, () => {
      const textFile = `flows/${name}.flow`;
      const yamlFile = `flows/${name}.flow.yaml`;
      const text = source(`${name}.flow`);
      const yaml = source(`${name}.flow.yaml`);

      it("checks clean in both forms (no errors, no warnings)", () => {
        for (const [src, file] of [
          [text, textFile],
          [yaml, yamlFile],
        ]) {
          const { flow, diagnostics } = load(src, file);
          assert.deepEqual(
            diagnostics.map((d) => `${d.span.file}:${d.span.start.line}: ${d.code}: ${d.message}`),
            [],
          );
          assert.ok(flow);
        }
      });

      it("gives the identical AST from both forms (spans aside)", () => {
        assert.deepEqual(ast(yaml, yamlFile), ast(text, textFile));
      });

      it("fmt is idempotent in both forms and keeps the comments", () => {
        for (const [src, file, format] of [
          [text, textFile, formatFlowText],
          [yaml, yamlFile, formatFlowYaml],
        ] as const) {
          const once = format(src, file);
          assert.equal(typeof once.output, "string", `${file}: ${once.diagnostics.map((d) => d.message).join("; ")}`);
          const twice = format(once.output as string, file);
          assert.equal(twice.output, once.output, `${file}: formatting twice changed it`);
          assert.deepEqual(ast(once.output as string, file), ast(src, file));
          const comments = (s: string): string[] =>
            s
              .split("\n")
              .filter((l) => /^\s*#/.test(l))
              .map((l) => l.trim());
          assert.deepEqual(comments(once.output as string), comments(src), `${file}: own-line comments kept in order`);
        }
      });

      it("is already in the canonical layout (fmt --check passes)", () => {
        assert.equal(formatFlowText(text, textFile).output, text);
        assert.equal(formatFlowYaml(yaml, yamlFile).output, yaml);
      });

      it("runs on the simulator with the flows it calls, in both forms, and ends every session", async () => {
        for (const [src, file] of [
          [text, textFile],
          [yaml, yamlFile],
        ]) {
          const { flow, called } = load(src, file);
          assert.ok(flow);
          const clock = new VirtualClock({ auto: true });
          const simulator = createSimulator({ clock });
          // The shared dialogue alone needs what its callers give it.
          const params: Record<string, string> = name === "shared/tip" ? { bill: "30.00 EUR" } : {};
          const result = await runFlow(flow, { terminal: simulator, clock, calls: called, params });
          assert.equal(result.status, "passed", `${file}: ${result.diagnostics.map((d) => d.message).join("; ")}`);
          assert.equal(simulator.terminal("V400m-123456789").session, null);
        }
      });

      it("convert round-trips to the same AST both ways", () => {
        const fromText = load(text, textFile).flow;
        const fromYaml = load(yaml, yamlFile).flow;
        assert.ok(fromText && fromYaml);
        const asYaml = printFlowYaml(fromText);
        const asText = printFlowText(fromYaml);
        assert.deepEqual(ast(asYaml, "converted.flow.yaml"), ast(text, textFile));
        assert.deepEqual(ast(asText, "converted.flow"), ast(yaml, yamlFile));
        assert.deepEqual(ast(printFlowText(parseFlow(asYaml, "c.flow.yaml").flow!), "c.flow"), ast(text, textFile));
      });

      it("has the yaml-language-server modeline first in the YAML form", () => {
        const up = "../".repeat(name.split("/").length);
        assert.equal(yaml.split("\n")[0], `# yaml-language-server: $schema=${up}schemas/flow.schema.json`);
      });
    });
  }
});
