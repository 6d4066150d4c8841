/**
 * The only place `playwright-core` is imported, and only with `import()` when a screenshot
 * is first asked for: it is an optional peer dependency, so the SDK installs and loads
 * without it, and a missing package is a typed error.
 *
 * @module
 */
import type { Browser, BrowserType } from "playwright-core";
import { ErrorCode } from "../errors.js";
import { browserNotFound, type BrowserChoice, chooseBrowser, processLookupEnv } from "./find-browser.js";
import { ScreenshotError } from "./screenshot-errors.js";

/** @internal Load playwright-core's Chromium driver. */
export async function loadChromium(): Promise<BrowserType> {
  try {
    const module = await import("playwright-core");
    return module.chromium;
  } catch (error) {
    // Only a missing package is "missing"; a broken install keeps its own error.
    if (!isMissing(error)) throw error;
    throw new ScreenshotError(
      ErrorCode.PlaywrightMissing,
      "Screenshots need the optional package playwright-core: `npm install playwright-core` beside marimo-pair " +
        "(it drives a local Chromium or Chrome; it downloads no browser).",
      { cause: error },
    );
  }
}

/** True for "playwright-core cannot be found", also when a loader wrapped that error (its `cause`). */
function isMissing(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 3) return false;
  const code = (error as { code?: unknown }).code;
  if ((code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && error.message.includes("playwright-core")) return true;
  return isMissing(error.cause, depth + 1);
}

/** Flags for a headless browser that stays quiet: no first-run UI, no background traffic. */
function launchArgs(): string[] {
  const args = ["--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-gpu"];
  // Chromium refuses to start as root with its sandbox on (containers, CI).
  if (globalThis.process?.getuid?.() === 0) args.push("--no-sandbox");
  return args;
}

/** A launched browser and how it was found. */
export interface LaunchedBrowser {
  browser: Browser;
  choice: BrowserChoice;
}

/**
 * @internal Find and launch a headless browser (never downloading one).
 *
 * @throws {ScreenshotError} `playwright_missing` or `browser_not_found`.
 */
export async function launchBrowser(executablePath: string | undefined, timeoutMs: number): Promise<LaunchedBrowser> {
  const chromium = await loadChromium();
  const lookup = processLookupEnv(() => chromium.executablePath());
  const choice = chooseBrowser(executablePath, lookup);
  try {
    const browser = await chromium.launch({
      headless: true,
      timeout: timeoutMs,
      args: launchArgs(),
      ...(choice.executablePath === undefined ? { channel: "chrome" } : { executablePath: choice.executablePath }),
    });
    return { browser, choice };
  } catch (error) {
    if (choice.source === "channel") throw browserNotFound(lookup.platform, error);
    throw new ScreenshotError(
      ErrorCode.ScreenshotFailed,
      `The browser at ${choice.executablePath ?? "(chrome channel)"} did not start: ${firstLine(error)}`,
      { cause: error },
    );
  }
}

/** The first line of an error's message (playwright appends long call logs). */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0] ?? message;
}
