/**
 * Finding a local Chromium or Chrome for screenshots. Nothing is ever downloaded: the
 * order is the caller's `executablePath`, `MARIMO_PAIR_CHROMIUM`, the usual install paths
 * of this OS, playwright's own installed browsers, then playwright's `chrome` channel.
 *
 * No `node:` import: the file system is reached through `process.getBuiltinModule`, so the
 * `marimo-pair/client` entry still loads where there is no Node.
 *
 * @module
 */
import { ErrorCode } from "../errors.js";
import { ScreenshotError } from "./screenshot-errors.js";

/** Where a browser was found. */
export type BrowserSource = "option" | "env" | "system" | "playwright" | "channel";

/** How to launch the browser that was found. */
export interface BrowserChoice {
  /** The executable; absent when only playwright's `chrome` channel remains to try. */
  executablePath?: string;
  /** Set when launching through playwright's channel lookup. */
  channel?: "chrome";
  /** Which step of the lookup found it. */
  source: BrowserSource;
}

/** What the lookup reads from its surroundings (injectable for tests). */
export interface BrowserLookupEnv {
  platform: string;
  env: Readonly<Record<string, string | undefined>>;
  exists(path: string): boolean;
  /** playwright's expected path of its own Chromium, when it has one. */
  playwrightPath?: (() => string | undefined) | undefined;
}

/** The environment variable naming a browser executable. */
export const BROWSER_ENV = "MARIMO_PAIR_CHROMIUM";

/** The usual install paths of Chromium and Chrome on one OS, most specific first. */
export function knownBrowserPaths(platform: string, env: Readonly<Record<string, string | undefined>>): string[] {
  if (platform === "darwin") {
    const home = env["HOME"];
    const apps = ["Google Chrome.app/Contents/MacOS/Google Chrome", "Chromium.app/Contents/MacOS/Chromium"];
    return [...apps.map((a) => `/Applications/${a}`), ...(home === undefined ? [] : apps.map((a) => `${home}/Applications/${a}`))];
  }
  if (platform === "win32") {
    const roots = [env["PROGRAMFILES"], env["PROGRAMFILES(X86)"], env["LOCALAPPDATA"]].filter((r): r is string => r !== undefined && r !== "");
    return roots.flatMap((root) => [`${root}\\Google\\Chrome\\Application\\chrome.exe`, `${root}\\Chromium\\Application\\chrome.exe`]);
  }
  return [
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
    "/snap/bin/chromium",
    "/opt/google/chrome/chrome",
  ];
}

/** How to install a browser on `platform`, in a sentence. */
export function installHint(platform: string): string {
  if (platform === "darwin") return "Install Google Chrome (https://www.google.com/chrome/) or Chromium (`brew install --cask chromium`)";
  if (platform === "win32") return "Install Google Chrome (`winget install Google.Chrome`)";
  return "Install Chromium with the system's package manager (Debian/Ubuntu: `sudo apt-get install chromium`; Fedora: `sudo dnf install chromium`)";
}

/**
 * Pick a browser without launching anything.
 *
 * @returns the choice; `{ channel: "chrome", source: "channel" }` when nothing was found on disk.
 * @throws {ScreenshotError} `browser_not_found` when `executablePath` or the environment
 *   variable names a file that does not exist (a wrong explicit choice is not skipped).
 */
export function chooseBrowser(executablePath: string | undefined, lookup: BrowserLookupEnv): BrowserChoice {
  if (executablePath !== undefined) {
    if (!lookup.exists(executablePath)) {
      throw new ScreenshotError(ErrorCode.BrowserNotFound, `No browser at ${executablePath} (the executablePath option).`);
    }
    return { executablePath, source: "option" };
  }
  const fromEnv = lookup.env[BROWSER_ENV];
  if (fromEnv !== undefined && fromEnv !== "") {
    if (!lookup.exists(fromEnv)) throw new ScreenshotError(ErrorCode.BrowserNotFound, `No browser at ${fromEnv} (${BROWSER_ENV}).`);
    return { executablePath: fromEnv, source: "env" };
  }
  for (const path of knownBrowserPaths(lookup.platform, lookup.env)) {
    if (lookup.exists(path)) return { executablePath: path, source: "system" };
  }
  let own: string | undefined;
  try {
    own = lookup.playwrightPath?.();
  } catch {
    own = undefined;
  }
  if (own !== undefined && own !== "" && lookup.exists(own)) return { executablePath: own, source: "playwright" };
  return { channel: "chrome", source: "channel" };
}

/** The error for "no browser anywhere", with the install advice for `platform`. */
export function browserNotFound(platform: string, cause?: unknown): ScreenshotError {
  return new ScreenshotError(
    ErrorCode.BrowserNotFound,
    `Screenshots need a local Chromium or Chrome, and none was found (nothing is downloaded). ${installHint(platform)}, ` +
      `or point ${BROWSER_ENV} (or the executablePath option) at a Chromium or Chrome executable.`,
    { cause },
  );
}

/** The real surroundings: this process's platform and environment, and its file system. */
export function processLookupEnv(playwrightPath?: () => string | undefined): BrowserLookupEnv {
  const fs = globalThis.process?.getBuiltinModule?.("node:fs");
  return {
    platform: globalThis.process?.platform ?? "unknown",
    env: globalThis.process?.env ?? {},
    exists: (path) => fs?.existsSync(path) === true,
    playwrightPath,
  };
}
