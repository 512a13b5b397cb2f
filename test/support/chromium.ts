/**
 * Headless Debian Chromium for the browser tests (the HTML report, the simulator's page): one way to
 * launch it, with a fresh profile each time. Locally the tests skip when Chromium is not installed;
 * in CI (.ci/run installs it) they always run.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

const LAUNCH_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Skips the calling suite (mocha `this`) when Chromium is missing outside CI. */
export function skipWithoutChromium(suite: Mocha.Context): void {
  if (!existsSync(CHROMIUM) && !process.env.CI) {
    console.log(
      `      (skipped: ${CHROMIUM} is not installed; \`apt-get install -y chromium\` to run this test; in CI it always runs)`,
    );
    suite.skip();
  }
}

export interface LaunchedChromium {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A headless Chromium browser, for pages opened in their own viewports. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
}

/** A headless Chromium with a fresh user-data-dir, removed on close. */
export async function launchChromium(viewport = { width: 1280, height: 1000 }): Promise<LaunchedChromium> {
  const profile = mkdtempSync(join(tmpdir(), "termflow-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: LAUNCH_ARGS,
    viewport,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
