/**
 * Inputs no random draw reaches: the sizes and shapes issue 8 found (and their neighbours). Each is
 * built at full size for `npm run fuzz`; `npm test` builds them at a small `scale` to keep the
 * machinery honest. They go through the same checks as every parser case, and through the CLI.
 */
import type { ParserCase, ParserSyntax } from "./parser-cases.js";
import { FILE_OF } from "./parser-cases.js";

export interface Pathological {
  name: string;
  syntax: ParserSyntax;
  /** The source at `scale` (1: the full size). */
  make: (scale: number) => string;
}

const n = (full: number, scale: number) => Math.max(2, Math.round(full * scale));
const MB = 1024 * 1024;

/** `count` display steps of `width` characters each: a long flow that is valid all through. */
const longFlow = (bytes: number) => {
  const line = `display "${"x".repeat(58)}"\n`;
  return line.repeat(Math.ceil(bytes / line.length));
};

export const PATHOLOGICAL: Pathological[] = [
  {
    name: "if nested 100,000 deep",
    syntax: "text",
    make: (s) => `param c = true\n${"if c {\n".repeat(n(100_000, s))}display "x"\n${"}\n".repeat(n(100_000, s))}`,
  },
  {
    name: "parentheses 100,000 deep",
    syntax: "text",
    make: (s) => `param x = true\nexpect ${"(".repeat(n(100_000, s))}x${")".repeat(n(100_000, s))}\n`,
  },
  {
    name: "`not` 100,000 times",
    syntax: "text",
    make: (s) => `param x = true\nexpect ${"not ".repeat(n(100_000, s))}x\n`,
  },
  {
    name: "`and` chain of 1,300 terms",
    syntax: "text",
    make: (s) => `param x = true\nexpect ${Array(n(1_300, s)).fill("x").join(" and ")}\n`,
  },
  {
    name: "`and` chain of 100,000 terms",
    syntax: "text",
    make: (s) => `param x = true\nexpect ${Array(n(100_000, s)).fill("x").join(" and ")}\n`,
  },
  {
    name: "`or`/`==` chain of 20,000 terms",
    syntax: "text",
    make: (s) => `param x = 1\nexpect ${Array(n(20_000, s)).fill("x == 1").join(" or ")}\n`,
  },
  { name: "5,000 stray `x` lines", syntax: "text", make: (s) => "x\n".repeat(n(5_000, s)) },
  { name: "5,000 stray `}` lines", syntax: "text", make: (s) => "}\n".repeat(n(5_000, s)) },
  { name: "5,000 unclosed strings", syntax: "text", make: (s) => 'display "\n'.repeat(n(5_000, s)) },
  { name: "a 10 MB string", syntax: "text", make: (s) => `display "${"a".repeat(n(10 * MB, s))}"\n` },
  { name: "an unterminated 10 MB string", syntax: "text", make: (s) => `display "${"a".repeat(n(10 * MB, s))}` },
  {
    name: "100,000 interpolations in one string",
    syntax: "text",
    make: (s) => `param x = "a"\ndisplay "${"${x}".repeat(n(100_000, s))}"\n`,
  },
  {
    name: "16,000 if/else blocks",
    syntax: "text",
    make: (s) => `param c = true\n${'if c {\n  display "a"\n} else {\n  display "b"\n}\n'.repeat(n(16_000, s))}`,
  },
  {
    name: "10,000 params and 10,000 captures",
    syntax: "text",
    make: (s) =>
      Array.from({ length: n(10_000, s) }, (_, i) => `param p${i} = ${i}`).join("\n") +
      "\n" +
      Array.from({ length: n(10_000, s) }, (_, i) => `input confirm "q${i}?" as c${i}`).join("\n") +
      "\n",
  },
  {
    name: "10,000 captures of one name",
    syntax: "text",
    make: (s) => 'input confirm "q?" as c\n'.repeat(n(10_000, s)),
  },
  { name: "a 1 MB line of tokens", syntax: "text", make: (s) => `${"wait 1s; ".repeat(n(110_000, s))}\n` },
  { name: "1,000,000 empty lines", syntax: "text", make: (s) => `${"\n".repeat(n(1_000_000, s))}display "x"\n` },
  { name: "a 50 MB flow", syntax: "text", make: (s) => longFlow(n(50 * MB, s)) },
  {
    name: "a 50 MB YAML flow",
    syntax: "yaml",
    make: (s) => `steps:\n${longFlow(n(50 * MB, s)).replace(/^/gm, "  - ")}`,
  },
  {
    name: "40,000 unknown YAML keys",
    syntax: "yaml",
    make: (s) => `${Array.from({ length: n(40_000, s) }, (_, i) => `k${i}: 1`).join("\n")}\nsteps:\n  - wait: 1s\n`,
  },
  {
    name: "40,000 unknown keys in one YAML step",
    syntax: "yaml",
    make: (s) =>
      `steps:\n  - display: x\n${Array.from({ length: n(40_000, s) }, (_, i) => `    k${i}: 1`).join("\n")}\n`,
  },
  { name: "YAML `[` 100,000 deep", syntax: "yaml", make: (s) => `steps: ${"[".repeat(n(100_000, s))}` },
  {
    name: "YAML `{a:` 50,000 deep",
    syntax: "yaml",
    make: (s) => `steps: ${"{a: ".repeat(n(50_000, s))}1${"}".repeat(n(50_000, s))}`,
  },
  {
    name: "YAML sessions nested 2,000 deep",
    syntax: "yaml",
    make: (s) =>
      `steps:\n${Array.from({ length: n(2_000, s) }, (_, i) => "  ".repeat(2 * i))
        .map((indent) => `${indent}  - session:\n${indent}      waiting: 1s\n${indent}      steps:`)
        .join("\n")}\n`,
  },
  {
    name: "YAML ifs nested 400 deep",
    syntax: "yaml",
    make: (s) =>
      `params: {c: true}\nsteps:\n${Array.from({ length: n(400, s) }, (_, i) => "  ".repeat(2 * i))
        .map((indent) => `${indent}  - if: c\n${indent}    then:`)
        .join("\n")}\n${"  ".repeat(2 * n(400, s))}  - display: x\n`,
  },
  {
    name: "YAML alias bomb",
    syntax: "yaml",
    make: () =>
      `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c ` +
      `[*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e ` +
      `[*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\nsteps: *f\n`,
  },
  { name: "YAML 5,000 syntax errors", syntax: "yaml", make: (s) => `steps:\n${"  - : : [\n".repeat(n(5_000, s))}` },
  { name: "YAML a 10 MB string", syntax: "yaml", make: (s) => `steps:\n  - display: "${"a".repeat(n(10 * MB, s))}"\n` },
  {
    name: "a scenario with 10,000 examples rows",
    syntax: "scenario-text",
    make: (s) =>
      `scenario "rows \${a}"\ngiven shopper answers "Q?" with \${a}\nthen run passes\n\ninput confirm "Q?" ` +
      `as q\n\nexamples\n| a |\n${"| yes |\n".repeat(n(10_000, s))}`,
  },
  {
    name: "10,000 scenarios in one file",
    syntax: "scenario-text",
    make: (s) => `scenario "s"\nthen run passes\n\ndisplay "x"\n\n`.repeat(n(10_000, s)),
  },
  {
    name: "a scenario with 20,000 given lines",
    syntax: "scenario-text",
    make: (s) => `scenario "g"\n${'given shopper answers "Q?" with yes\n'.repeat(n(20_000, s))}\ninput confirm "Q?"\n`,
  },
  {
    name: "a YAML scenario with 10,000 examples",
    syntax: "scenario-yaml",
    make: (s) =>
      `scenario: "rows \${a}"\nflow: |\n  display "\${a}"\nthen:\n  - run passes\nexamples:\n${"  - {a: x}\n".repeat(n(10_000, s))}`,
  },
];

/** A pathological input as a parser case. */
export function pathologicalCase(p: Pathological, scale: number): ParserCase {
  return { family: "pathological", syntax: p.syntax, file: FILE_OF[p.syntax], source: p.make(scale) };
}
