import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { fromRoot } from "../../support/paths.js";
import type { Span } from "../../../language/ast.js";
import { loadScenarioSource, type LoadedScenarios } from "../../../qa/scenario/load.js";

const DIR = "flows/scenarios";
const files = readdirSync(fromRoot(DIR)).filter((f) => /\.scenario(\.yaml)?$/.test(f));
const sources = files.map((f) => ({ name: f, text: readFileSync(fromRoot(DIR, f), "utf8") }));
const pieces = [
  "given ",
  "then ",
  "scenario ",
  "examples\n",
  "| a |\n",
  "${a}",
  '"',
  ":",
  "- ",
  "\t",
  "\n",
  "<",
  ">",
  "#",
  "---\n",
  "{",
  "[",
  "flow file ",
  "shopper answers ",
  "sent ",
  "waiting ",
];

/** Every span in the result, wherever it sits. */
function spans(value: unknown, out: Span[] = []): Span[] {
  if (typeof value !== "object" || value === null) return out;
  const v = value as Record<string, unknown>;
  if (typeof v.file === "string" && typeof (v.start as { offset?: unknown })?.offset === "number")
    out.push(v as unknown as Span);
  else for (const child of Object.values(v)) spans(child, out);
  return out;
}

function check(text: string, name: string): void {
  let loaded: LoadedScenarios | undefined;
  assert.doesNotThrow(
    () =>
      (loaded = loadScenarioSource(text, `${DIR}/${name}`, {
        readFile: (p) => (p.endsWith(".flow") ? 'display "x"\n' : undefined),
      })),
  );
  for (const s of spans(loaded).filter((s) => s.file === `${DIR}/${name}`)) {
    assert.ok(
      s.start.offset >= 0 && s.end.offset <= text.length && s.start.offset <= s.end.offset,
      `span ${JSON.stringify(s)} outside a file of ${text.length} characters`,
    );
  }
}

describe("qa/scenario: broken input never throws", function () {
  this.timeout(60_000);

  it("mutated scenario files give diagnostics only, with every span inside the file", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: sources.length - 1 }),
        fc.array(
          fc.tuple(fc.nat(), fc.nat({ max: 12 }), fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 4 }))),
          { minLength: 1, maxLength: 5 },
        ),
        (which, edits) => {
          let text = sources[which].text;
          for (const [at, remove, insert] of edits) {
            const i = at % (text.length + 1);
            text = text.slice(0, i) + insert + text.slice(i + remove);
          }
          check(text, sources[which].name);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("random text in either syntax gives diagnostics only", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 6 })), { maxLength: 30 }),
        fc.boolean(),
        (parts, yaml) => {
          check(parts.join(""), yaml ? "random.scenario.yaml" : "random.scenario");
        },
      ),
      { numRuns: 200 },
    );
  });
});
