/** A config file's JSON mistake, placed without quoting the file (it holds a passphrase). */
import assert from "node:assert/strict";
import fc from "fast-check";
import { jsonProblem } from "../../../runtime/transports/json-problem.js";

const parses = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe("runtime/transports/json-problem", () => {
  const cases: Array<[string, string]> = [
    ['{"passphrase": CANARY}', "line 1, column 16: expected a value"],
    ['{\n  "passphrase": "x",\n  "keyVersion": 01\n}', "line 3, column 18: expected `,` or `}` after the value"],
    ['{"passphrase": "CANARY', "line 1, column 16: this string has no closing quote"],
    ['{"a": 1,}', 'line 1, column 9: expected a property name in double quotes ("name")'],
    ["", "line 1, column 1: the text ends where a value should be"],
    ['{"a": "x"} y', "line 1, column 12: more text after the JSON value"],
  ];
  for (const [text, expected] of cases)
    it(`${JSON.stringify(text)}: ${expected}`, () =>
      assert.ok(jsonProblem(text)?.startsWith(expected), jsonProblem(text)));

  it("finds a problem exactly when JSON.parse refuses the text", () => {
    const pieces = ["{", "}", "[", "]", ",", ":", '"a"', '"', "1", "-0.5e3", "true", "null", " ", "\n", "\\u00e9", "x"];
    const text = fc.oneof(
      fc.json(),
      fc.array(fc.constantFrom(...pieces), { maxLength: 12 }).map((p) => p.join("")),
      fc.tuple(fc.json(), fc.nat(), fc.constantFrom(...pieces)).map(([j, n, p]) => j.slice(0, n % (j.length + 1)) + p),
    );
    fc.assert(fc.property(text, (t) => (jsonProblem(t) === undefined) === parses(t)));
  });
});
