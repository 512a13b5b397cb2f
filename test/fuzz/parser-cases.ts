/**
 * The parser fuzzer's cases: families of generated sources in the four syntaxes a user writes
 * (flows as text and YAML, QA scenarios as text and YAML). Random text, random token soup, real
 * files mutated, and grammar-aware generation (random ASTs printed by the printers, scenarios put
 * together from real sentences), each sometimes mutated. Case `i` of a family is drawn from its own
 * seed, so any one case replays alone.
 */
import fc from "fast-check";
import type { Flow } from "../../language/ast.js";
import { printFlowText } from "../../language/text/print-text.js";
import { printFlowYaml } from "../../language/yaml/print-yaml.js";
import { flowArb } from "../support/arbitrary-flow.js";
import { caseSeed, mutate } from "../support/fuzz.js";
import { corpus, type CorpusFile } from "./corpus.js";

export type ParserSyntax = "text" | "yaml" | "scenario-text" | "scenario-yaml";

export interface ParserCase {
  family: string;
  syntax: ParserSyntax;
  /** The file name the source is given under (its ending picks the front end). */
  file: string;
  source: string;
}

export interface ParserFamily {
  name: string;
  syntax: ParserSyntax;
  arb: fc.Arbitrary<string>;
}

export const FILE_OF: Record<ParserSyntax, string> = {
  text: "fuzz.flow",
  yaml: "fuzz.flow.yaml",
  "scenario-text": "fuzz.scenario",
  "scenario-yaml": "fuzz.scenario.yaml",
};

/** Pieces that look like each syntax, so random text gets past the lexers into the parsers. */
const PIECES: Record<ParserSyntax, string[]> = {
  text: [
    ..." \n;<>{}[]()\"\\$#=!.,-0123456789@'\t\r",
    "session ",
    "waiting ",
    "input ",
    "confirm ",
    "menu ",
    "digits ",
    "display ",
    "idle",
    "pay ",
    "tip ",
    "ref ",
    "wait ",
    "expect ",
    "if ",
    "else ",
    "and ",
    "or ",
    "not ",
    "as ",
    "for ",
    "within ",
    "on ",
    "id ",
    "flow ",
    "param ",
    "call ",
    "with ",
    'call "x.flow" with a = 1 as t',
    "5s ",
    "12.50 ",
    "EUR ",
    "x ",
    "${x}",
    "payment.result",
    "==",
    "!=",
    ">=",
    '"text"',
  ],
  yaml: [
    "steps",
    "flow",
    "params",
    ":",
    " ",
    "\n",
    "  ",
    "- ",
    "{",
    "}",
    "[",
    "]",
    ",",
    "wait",
    "2s",
    "pay",
    "amount",
    "currency",
    "EUR",
    "input",
    "confirm",
    "prompt",
    "display",
    "as",
    "if",
    "then",
    "else",
    "condition",
    '"',
    "'",
    "#",
    "\t",
    "&a",
    "*a",
    "!!int",
    "${",
    "}",
    "expect",
    "a == 1",
    "session",
    "waiting",
    "call",
    "with",
    "x.flow",
    "|",
    ">",
    "---\n",
    "<<: *a",
    "?",
  ],
  "scenario-text": [
    "scenario ",
    "tags ",
    "given ",
    "then ",
    "examples\n",
    "| a | b |\n",
    "${a}",
    '"',
    "\n",
    "\t",
    "#",
    "flow file ",
    "shopper answers ",
    "shopper cancels ",
    "payment declined ",
    "fault drop on ",
    "run fails with ",
    "sent payment once",
    "waiting 5000ms after ",
    "session waiting 5000 < ",
    ">",
    'display "x"',
    "pay 1.00 EUR as p",
  ],
  "scenario-yaml": [
    "scenario: ",
    "tags: ",
    "given:",
    "then:",
    "flow: |",
    "flow: ",
    "vars: ",
    "examples:",
    "\n",
    "  ",
    "- ",
    "{",
    "}",
    "[",
    "]",
    ":",
    "---\n",
    "${a}",
    '"',
    "'",
    "#",
    "shopper answers ",
    "run passes",
    "sent admin end once",
    'display "x"',
  ],
};

const pieceSoup = (syntax: ParserSyntax) =>
  fc.array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...PIECES[syntax]) }, fc.string({ maxLength: 4 })), {
    maxLength: 60,
  });

/** Character edits plus line edits and pieces of other files spliced in: what a careless hand does. */
export const editsArb = fc.array(
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc.tuple(
        fc.constantFrom("delete", "insert", "swap"),
        fc.nat(),
        fc.string({ minLength: 1, maxLength: 1, unit: "binary" }),
      ),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(
        fc.constantFrom("drop-line", "dup-line", "swap-lines", "indent", "dedent"),
        fc.nat(),
        fc.constant(""),
      ),
    },
    { weight: 2, arbitrary: fc.tuple(fc.constant("splice"), fc.nat(), fc.string({ maxLength: 12 })) },
  ),
  { minLength: 1, maxLength: 6 },
);

/** Applies `editsArb`'s edits; character edits reuse the robustness tests' `mutate`. */
export function applyEdits(source: string, edits: [string, number, string][]): string {
  let s = source;
  for (const [kind, at, text] of edits) {
    if (kind === "delete" || kind === "insert" || kind === "swap") {
      s = mutate(s, [[kind, at, text]]);
      continue;
    }
    if (kind === "splice") {
      const i = at % (s.length + 1);
      s = s.slice(0, i) + text + s.slice(i);
      continue;
    }
    const lines = s.split("\n");
    const i = at % lines.length;
    if (kind === "drop-line") lines.splice(i, 1);
    else if (kind === "dup-line") lines.splice(i, 0, lines[i]);
    else if (kind === "swap-lines" && i + 1 < lines.length) [lines[i], lines[i + 1]] = [lines[i + 1], lines[i]];
    else if (kind === "indent") lines[i] = `  ${lines[i]}`;
    else if (kind === "dedent") lines[i] = lines[i].replace(/^\s{1,2}/, "");
    s = lines.join("\n");
  }
  return s;
}

/** A file of the corpus, cut in two at a random line and joined to a piece of another one. */
const crossoverArb = (files: CorpusFile[]) =>
  fc.tuple(fc.nat(files.length - 1), fc.nat(files.length - 1), fc.nat(), fc.nat()).map(([a, b, i, j]) => {
    const first = files[a].text.split("\n");
    const second = files[b].text.split("\n");
    return [...first.slice(0, i % (first.length + 1)), ...second.slice(j % (second.length + 1))].join("\n");
  });

const mutatedCorpusArb = (files: CorpusFile[]) =>
  fc
    .tuple(
      fc.oneof(
        fc.nat(files.length - 1).map((i) => files[i].text),
        crossoverArb(files),
      ),
      editsArb,
    )
    .map(([text, edits]) => applyEdits(text, edits));

const uniqueParams = (flow: Flow) => new Set(flow.params.map((p) => p.name.name)).size === flow.params.length;

/** Grammar-aware: a random AST printed by the syntax's own printer, kept as is or edited. */
const grammarArb = (print: (flow: Flow) => string) =>
  fc
    .tuple(flowArb.filter(uniqueParams), fc.option(editsArb, { freq: 2 }))
    .map(([flow, edits]) => (edits ? applyEdits(print(flow), edits) : print(flow)));

/** The given and then sentences the scenario files use, as written (`${...}` and all). */
function sentencesOf(files: CorpusFile[]): { given: string[]; then: string[] } {
  const given = new Set<string>();
  const then = new Set<string>();
  for (const { text } of files) {
    let list: Set<string> | undefined;
    for (const line of text.split("\n")) {
      const t = /^(given|then) (.+)$/.exec(line);
      if (t) (t[1] === "given" ? given : then).add(t[2]);
      if (/^given:/.test(line)) list = given;
      else if (/^then:/.test(line)) list = then;
      else if (/^\S/.test(line)) list = undefined;
      const item = /^\s+- (.+)$/.exec(line);
      if (list && item) list.add(item[1]);
    }
  }
  return { given: [...given], then: [...then] };
}

/** Grammar-aware scenarios: real sentences around a random flow, in the chosen syntax. */
function scenarioArb(yaml: boolean): fc.Arbitrary<string> {
  const { scenarioText, scenarioYaml } = corpus();
  const { given, then } = sentencesOf([...scenarioText, ...scenarioYaml]);
  const one = fc
    .record({
      name: fc.string({ maxLength: 20 }),
      tags: fc.array(fc.constantFrom("fault", "session", "slow", "x-y"), { maxLength: 3 }),
      given: fc.array(fc.constantFrom(...given), { maxLength: 3 }),
      then: fc.array(fc.constantFrom(...then), { maxLength: 4 }),
      flow: flowArb.filter(uniqueParams).map(printFlowText),
    })
    .map((s) =>
      yaml
        ? [
            `scenario: ${JSON.stringify(s.name)}`,
            `tags: [${s.tags.join(", ")}]`,
            "given:",
            ...s.given.map((g) => `  - ${g}`),
            "flow: |",
            ...s.flow.split("\n").map((l) => `  ${l}`),
            "then:",
            ...s.then.map((t) => `  - ${t}`),
          ].join("\n")
        : [
            `scenario ${JSON.stringify(s.name)}`,
            ...(s.tags.length ? [`tags ${s.tags.join(", ")}`] : []),
            ...s.given.map((g) => `given ${g}`),
            ...s.then.map((t) => `then ${t}`),
            "",
            s.flow,
          ].join("\n"),
    );
  return fc
    .tuple(fc.array(one, { minLength: 1, maxLength: 3 }), fc.option(editsArb, { freq: 2 }))
    .map(([scenarios, edits]) => {
      const text = scenarios.join(yaml ? "\n---\n" : "\n\n");
      return edits ? applyEdits(text, edits) : text;
    });
}

/** Every family, in a fixed order (a seed names the same cases tomorrow). */
export function parserFamilies(): ParserFamily[] {
  const c = corpus();
  const random = fc.string({ unit: "binary", maxLength: 200 });
  return [
    { name: "text/random", syntax: "text", arb: random },
    { name: "text/soup", syntax: "text", arb: pieceSoup("text").map((p) => p.join("")) },
    { name: "text/mutated", syntax: "text", arb: mutatedCorpusArb(c.text) },
    { name: "text/grammar", syntax: "text", arb: grammarArb(printFlowText) },
    { name: "yaml/random", syntax: "yaml", arb: random },
    { name: "yaml/soup", syntax: "yaml", arb: pieceSoup("yaml").map((p) => p.join("")) },
    { name: "yaml/mutated", syntax: "yaml", arb: mutatedCorpusArb(c.yaml) },
    { name: "yaml/grammar", syntax: "yaml", arb: grammarArb(printFlowYaml) },
    { name: "scenario-text/soup", syntax: "scenario-text", arb: pieceSoup("scenario-text").map((p) => p.join("")) },
    { name: "scenario-text/mutated", syntax: "scenario-text", arb: mutatedCorpusArb(c.scenarioText) },
    { name: "scenario-text/grammar", syntax: "scenario-text", arb: scenarioArb(false) },
    { name: "scenario-yaml/soup", syntax: "scenario-yaml", arb: pieceSoup("scenario-yaml").map((p) => p.join("")) },
    { name: "scenario-yaml/mutated", syntax: "scenario-yaml", arb: mutatedCorpusArb(c.scenarioYaml) },
    { name: "scenario-yaml/grammar", syntax: "scenario-yaml", arb: scenarioArb(true) },
  ];
}

let families: Map<string, ParserFamily> | undefined;

/** Case `index` of the family named `family` under `seed`. */
export function parserCase(seed: number, family: string, index: number): ParserCase {
  families ??= new Map(parserFamilies().map((f) => [f.name, f]));
  const f = families.get(family);
  if (!f) throw new Error(`no parser family ${family}`);
  const [source] = fc.sample(f.arb, { seed: caseSeed(seed, family, index), numRuns: 1 });
  return { family, syntax: f.syntax, file: FILE_OF[f.syntax], source };
}
