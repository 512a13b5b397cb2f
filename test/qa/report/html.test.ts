import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, skipWithoutChromium } from "../../support/chromium.js";
import { fromRoot, repoRoot } from "../../support/paths.js";
import { runSuite } from "../../../qa/run/suite.js";
import { htmlReport } from "../../../qa/report/html.js";

describe("qa/report/html in headless Chromium", function () {
  this.timeout(120_000);
  let browser: Browser | undefined;
  let page: Page;
  let html: string;
  let suite: Awaited<ReturnType<typeof runSuite>>["suite"];
  let dir: string;
  const requested: string[] = [];

  before(async function () {
    skipWithoutChromium(this);
    const run = await runSuite({ paths: ["test/qa/fixtures/report"], cwd: repoRoot });
    suite = run.suite;
    html = htmlReport(run.suite, ["AQE-report-secret-123"]);
    dir = mkdtempSync(join(tmpdir(), "termflow-report-"));
    writeFileSync(join(dir, "report.html"), html);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.on("request", (request) => requested.push(request.url()));
    await page.goto(pathToFileURL(join(dir, "report.html")).href);
  });

  after(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("shows each scenario's name with a pass or fail mark, and the totals", async () => {
    const rows = await page
      .locator(".scenario > details > summary")
      .evaluateAll((els) =>
        els.map((el) => `${el.querySelector(".mark")?.textContent} ${el.querySelector(".name")?.textContent}`),
      );
    assert.deepEqual(rows, [
      "✓ Pay at table with a waiting screen after the payment",
      "✓ A declined card is retried",
      "✗ Expects a waiting screen the session does not give",
      "✗ Expects one payment where the flow makes none",
    ]);
    assert.equal(await page.locator(".pill.pass").textContent(), "2 passed");
    assert.equal(await page.locator(".pill.fail").textContent(), "2 failed");
    const failColor = await page
      .locator(".scenario.failed .mark")
      .first()
      .evaluate(
        (el) =>
          (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(el).color,
      );
    assert.equal(failColor, "rgb(207, 34, 46)", "failure marks are red");
  });

  it("opens failed scenarios with the failure pointing at the scenario line", async () => {
    const failure = page.locator(".scenario.failed").first().locator("pre.failure");
    assert.ok(await failure.isVisible());
    const text = (await failure.textContent()) ?? "";
    assert.match(text, /error\[no-waiting-screen\]/);
    assert.match(text, /--> test\/qa\/fixtures\/report\/report\.scenario:34:1/);
    assert.match(text, /expected: a waiting screen of 5000 ms after display "Thanks"/);
    assert.equal(await page.locator(".scenario.passed pre.failure").count(), 0);
  });

  it("draws the screen timeline with a 5000 ms waiting screen as a bar", async () => {
    const first = page.locator(".scenario").first();
    await first.locator("summary").first().click();
    const bar = first.locator('.bar[data-screen="waiting"][data-timeout="5000"][data-ms="5000"]');
    assert.ok(await bar.isVisible(), "the bar is visible");
    assert.equal(await bar.textContent(), "5000 ms");
    const box = await bar.boundingBox();
    assert.ok(box && box.width > 100, `the 5 s bar is drawn wide: ${box?.width}px`);
    const input = await first.locator('.bar[data-screen="input"]').boundingBox();
    assert.ok(input && box && box.x > input.x, "the waiting screen comes after the input on the time axis");
    const lanes = await first.locator(".lane-name").allTextContents();
    assert.deepEqual(
      lanes.filter((l) => l !== ""),
      ["input", "display", "payment", "result", "waiting screen", "idle"],
    );
  });

  it("expands a request to show what was sent and what came back", async () => {
    const first = page.locator(".scenario").first();
    const payment = first.locator(".exchange", { hasText: "PaymentRequest" });
    const sent = payment.locator("pre").first();
    assert.equal(await sent.isVisible(), false, "collapsed at first");
    await payment.locator("summary").click();
    assert.ok(await sent.isVisible());
    assert.match((await sent.textContent()) ?? "", /"RequestedAmount": 50/);
    assert.match((await payment.locator("pre").nth(1).textContent()) ?? "", /"PaymentResponse"/);
    const width = await page.evaluate<number>("document.documentElement.scrollWidth");
    assert.ok(width <= 1280, `a long answer scrolls inside its box instead of widening the page (${width}px)`);
    await payment.locator("summary").click();
  });

  it("decodes the session's ServiceIdentification next to the request", async () => {
    const begin = page.locator(".scenario").first().locator(".exchange", { hasText: "AdminRequest Begin" });
    await begin.locator("summary").click();
    const decoded = (await begin.locator("pre.decoded").textContent()) ?? "";
    assert.match(decoded, /"Type": "Begin"/);
    assert.match(decoded, /"WaitingScreenTimeoutMs": 5000/);
    await begin.locator("summary").click();
  });

  it("never shows a secret, and loads nothing from anywhere", async () => {
    assert.ok(!html.includes("AQE-report-secret-123"), "the secret value is not in the file");
    const captures = await page.locator(".scenario").first().locator("table").last().textContent();
    assert.match(captures ?? "", /apiKey"\[redacted\]"/);
    assert.deepEqual(
      requested.filter((url) => !url.startsWith("file:")),
      [],
    );
    assert.doesNotMatch(html, /(src|href)="https?:/);
  });

  it("wraps a long failure text inside its box instead of running off the right edge", async () => {
    const long = structuredClone(suite);
    const failed = long.scenarios.find((sc) => sc.status === "failed")!;
    const screens = Array.from({ length: 60 }, (_, i) => `display "screen-${i}" at ${i * 1000} ms`);
    failed.failures[0].rendered += `\n   |   actual:   screens were: ${screens.join(", ")}${"x".repeat(400)}`;
    const other = await browser!.newPage({ viewport: { width: 1280, height: 1000 } });
    try {
      await other.setContent(htmlReport(long));
      const box = other.locator(".scenario.failed pre.failure").first();
      assert.match((await box.textContent()) ?? "", /screen-59/);
      const { scroll, client } = await box.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
      assert.ok(scroll <= client, `the failure text wraps (${scroll}px of text in a ${client}px box)`);
      const width = await other.evaluate<number>("document.documentElement.scrollWidth");
      assert.ok(width <= 1280, `the page does not widen (${width}px)`);
    } finally {
      await other.close();
    }
  });

  it("filters to failures only", async () => {
    await page.locator("#only-failed").check();
    assert.equal(await page.locator(".scenario.passed").first().isVisible(), false);
    assert.ok(await page.locator(".scenario.failed").first().isVisible());
    await page.locator("#only-failed").uncheck();
  });

  it("makes the screenshot in docs/", async () => {
    // docs/report-screenshot.png is what a reader of docs/scenarios.md sees; refresh it on request.
    await page
      .locator(".scenario")
      .first()
      .locator(".exchange", { hasText: "AdminRequest Begin" })
      .locator("summary")
      .click();
    const target =
      process.env.UPDATE_SCREENSHOT || !existsSync(fromRoot("docs/report-screenshot.png"))
        ? fromRoot("docs/report-screenshot.png")
        : join(dir, "shot.png");
    await page.screenshot({ path: target, fullPage: true });
    assert.ok(existsSync(target));
  });
});
