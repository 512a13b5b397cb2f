import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { loadFlow, stripSpans } from "../../language/index.js";
import { fromRoot } from "../support/paths.js";
import { fixtureDir, hasStackTrace, termflow } from "./helpers.js";

describe("termflow plan", () => {
  it("shows the pay-at-table tree with wire values, waiting screens and captures", async () => {
    const r = await termflow(["plan", "flows/pay-at-table.flow"]);
    assert.equal(r.code, 0, r.stderr);
    const out = r.stdout;
    assert.match(out, /^plan flows\/pay-at-table\.flow: Pay at table$/m);
    assert.match(out, /^ {2}table {2}"12" \(default\)$/m);
    assert.match(
      out,
      /^requests 1 session \(Admin Begin \+ End\), 1 input, 5 displays, 3 payments, counting every branch of each if$/m,
    );
    assert.match(out, /session {2}Session\.Id "pay-at-table"/);
    assert.match(
      out,
      /├─ Admin Begin {2}waiting screens: InputRequest 5000 ms, DisplayRequest 5000 ms, Payment 5000 ms/,
    );
    assert.match(
      out,
      new RegExp(
        String.raw`input confirm "Split the bill\?" {2}InputRequest GetConfirmation\/GetConfirmation, ` +
          String.raw`MaxInputTime 30 s {2}→ split boolean {2}then waiting screen 5000 ms after the answer`,
      ),
    );
    // Params are filled into the strings the terminal will show.
    assert.match(out, /display "Table 12: your bill is 50\.00 EUR" {2}DisplayRequest, MinimumDisplayTime 3 s/);
    assert.match(
      out,
      new RegExp(
        String.raw`pay 25\.00 EUR {2}PaymentRequest Currency EUR, RequestedAmount 25 \(2500 minor units\), TransactionID ` +
          String.raw`"table-12-guest-1" {2}→ first \{result, transactionId, amount, tip, currency, declineReason, errorCondition\}`,
      ),
    );
    assert.match(out, /└─ Admin End {2}always sent once Begin succeeded/);
    assert.match(out, /│ {2}├─ then\n/);
    assert.match(out, /│ {2}└─ else\n/);
    // Source lines in the left column: the session starts on line 8, `display idle` is line 25.
    assert.match(out, /^ +8 {2}session/m);
    assert.match(out, /^ +25 {2}display idle {2}DisplayRequest back to the idle screen$/m);
  });

  it("shows refund, print, acquire, status, `within` and handlers with their requests, the same from both syntaxes", async () => {
    const text = await termflow(["plan", "test/golden/ok/api-steps.flow"]);
    const yaml = await termflow(["plan", "test/golden/ok/api-steps-yaml.flow.yaml"]);
    assert.equal(text.code, 0, text.stderr);
    const out = text.stdout;
    assert.match(
      out,
      new RegExp(
        String.raw`^requests 1 session \(Admin Begin \+ End\), 2 displays, 2 payments, 3 refunds, 3 prints, 1 card acquisition ` +
          String.raw`\(charged by its payment, else released\), 2 status requests, counting each handler's steps once$`,
        "m",
      ),
    );
    assert.match(
      out,
      new RegExp(
        String.raw`acquire card {2}CardAcquisitionRequest; AbortRequest after 30000 ms; released \(EnableService AbortTransaction\) ` +
          String.raw`unless a payment continues it {2}→ card \{result, brand, maskedPan, alias, token, shopperReference\}`,
      ),
    );
    assert.match(out, /CardAcquisitionReference of card {2}→ sale /);
    assert.match(
      out,
      /refund sale 5\.00 EUR {2}ReversalRequest of sale's POITransactionID, ReversedAmount 5 \(500 minor units\)/,
    );
    assert.match(out, /refund sale {2}ReversalRequest of sale's POITransactionID, its whole amount/);
    assert.match(
      out,
      /refund 7\.50 EUR {2}PaymentRequest PaymentType Refund, RequestedAmount 7\.5 \(750 minor units\)/,
    );
    assert.match(out, /print receipt sale {2}PrintRequest CustomerReceipt/);
    assert.match(out, /print receipt sale cashier {2}PrintRequest CashierReceipt/);
    assert.match(out, /print "Table 7" "Thank you" {2}PrintRequest Document/);
    assert.match(out, /; after 90000 ms AbortRequest, then TransactionStatus until settled {2}→ late /);
    assert.match(
      out,
      /└─ on timeout {2}when it times out, these steps, then the flow goes on\n.*└─ status late {2}TransactionStatusRequest/,
    );
    // The same tree from the YAML twin; only the file name and the source lines differ.
    const tree = (s: string) =>
      s
        .split("\n")
        .slice(1)
        .map((l) => l.replace(/^ +\d+ {2}/, ""));
    assert.deepEqual(tree(yaml.stdout), tree(out));
  });

  it("uses --var values in place of defaults", async () => {
    const r = await termflow(["plan", "flows/pay-at-table.flow", "--var", "table=31"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ {2}table {2}"31" \(from --var\)$/m);
    assert.match(r.stdout, /TransactionID "table-31"/);
  });

  it("rejects a --var the flow does not declare, with a did-you-mean", async () => {
    const r = await termflow(["plan", "flows/pay-at-table.flow", "--var", "tabel=3"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--var `tabel`: no such param .*did you mean `table`\?/);
  });

  it("shows tips, menus, waits and wire amounts of other currencies", async () => {
    const fx = fixtureDir({
      "x.flow": [
        "pay 1.250 KWD tip 0.5 KWD as kw",
        "pay 500 JPY",
        'input menu "Rate" ["Good", "Bad"] as rating',
        "wait 2s",
        'expect kw.result == "approved" and (rating == "Good" or not rating != "Bad")',
        "",
      ].join("\n"),
    });
    try {
      const r = await termflow(["plan", "x.flow"], { cwd: fx.dir });
      assert.equal(r.code, 0, r.stderr);
      assert.match(
        r.stdout,
        new RegExp(
          String.raw`pay 1\.250 KWD tip 0\.500 KWD {2}PaymentRequest Currency KWD, RequestedAmount 1\.25 \(1250 ` +
            String.raw`minor units\), TipAmount 0\.5 \(500 minor units\), TransactionID generated at run time`,
        ),
      );
      assert.match(r.stdout, /pay 500 JPY {2}PaymentRequest Currency JPY, RequestedAmount 500 \(500 minor units\)/);
      assert.match(
        r.stdout,
        /input menu "Rate" \["Good", "Bad"\] {2}InputRequest MenuButtons\/GetMenuEntry {2}→ rating string$/m,
      );
      assert.match(r.stdout, /wait 2000 ms {2}local pause, no request/);
      assert.match(
        r.stdout,
        /expect kw\.result == "approved" and \(rating == "Good" or not rating != "Bad"\) {2}fails the flow when false$/m,
      );
      assert.doesNotMatch(r.stdout, /waiting screen/, "no session: no waiting screens");
    } finally {
      fx.cleanup();
    }
  });

  it("computes amounts from the params, a loop's shares once each, in major and minor units", async () => {
    const r = await termflow(["plan", "flows/split-the-bill.flow", "--var", "total=86.45 EUR", "--var", "guests=4"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ {2}total {3}money 86\.45 EUR \(from --var\)$/m);
    assert.match(r.stdout, /for share in split\(total, guests\) {2}4 times$/m);
    const shares = [...r.stdout.matchAll(/#\d share = (\S+ EUR)$/gm)].map((m) => m[1]);
    assert.deepEqual(shares, ["21.62 EUR", "21.61 EUR", "21.61 EUR", "21.61 EUR"]);
    assert.match(
      r.stdout,
      /pay share = 21\.62 EUR {2}PaymentRequest Currency EUR, RequestedAmount 21\.62 \(2162 minor units\)/,
    );
    assert.match(r.stdout, /TipAmount computed at run time from `share \* number\(choice\)`/);
  });

  it("refuses a --var that does not fit its param's type, exit 2", async () => {
    const r = await termflow(["plan", "flows/split-the-bill.flow", "--var", "total=86.455 EUR"]);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /error\[invalid-var\]: `total` must be an amount like `42\.50 EUR`: `86\.455 EUR` has 3 decimals, but EUR has 2/,
    );
  });

  it("--json prints the checked AST; --no-spans leaves the spans out", async () => {
    const source = readFileSync(fromRoot("flows/tipping.flow"), "utf8");
    const expected = loadFlow(source, "flows/tipping.flow").flow;
    const withSpans = await termflow(["plan", "--json", "flows/tipping.flow"]);
    assert.equal(withSpans.code, 0);
    assert.deepEqual(JSON.parse(withSpans.stdout), JSON.parse(JSON.stringify(expected)));
    const bare = await termflow(["plan", "--json", "--no-spans", "flows/tipping.flow"]);
    assert.deepEqual(JSON.parse(bare.stdout), stripSpans(expected));
    assert.doesNotMatch(bare.stdout, /"span"/);
  });

  it("does not plan a broken flow: diagnostics with file:line:col, exit 2", async () => {
    const fx = fixtureDir({ "b.flow": "session waiting 5s <\n  pay 12.50 ERU\n" });
    try {
      const r = await termflow(["plan", "b.flow"], { cwd: fx.dir });
      assert.equal(r.code, 2);
      assert.equal(r.stdout, "");
      assert.match(r.stderr, /error\[unknown-currency\]/);
      assert.match(r.stderr, /--> b\.flow:2:13/);
      assert.match(r.stderr, /missing-session-close|expected `>`/);
      assert.ok(!hasStackTrace(r.stderr));
    } finally {
      fx.cleanup();
    }
  });

  it("a missing file is a clear message and exit 2", async () => {
    const r = await termflow(["plan", "flows/nope.flow"]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "error: cannot read `flows/nope.flow`: no such file or directory\n");
  });
});
