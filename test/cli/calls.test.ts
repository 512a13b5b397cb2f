/**
 * The commands follow calls: `check` reports a problem in a called file with its chain, `plan` shows
 * the called flow's steps in place, `convert` converts the call and leaves the called file alone,
 * `fmt` formats the call, `run` runs the called flow and hides its secret params.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fixtureDir, hasStackTrace, termflow } from "./helpers.js";

const TIP = `flow "Tip"
param bill: money
input amount "Tip for \${bill}?" in EUR within 30s as tip
`;
const MAIN = `flow "Bar"
param tab: money = 20.00 EUR

session waiting 5s <
  call "shared/tip.flow" with bill = tab as t
  pay tab tip t.tip as payment
>
`;

/** Runs `termflow args` in a fresh directory holding `files`. */
async function inDir(files: Record<string, string>, args: string[]) {
  const fx = fixtureDir(files);
  try {
    const r = await termflow(args, { cwd: fx.dir });
    assert.ok(!hasStackTrace(r.stdout + r.stderr), r.stdout + r.stderr);
    return r;
  } finally {
    fx.cleanup();
  }
}

describe("termflow commands follow calls", () => {
  it("check: a problem in a called file is shown there, with its source line and the chain", async () => {
    const r = await inDir({ "main.flow": MAIN, "shared/tip.flow": TIP.replace("within 30s", "within 1000s") }, [
      "check",
      "main.flow",
    ]);
    assert.equal(r.code, 2);
    assert.match(r.stdout, /^error\[duration-out-of-range\]: [^\n]*\n --> shared\/tip\.flow:3:47\n/);
    assert.match(
      r.stdout,
      /note: called from main\.flow:5:3\n --> main\.flow:5:3\n {2}\|\n5 \| {3}call "shared\/tip\.flow"/,
    );
    assert.match(r.stdout, /error: could not check `main\.flow`: /);
  });

  it("check --error-format json: the chain is in `related`", async () => {
    const r = await inDir({ "main.flow": 'call "missing.flow"\ncall "tip.flow"\n', "tip.flow": TIP }, [
      "check",
      "--error-format",
      "json",
      "main.flow",
    ]);
    const diagnostics = JSON.parse(r.stdout) as { code: string; file: string; related: { message: string }[] }[];
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.file]),
      [
        ["call-file-unreadable", "main.flow"],
        ["missing-param", "main.flow"],
      ],
    );
    assert.deepEqual(
      diagnostics[1].related.map((n) => n.message),
      ["`bill` is declared here, without a default"],
    );
  });

  it("plan: the called flow's steps in place, under the call, with the values it is given", async () => {
    const r = await inDir({ "main.flow": MAIN, "shared/tip.flow": TIP }, [
      "plan",
      "main.flow",
      "--var",
      "tab=31.80 EUR",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /\n\s+5 {2}├─ call shared\/tip\.flow Tip {2}with bill = 31\.80 EUR \(tab\) {2}→ t \{tip\}\n/,
    );
    assert.match(r.stdout, /\n\s+tip\.flow:3 {2}│ {2}└─ input amount "Tip for 31\.80 EUR\?" {2}InputRequest GetAmount/);
    assert.match(r.stdout, /requests 1 session \(Admin Begin \+ End\), 1 input, 1 payment\n/);
  });

  it("convert: converts the call, and leaves the called file as it is", async () => {
    const fx = fixtureDir({ "main.flow": MAIN, "shared/tip.flow": TIP });
    try {
      const r = await termflow(["convert", "main.flow", "-o", "main.flow.yaml"], { cwd: fx.dir });
      assert.equal(r.code, 0, r.stderr);
      const yaml = readFileSync(join(fx.dir, "main.flow.yaml"), "utf8");
      assert.match(yaml, /- call: \{flow: shared\/tip\.flow, with: \{bill: tab\}, as: t\}/);
      assert.equal(readFileSync(join(fx.dir, "shared/tip.flow"), "utf8"), TIP);
      // The YAML form calls the text form, and checks clean with it.
      assert.equal((await termflow(["check", "main.flow.yaml"], { cwd: fx.dir })).code, 0);
    } finally {
      fx.cleanup();
    }
  });

  it("fmt: a call in the canonical layout of each syntax", async () => {
    const r = await inDir({ "a.flow": 'call   "tip.flow"   with bill=1.00 EUR,x = 2  as t\n' }, ["fmt", "a.flow"]);
    assert.equal(r.stdout, 'call "tip.flow" with bill = 1.00 EUR, x = 2 as t\n');
  });

  it("run: the called flow runs inside the caller's session, and says what it gives back", async () => {
    const r = await inDir({ "main.flow": MAIN, "shared/tip.flow": TIP }, ["run", "main.flow", "--no-color"]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /\n {4}call "shared\/tip\.flow" with bill = 20\.00 EUR as t\n {6}✓ input amount /);
    assert.match(r.stdout, /\n {6}✓ back → t \{tip: 10\.00 EUR\}/);
    assert.match(r.stdout, /✓ End session/);
  });

  it("run: a secret-named param of a called flow is hidden, whatever the caller passes it", async () => {
    const files = {
      "main.flow": 'call "login.flow" with api_token = "tok-4242-secret"\n',
      "login.flow": 'param api_token: string\ndisplay "Signed in with ${api_token}"\n',
    };
    for (const args of [
      ["run", "main.flow"],
      ["run", "main.flow", "--json"],
      ["run", "main.flow", "--dry-run"],
    ]) {
      const r = await inDir(files, args);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.doesNotMatch(r.stdout + r.stderr, /tok-4242-secret/, args.join(" "));
    }
  });

  it("test: a scenario's called flows run, and a secret-named param they get shows in no report", async () => {
    const fx = fixtureDir({
      "login.scenario":
        'scenario "Signs in"\ntags secret\nthen sent display once\n\ncall "login.flow" with api_token = "tok-4242-secret"\n',
      "login.flow": 'param api_token: string\ndisplay "Signed in with ${api_token}"\n',
    });
    try {
      const r = await termflow(
        ["test", "login.scenario", "--reporter", "json=out.json", "--reporter", "html=out.html"],
        {
          cwd: fx.dir,
        },
      );
      assert.equal(r.code, 0, r.stdout + r.stderr);
      for (const text of [
        r.stdout,
        r.stderr,
        readFileSync(join(fx.dir, "out.json"), "utf8"),
        readFileSync(join(fx.dir, "out.html"), "utf8"),
      ])
        assert.doesNotMatch(text, /tok-4242-secret/);
      assert.match(readFileSync(join(fx.dir, "out.json"), "utf8"), /"file": "login\.flow"/);
    } finally {
      fx.cleanup();
    }
  });
});
