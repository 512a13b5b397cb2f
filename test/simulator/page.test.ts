/**
 * The virtual-terminal page in headless Chromium: `termflow sim --ui --manual` runs, the pay-at-table
 * flow runs against it over HTTP, and every prompt is answered by clicking the page. Then one
 * screenshot per screen kind (written to docs/simulator-page/ with UPDATE_SCREENSHOTS=1).
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { launchChromium, type LaunchedChromium, skipWithoutChromium } from "../support/chromium.js";
import { fromRoot, repoRoot } from "../support/paths.js";
import { b64, confirmation, digits, display, menu, payment, request } from "./helpers.js";

const BUNDLE = fromRoot("dist", "termflow.mjs");
const POIID = "V400m-324688179";

/** `node dist/termflow.mjs <args>` as a child; resolves with it and the URL it prints. */
async function start(args: string[]): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [BUNDLE, ...args], { cwd: repoRoot, env: { PATH: process.env.PATH } });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  for (let i = 0; i < 1000 && !/listening on (http:\/\/\S+)/.test(output); i++)
    await new Promise((r) => setTimeout(r, 10));
  const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
  assert.ok(url, `termflow sim did not start: ${output}`);
  return { child, url, output: () => output };
}

function exited(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code ?? -1));
  });
}

/** Every screen the page drew on the terminal's card, in order (recorded in the page itself). */
const RECORDER = `
  window.__screens = [];
  new MutationObserver(() => {
    const el = document.querySelector('.terminal[data-poiid="${POIID}"] .screen');
    if (!el) return;
    const kind = [...el.classList].filter((c) => c !== "screen").join(" ");
    const text = el.querySelector(".title")?.textContent?.trim() ?? "";
    const last = window.__screens[window.__screens.length - 1];
    const entry = kind + (text ? " " + text : "");
    if (last !== entry) window.__screens.push(entry);
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
`;

const screenOf = (page: Page, poiid = POIID) => page.locator(`.terminal[data-poiid="${poiid}"] .screen`);

describe("simulator page in headless Chromium", function () {
  this.timeout(120_000);
  let chromium: LaunchedChromium | undefined;
  let sim: Awaited<ReturnType<typeof start>> | undefined;
  let page: Page;
  const requested: string[] = [];

  before(async function () {
    skipWithoutChromium(this);
    sim = await start(["sim", "--ui", "--manual", "--port", "0", "--payment-ms", "300"]);
    chromium = await launchChromium({ width: 1280, height: 900 });
    page = await chromium.context.newPage();
    page.on("request", (r) => requested.push(r.url()));
    await page.addInitScript(RECORDER);
    await page.goto(`${sim.url}/`);
    await page.locator("#status").filter({ hasText: /Live/ }).waitFor();
  });

  after(async () => {
    await chromium?.close();
    if (sim) {
      sim.child.kill("SIGINT");
      // Ctrl-C stops serving at once; a terminal timer still running (the 60 s waiting screen of the
      // screenshots) would keep the process alive until it fires, which this test need not wait for.
      const stopped = await Promise.race([exited(sim.child), new Promise((r) => setTimeout(r, 2000, "running"))]);
      if (stopped === "running") sim.child.kill("SIGKILL");
      assert.match(sim.output(), /termflow simulator stopped/);
    }
  });

  it("runs pay at table in manual mode, every prompt answered by a click; waiting screens as the seed says", async () => {
    const run = spawn(
      process.execPath,
      [
        BUNDLE,
        "run",
        "flows/pay-at-table.flow",
        "--target",
        "cloud",
        "--endpoint",
        sim!.url,
        "--poiid",
        POIID,
        "--json",
      ],
      { cwd: repoRoot, env: { PATH: process.env.PATH } },
    );
    let runOutput = "";
    run.stdout!.on("data", (d: Buffer) => (runOutput += d.toString()));
    const screen = screenOf(page);

    // The input waits for a person: the page shows the question; the shopper splits the bill.
    await screen.locator(".title", { hasText: "Split the bill?" }).waitFor();
    assert.match((await screen.getAttribute("aria-label")) ?? "", /Input screen: Split the bill\?/);
    await screen.getByRole("button", { name: "Yes" }).click();

    // Two payments, each waiting for a card: present one, of a brand picked on the page.
    for (const brand of ["visa", "amex"]) {
      await screen.getByRole("button", { name: "Present card" }).waitFor();
      await screen.getByLabel("Brand").selectOption(brand);
      await screen.getByRole("button", { name: "Present card" }).click();
    }
    const code = await exited(run);
    assert.equal(code, 0, runOutput);

    const screens: string[] = await page.evaluate(() => (globalThis as unknown as { __screens: string[] }).__screens);
    // Rule 1: after the shopper answered, the waiting screen; rule 2: the next request ends it.
    const afterInput = screens.indexOf("input input-confirmation Split the bill?");
    assert.ok(afterInput >= 0, screens.join("\n"));
    assert.equal(screens[afterInput + 1], "waiting Please wait");
    assert.equal(screens[afterInput + 2], "display Guest 1 of 2: 25.00 EUR");
    // After each payment's result, the waiting screen, ended by the next display.
    const results = screens.flatMap((s, i) => (s.startsWith("result approved") ? [i] : []));
    assert.equal(results.length, 2, screens.join("\n"));
    for (const i of results) assert.equal(screens[i + 1], "waiting Please wait", screens.join("\n"));
    // Rule 3: the End does not end the last waiting screen; `display idle` does, and none follows.
    assert.deepEqual(screens.slice(-3), ["display Thanks, enjoy your day!", "waiting Please wait", "idle Welcome"]);

    // The timeline under the terminal says the same, pushed from the simulator.
    const timeline = await page.locator(`.terminal[data-poiid="${POIID}"] .timeline li`).allTextContents();
    assert.ok(timeline.some((t) => /waiting 5000 ms after InputRequest/.test(t)));
    assert.ok(timeline.some((t) => /waiting 5000 ms after Payment/.test(t)));
    assert.ok(timeline.some((t) => /waiting 5000 ms after DisplayRequest/.test(t)));

    // The request log: each AdminRequest's ServiceIdentification decoded.
    const begin = page
      .locator(`.terminal[data-poiid="${POIID}"] .requests li`)
      .filter({ hasText: "AdminRequest Begin" });
    await begin.locator("summary").click();
    assert.match((await begin.locator("pre").nth(1).textContent()) ?? "", /"WaitingScreenTimeoutMs": 5000/);
    // The payments went through with the brands picked on the page.
    const requests = (await (await fetch(`${sim!.url}/__termflow/terminals/${POIID}/requests`)).json()) as Array<{
      body: string;
      response?: {
        SaleToPOIResponse: {
          PaymentResponse?: { PaymentResult?: { PaymentInstrumentData: { CardData: { PaymentBrand: string } } } };
        };
      };
    }>;
    assert.deepEqual(
      requests
        .filter((r) => r.body === "PaymentRequest")
        .map(
          (r) =>
            r.response?.SaleToPOIResponse.PaymentResponse?.PaymentResult?.PaymentInstrumentData.CardData.PaymentBrand,
        ),
      ["visa", "amex"],
    );
  });

  it("loads nothing from outside the simulator (works offline)", () => {
    assert.ok(requested.length > 0);
    for (const url of requested) assert.ok(url.startsWith(sim!.url), url);
  });

  it("is usable with the keyboard: a digits screen typed, a menu entry picked, a card declined", async () => {
    const poiid = "P400Plus-275008565";
    const post = (body: unknown) => fetch(`${sim!.url}/sync`, { method: "POST", body: JSON.stringify(body) });
    const screen = screenOf(page, poiid);
    const digitsAnswer = post(digits("Table number?", 60, { POIID: poiid }));
    const field = screen.getByRole("textbox", { name: "Table number?" });
    await field.waitFor();
    await field.focus();
    await page.keyboard.type("0042");
    await page.keyboard.press("Enter");
    const typed = (await (await digitsAnswer).json()) as any;
    assert.equal(typed.SaleToPOIResponse.InputResponse.InputResult.Input.DigitInput, "0042");

    const picked = post(menu("How was it?", ["Good", "Fine", "Bad"], { POIID: poiid }));
    await screen.getByRole("button", { name: "Fine" }).waitFor();
    await screen.getByRole("button", { name: "Fine" }).focus();
    await page.keyboard.press("Enter");
    const menuAnswer = (await (await picked).json()) as any;
    assert.deepEqual(menuAnswer.SaleToPOIResponse.InputResponse.InputResult.Input.MenuEntryNumber, [0, 1, 0]);

    const paying = post(payment(9.99, "EUR", { POIID: poiid }));
    await screen.getByLabel("Decline reason").waitFor();
    await screen.getByLabel("Decline reason").selectOption({ label: "Refusal: 199 Card blocked" });
    await screen.getByRole("button", { name: "Decline card" }).focus();
    await page.keyboard.press("Enter");
    const declined = (await (await paying).json()) as any;
    assert.equal(
      declined.SaleToPOIResponse.PaymentResponse.Response.AdditionalResponse,
      "message=BLOCK_CARD&refusalReason=199%20Card%20blocked",
    );
  });

  it("shows a partial approval as approved with what was paid of the amount, never as declined", async () => {
    const poiid = "V400m-100000002";
    const control = (path: string, body: unknown) =>
      fetch(`${sim!.url}/__termflow/terminals/${poiid}/${path}`, { method: "POST", body: JSON.stringify(body) });
    await control("shopper/manual", { on: false });
    await control("payments/next", { outcomes: [{ outcome: "partial", authorised: "30.00", durationMs: 10 }] });
    const paid = await fetch(`${sim!.url}/sync`, {
      method: "POST",
      body: JSON.stringify(payment(50, "EUR", { POIID: poiid })),
    });
    assert.equal(((await paid.json()) as any).SaleToPOIResponse.PaymentResponse.Response.Result, "Partial");
    const screen = screenOf(page, poiid);
    await screen.locator(".title", { hasText: "Approved 30.00 EUR" }).waitFor();
    assert.equal(
      await screen.getAttribute("aria-label"),
      `Screen of ${poiid}: Payment partly approved: 30.00 EUR of 50.00 EUR`,
    );
    assert.match((await screen.textContent()) ?? "", /of 50\.00 EUR: the rest is not paid/);
    assert.match((await screen.getAttribute("class")) ?? "", /\bpartial\b/);
    // In the request log a partial approval is money taken: not coloured as a failure.
    const outcome = page
      .locator(`.terminal[data-poiid="${poiid}"] .requests li`, { hasText: "PaymentRequest" })
      .locator(".outcome");
    await outcome.filter({ hasText: /^Partial/ }).waitFor();
    const color = await outcome.evaluate(
      (el) => (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(el).color,
    );
    assert.notEqual(color, "rgb(217, 45, 32)", "coloured like a failure");
    assert.notEqual(color, "rgb(8, 119, 58)", "coloured like a success");
  });

  it("asks for the amount with the tip on the payment screen, and names the tip", async () => {
    const poiid = "V400m-100000003";
    const paying = fetch(`${sim!.url}/sync`, {
      method: "POST",
      body: JSON.stringify(payment(25, "EUR", { POIID: poiid }, { TipAmount: 2.5 })),
    });
    const screen = screenOf(page, poiid);
    await screen.locator(".amount", { hasText: "EUR 27.50" }).waitFor();
    assert.equal(
      await screen.getAttribute("aria-label"),
      `Screen of ${poiid}: Payment of EUR 27.50 (incl. tip EUR 2.50): present card`,
    );
    assert.match((await screen.textContent()) ?? "", /incl\. tip EUR 2\.50/);
    await fetch(`${sim!.url}/__termflow/terminals/${poiid}/payments/respond`, {
      method: "POST",
      body: JSON.stringify({ outcome: "cancel" }),
    });
    await paying;
    const terminal = page.locator(`.terminal[data-poiid="${poiid}"]`);
    assert.match((await terminal.textContent()) ?? "", /payment EUR 27\.50 \(incl\. tip EUR 2\.50\)/);
  });

  it("draws every screen kind like a terminal (screenshots)", async () => {
    const poiid = "V400m-100000001";
    const out = process.env.UPDATE_SCREENSHOTS
      ? fromRoot("docs", "simulator-page")
      : mkdtempSync(join(tmpdir(), "termflow-page-"));
    mkdirSync(out, { recursive: true });
    const control = (path: string, body: unknown) =>
      fetch(`${sim!.url}/__termflow/terminals/${poiid}/${path}`, { method: "POST", body: JSON.stringify(body) });
    const post = (body: unknown) => fetch(`${sim!.url}/sync`, { method: "POST", body: JSON.stringify(body) });
    const card = page.locator(`.terminal[data-poiid="${poiid}"]`);
    const screen = screenOf(page, poiid);
    const shot = async (name: string) => {
      await card.scrollIntoViewIfNeeded();
      const file = join(out, `${name}.png`);
      const png = await card.locator(".device").screenshot({ path: file, animations: "disabled" });
      assert.ok(png.length > 5000, `${name}.png has content`);
    };
    await control("shopper/manual", { on: true });
    await screen.locator(".title", { hasText: "Welcome" }).waitFor();
    await shot("idle");

    const confirm = post(confirmation("Split the bill?", 30, { POIID: poiid }, "Table 12: 50.00 EUR"));
    await screen.getByRole("button", { name: "Yes" }).waitFor();
    await shot("input-confirmation");
    await screen.getByRole("button", { name: "No" }).click();
    await confirm;

    const picked = post(menu("How was your meal?", ["Excellent", "Good", "Could be better"], { POIID: poiid }));
    await screen.getByRole("button", { name: "Good" }).waitFor();
    await shot("input-menu");
    await screen.getByRole("button", { name: "Excellent" }).click();
    await picked;

    const typed = post(digits("Enter your table number", 45, { POIID: poiid }));
    for (const key of ["1", "2"]) await card.getByRole("button", { name: key, exact: true }).click();
    await shot("input-digits");
    await card.getByRole("button", { name: "OK" }).click();
    await typed;

    await post(display("Table 12: your bill is 50.00 EUR", undefined, { POIID: poiid }));
    await screen.locator(".title", { hasText: "Table 12" }).waitFor();
    await shot("display");

    await control("payments/duration", { ms: 1500 });
    const paid = post(payment(50, "EUR", { POIID: poiid }));
    await screen.getByRole("button", { name: "Present card" }).waitFor();
    await shot("card");
    await screen.getByRole("button", { name: "Present card" }).click();
    await screen.locator(".title", { hasText: "Authorising" }).waitFor();
    await shot("authorising");
    await paid;
    await screen.locator(".title", { hasText: "Approved" }).waitFor();
    await shot("result");

    await post(
      request(
        "AdminRequest",
        {
          ServiceIdentification: b64({
            Session: { Id: "shots", Type: "Begin" },
            Operation: [
              {
                Type: "DisplayRequest",
                Variant: "WaitingScreen",
                UserInterfaceData: { WaitingScreenTimeoutMs: 60000 },
              },
            ],
          }),
        },
        { POIID: poiid },
      ),
    );
    await post(display("Thanks!", undefined, { POIID: poiid }));
    await screen.locator(".title", { hasText: "Please wait" }).waitFor();
    await shot("waiting");
    // The pay-at-table terminal of the first test, with its timeline and an expanded request.
    const whole = page.locator(`.terminal[data-poiid="${POIID}"]`);
    await whole.scrollIntoViewIfNeeded();
    assert.ok((await whole.screenshot({ path: join(out, "terminal.png"), animations: "disabled" })).length > 5000);
    if (!process.env.UPDATE_SCREENSHOTS) rmSync(out, { recursive: true, force: true });
  });
});
