/**
 * Control characters from anything a user or a terminal wrote (scenario and flow names, source
 * lines, file names) reach no terminal as they are (issue 8, item 7): each is shown as a visible
 * character, in every human output of the bundled CLI, with and without colour, and in the reports.
 */
import assert from "node:assert/strict";
import { runBundleIn, type BundleOutputs } from "./helpers.js";

/** Sequences that retitle the window, clear the screen, recolour, ring the bell, overwrite the line. */
const HOSTILE = "\u001b]0;pwned\u0007\u001b[2J\u001b[31m\r\u009b\u202e";

/** Control characters in `text`, but termflow's own colour sequences when `colour` is on. */
function rawControls(text: string, colour: boolean): string[] {
  const own = colour ? text.replace(/\u001b\[(?:1|2|22|3[1-6]|39)m/g, "") : text;
  return own.match(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g) ?? [];
}

function assertPrintable(out: BundleOutputs, colour: boolean): void {
  for (const [name, text] of Object.entries(out.texts)) {
    assert.deepEqual(rawControls(text, colour && (name === "stdout" || name === "stderr")), [], `${name}: ${text}`);
  }
  const all = Object.values(out.texts).join("");
  assert.ok(all.includes("␛]0;pwned␇") || all.includes("\\u001b]0;pwned\\u0007"), all);
}

const flow = `flow "F${HOSTILE}low"\ndisplay "hi${HOSTILE}"\nexpect "a${HOSTILE}" == "b"\n`;
const broken = `flow "x"\ndispaly "x${HOSTILE}"\n`;
const scenario = `scenario "Esc${HOSTILE}name"\nthen run passes\n\nexpect "a${HOSTILE}" == "b"\n`;
const cases: Array<[string, Record<string, string>, string[]]> = [
  ["run: the flow's name, its display and a failing expect quoting its line", { "f.flow": flow }, ["run", "f.flow"]],
  ["plan: the flow's name and its strings", { "f.flow": flow }, ["plan", "f.flow"]],
  ["check: an error on a line holding them", { "b.flow": broken }, ["check", "b.flow"]],
  ["check: a file name holding them", { [`e${HOSTILE}.flow`]: broken }, ["check", "."]],
  [
    "test: a scenario's name and failure, with reports",
    { "s.scenario": scenario },
    ["test", "s.scenario", "-r", "html=r.html", "-r", "junit=r.xml", "-r", "json=r.json"],
  ],
];

describe("control characters in human output (the bundled CLI)", () => {
  for (const [what, files, args] of cases) {
    it(`${what}: shown, never sent to the terminal`, () => assertPrintable(runBundleIn(files, args), false));
    it(`${what}: the same with --color, where only termflow's own colours pass`, () => {
      const out = runBundleIn(files, [...args, "--color"]);
      assertPrintable(out, true);
      assert.match(out.texts.stdout + out.texts.stderr, /\u001b\[3[1-6]m/, "coloured");
    });
  }
});
