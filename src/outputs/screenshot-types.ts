/**
 * The options and result of `nb.screenshot()` and `nb.screenshots()`.
 *
 * @module
 */

/** A cell to capture: its id or name, or `{ id }` / `{ name }` to say which. @inline */
export type ScreenshotTarget = string | { id: string } | { name: string };

/** Options of `nb.screenshot()` and `nb.screenshots()`. */
export interface ScreenshotOptions {
  /** Cancels the capture: the call rejects with `signal.reason` (the browser stays open for the next call). */
  signal?: AbortSignal | undefined;
  /**
   * Limit for the whole call, in ms: launching the browser and loading the notebook page the
   * first time, waiting for the output to render, capturing.
   * @default 60000
   */
  timeoutMs?: number | undefined;
  /** Device pixels per CSS pixel: 2 gives a sharper image of twice the width and height. @default 1 */
  scale?: number | undefined;
  /** Width of the page's viewport, in CSS pixels (the notebook's layout follows it). @default 1280 */
  width?: number | undefined;
  /**
   * Capture the whole output, also the part a person would have to scroll to inside the
   * output's own scroll area. By default the output is captured as the page shows it.
   * @default false
   */
  fullOutput?: boolean | undefined;
  /**
   * Scale the image down (below `scale`) so that it has at most this many pixels, e.g. for
   * a model's image budget. Unlimited by default.
   */
  maxPixels?: number | undefined;
  /**
   * The Chromium or Chrome executable. Without it: `MARIMO_PAIR_CHROMIUM`, the usual install
   * paths, playwright's installed browsers, then playwright's `chrome` channel. Only the
   * first call of a session launches a browser; later values are ignored.
   */
  executablePath?: string | undefined;
}

/** The default {@link ScreenshotOptions.timeoutMs}. */
export const DEFAULT_SCREENSHOT_TIMEOUT_MS = 60_000;
/** The default {@link ScreenshotOptions.width}. */
export const DEFAULT_SCREENSHOT_WIDTH = 1280;

/** One cell's rendered output as a PNG image. */
export interface Screenshot {
  /** Always `image/png`. */
  mimeType: "image/png";
  /** The PNG file's bytes. */
  bytes: Uint8Array;
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** The id of the cell captured. */
  cellId: string;
  /** The cell's name, or null when it has none. */
  name: string | null;
}
