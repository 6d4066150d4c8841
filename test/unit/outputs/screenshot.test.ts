/**
 * The pure parts of screenshots: choosing a browser (never downloading one), marimo's
 * session cookie, the scale for a pixel budget, whether an image shows a whole element,
 * the PNG header.
 */
import { describe, expect, it } from "vitest";
import { browserNotFound, chooseBrowser, installHint, knownBrowserPaths } from "../../../src/outputs/find-browser.js";
import { fits, fittingScale, pngSize } from "../../../src/outputs/screenshot-capture.js";
import { ScreenshotError } from "../../../src/outputs/screenshot-errors.js";
import { parseSetCookies } from "../../../src/outputs/screenshot-page.js";
import { isMarimoPairError } from "../../../src/errors.js";

const lookup = (platform: string, present: string[], env: Record<string, string> = {}, own?: string) => ({
  platform,
  env,
  exists: (p: string) => present.includes(p),
  playwrightPath: own === undefined ? undefined : () => own,
});

describe("chooseBrowser", () => {
  it("takes the option first, then MARIMO_PAIR_CHROMIUM, then the usual paths, then playwright's, then the chrome channel", () => {
    const all = ["/opt/mine", "/env/chrome", "/usr/bin/chromium", "/pw/chrome"];
    expect(chooseBrowser("/opt/mine", lookup("linux", all, { MARIMO_PAIR_CHROMIUM: "/env/chrome" }, "/pw/chrome"))).toEqual({ executablePath: "/opt/mine", source: "option" });
    expect(chooseBrowser(undefined, lookup("linux", all, { MARIMO_PAIR_CHROMIUM: "/env/chrome" }, "/pw/chrome"))).toEqual({ executablePath: "/env/chrome", source: "env" });
    expect(chooseBrowser(undefined, lookup("linux", all, {}, "/pw/chrome"))).toEqual({ executablePath: "/usr/bin/chromium", source: "system" });
    expect(chooseBrowser(undefined, lookup("linux", ["/pw/chrome"], {}, "/pw/chrome"))).toEqual({ executablePath: "/pw/chrome", source: "playwright" });
    expect(chooseBrowser(undefined, lookup("linux", [], {}, "/pw/chrome"))).toEqual({ channel: "chrome", source: "channel" });
  });

  it("refuses an explicit path that does not exist instead of silently using another browser", () => {
    const error = (() => {
      try {
        chooseBrowser("/nope", lookup("linux", ["/usr/bin/chromium"]));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ScreenshotError);
    expect(isMarimoPairError(error, "browser_not_found")).toBe(true);
    expect(() => chooseBrowser(undefined, lookup("linux", ["/usr/bin/chromium"], { MARIMO_PAIR_CHROMIUM: "/nope" }))).toThrow(/MARIMO_PAIR_CHROMIUM/);
  });

  it("knows where Chrome lives on macOS and Windows", () => {
    expect(knownBrowserPaths("darwin", { HOME: "/Users/a" })).toContain("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome");
    expect(knownBrowserPaths("win32", { LOCALAPPDATA: "C:\\Users\\a\\AppData\\Local" })).toContain("C:\\Users\\a\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe");
    const mac = chooseBrowser(undefined, lookup("darwin", ["/Applications/Chromium.app/Contents/MacOS/Chromium"]));
    expect(mac.source).toBe("system");
  });

  it("says how to install a browser on each OS", () => {
    expect(installHint("linux")).toContain("apt-get install chromium");
    expect(installHint("darwin")).toContain("brew install --cask chromium");
    expect(installHint("win32")).toContain("winget install Google.Chrome");
    const error = browserNotFound("linux");
    expect(error.code).toBe("browser_not_found");
    expect(error.message).toContain("MARIMO_PAIR_CHROMIUM");
  });
});

describe("parseSetCookies", () => {
  it("keeps name, value, path and HttpOnly, scoped to the server's host", () => {
    const base = new URL("http://127.0.0.1:2718/");
    expect(parseSetCookies(["session_2718=abc.def; path=/; Max-Age=1209600; httponly; samesite=lax"], base)).toEqual([
      { name: "session_2718", value: "abc.def", domain: "127.0.0.1", path: "/", httpOnly: true, secure: false },
    ]);
    expect(parseSetCookies(["garbage", "=x"], base)).toEqual([]);
  });
});

describe("fittingScale, fits and pngSize", () => {
  it("scales down only above the budget, in 1/16 steps", () => {
    expect(fittingScale({ width: 700, height: 400 }, 1, undefined)).toBe(1);
    expect(fittingScale({ width: 700, height: 400 }, 1, 1_000_000)).toBe(1);
    const s = fittingScale({ width: 1000, height: 1000 }, 1, 250_000);
    expect(s).toBe(0.5);
    const t = fittingScale({ width: 739, height: 381 }, 2, 40_000);
    expect(739 * 381 * t * t).toBeLessThanOrEqual(40_000);
    expect((t * 16) % 1).toBe(0);
  });

  it("fits: an image shows the whole element when its size is the element's at the page's scale, give or take 2 px of rounding", () => {
    expect(fits({ width: 739, height: 300 }, { width: 739.4, height: 299.6 }, 1)).toBe(true);
    expect(fits({ width: 1478, height: 600 }, { width: 739, height: 300 }, 2)).toBe(true);
    // "Loading chart..." was captured, then the chart took its place: a strip of the chart.
    expect(fits({ width: 739, height: 66 }, { width: 739, height: 300 }, 1)).toBe(false);
    expect(fits({ width: 739, height: 300 }, { width: 739, height: 300 }, 2)).toBe(false);
  });

  it("reads width and height from the IHDR chunk", () => {
    const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==", "base64");
    expect(pngSize(png)).toEqual({ width: 1, height: 1 });
    expect(() => pngSize(new Uint8Array(10))).toThrow(ScreenshotError);
  });
});
