import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { DIAGNOSTIC_CODES, yamlSyntaxCode } from "../../language/diagnostic-codes.js";
import { fromRoot } from "../support/paths.js";

/** Where each group of codes is documented: the folder named in its docs/diagnostics.md heading. */
const SECTIONS: Record<keyof typeof DIAGNOSTIC_CODES, string> = {
  text: "language/text/",
  yaml: "language/yaml/",
  check: "language/checks/",
  cli: "cli/",
  run: "runtime/",
  scenario: "qa/scenario/",
  expectation: "qa/run/",
};

/** The codes in the first column of every table under the `### ... (\`folder\`)` heading. */
function documentedCodes(folder: string): string[] {
  const docs = readFileSync(fromRoot("docs/diagnostics.md"), "utf8");
  const start = docs.indexOf(`(\`${folder}\`)\n`);
  assert.ok(start >= 0, `docs/diagnostics.md has a section for ${folder}`);
  const end = docs.slice(start).search(/\n#{2,4} /);
  const section = end === -1 ? docs.slice(start) : docs.slice(start, start + end);
  return section
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .flatMap((line) => [...line.split("|")[1]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
}

describe("diagnostic codes (language/diagnostic-codes.ts)", () => {
  for (const [group, folder] of Object.entries(SECTIONS) as [keyof typeof DIAGNOSTIC_CODES, string][])
    it(`documents every ${group} code in docs/diagnostics.md, and no other`, () => {
      const documented = documentedCodes(folder).filter((code) => !code.startsWith("yaml-"));
      assert.deepEqual([...new Set(documented)].sort(), [...new Set(DIAGNOSTIC_CODES[group])].sort());
    });

  it("documents yaml-* codes that the yaml package has", () => {
    const yamlCodes = readFileSync(fromRoot("node_modules/yaml/dist/errors.d.ts"), "utf8")
      .match(/export type ErrorCode = ([^;]+);/)![1]!
      .match(/'[A-Z_0-9]+'/g)!
      .map((quoted) => yamlSyntaxCode(quoted.slice(1, -1) as Parameters<typeof yamlSyntaxCode>[0]));
    const documented = documentedCodes("language/yaml/").filter((code) => code.startsWith("yaml-"));
    assert.ok(documented.length >= 5);
    for (const code of documented) assert.ok(code === "yaml-..." || yamlCodes.includes(code as never), code);
  });

  it("lists each code once per group, in kebab case", () => {
    for (const [group, codes] of Object.entries(DIAGNOSTIC_CODES)) {
      assert.equal(new Set(codes).size, codes.length, `${group} lists a code twice`);
      for (const code of codes) assert.match(code, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
    }
  });
});
