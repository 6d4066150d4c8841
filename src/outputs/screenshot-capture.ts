/**
 * Capturing one cell's output on an open kiosk page: wait until it has rendered, then take
 * a PNG of its output element, as a person sees it.
 *
 * @module
 */
import { ErrorCode } from "../errors.js";
import { ScreenshotError } from "./screenshot-errors.js";
import { abortable, type Deadline, remaining } from "./screenshot-deadline.js";
import { expandFullOutput, hasOutput, nextPaint, outputSettled, type PageCell, restoreFullOutput } from "./screenshot-page.js";
import type { Screenshot, ScreenshotOptions } from "./screenshot-types.js";
import type { BrowserContext, Page, Request } from "playwright-core";

/** One kiosk page at one device scale. */
export interface Viewer {
  context: BrowserContext;
  page: Page;
  /** Requests of the page still in flight (the live connection excluded). */
  pending: Set<Request>;
  /** When a request last started or ended (epoch ms). */
  lastActivity: number;
}

/** How long the page's requests must have been quiet before a capture, in ms. */
const QUIET_MS = 150;
/** The longest wait for quiet: a page that keeps polling is captured anyway. */
const QUIET_LIMIT_MS = 5000;

/** How many times an output whose size changed during the capture is captured. */
const RECAPTURES = 3;
/**
 * How long a loading placeholder in an output is taken for a chart still loading its code.
 * After that the output is captured as it is (it may show a spinner on purpose, or a chart
 * may have failed to draw).
 */
const PLACEHOLDER_MS = 15_000;

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 24 || view.getUint32(12) !== 0x49484452) throw new ScreenshotError(ErrorCode.ScreenshotFailed, "The browser returned no PNG.");
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/**
 * Wait until the cell's output has rendered ({@link outputSettled}): without a loading
 * placeholder for up to {@link PLACEHOLDER_MS}, then with whatever placeholder it shows.
 */
async function settled(page: Page, cell: PageCell, deadline: Deadline): Promise<void> {
  const wait = (placeholders: boolean, timeout: number) =>
    abortable(page.waitForFunction(outputSettled, { id: cell.id, placeholders }, { timeout, polling: "raf" }), deadline);
  const limit = Math.min(PLACEHOLDER_MS, remaining(deadline));
  try {
    await wait(false, limit).catch((error: unknown) => {
      if (error instanceof ScreenshotError || deadline.signal?.aborted === true || limit >= remaining(deadline)) throw error;
      return wait(true, remaining(deadline));
    });
  } catch (error) {
    if (error instanceof ScreenshotError || deadline.signal?.aborted === true) throw error;
    throw new ScreenshotError(ErrorCode.ScreenshotFailed, `The output of cell ${cell.id} did not finish rendering within ${deadline.timeoutMs} ms.`, { cause: error, cell: cell.id });
  }
}

/** Whether a PNG of `size` device pixels shows all of an element of `box` CSS pixels at `scale`. */
export function fits(size: { width: number; height: number }, box: { width: number; height: number }, scale: number): boolean {
  return Math.abs(size.width - box.width * scale) <= 2 && Math.abs(size.height - box.height * scale) <= 2;
}

/** Wait until the page has had no request in flight for {@link QUIET_MS} (at once when it has been quiet that long already). */
async function networkQuiet(viewer: Viewer, deadline: Deadline): Promise<void> {
  const until = Math.min(deadline.at, Date.now() + QUIET_LIMIT_MS);
  while (Date.now() < until) {
    if (viewer.pending.size === 0 && Date.now() - viewer.lastActivity >= QUIET_MS) return;
    deadline.signal?.throwIfAborted();
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * The scale that keeps the image within `maxPixels` for an element of `box` CSS pixels,
 * rounded down to 1/16 steps (so that a few page scales serve every size).
 */
export function fittingScale(box: { width: number; height: number }, scale: number, maxPixels: number | undefined): number {
  if (maxPixels === undefined) return scale;
  const pixels = box.width * box.height * scale * scale;
  if (pixels <= maxPixels || pixels === 0) return scale;
  const fit = scale * Math.sqrt(maxPixels / pixels);
  return Math.max(1 / 16, Math.floor(fit * 16) / 16);
}

/** @internal Capture one cell on `viewer` (or on a smaller-scale page when `maxPixels` asks for it). */
export async function capturePng(
  viewer: Viewer,
  cell: PageCell,
  options: ScreenshotOptions,
  deadline: Deadline,
  viewerAt: (scale: number) => Promise<Viewer>,
): Promise<Screenshot> {
  const { page } = viewer;
  await settled(page, cell, deadline);
  const output = page.locator(`[id="output-${cell.id}"]`);
  if (!(await page.evaluate(hasOutput, cell.id))) {
    throw new ScreenshotError(
      ErrorCode.NoOutput,
      `Cell ${cell.name ?? cell.id} has no output to capture: run it first, and make its last expression the value to show (not None).`,
      { cell: cell.id },
    );
  }
  await networkQuiet(viewer, deadline);
  const scale = options.scale ?? 1;
  if (options.maxPixels !== undefined) {
    const box = await output.boundingBox();
    const full = options.fullOutput === true ? await output.evaluate((e) => ({ width: e.scrollWidth, height: e.scrollHeight })) : box;
    const fit = full === null ? scale : fittingScale(full, scale, options.maxPixels);
    if (fit < scale) return capturePng(await viewerAt(fit), cell, { ...options, scale: fit, maxPixels: undefined }, deadline, viewerAt);
  }
  const expanded = options.fullOutput === true ? await page.evaluate(expandFullOutput, cell.id) : 0;
  try {
    for (let attempt = 1; ; attempt++) {
      await abortable(page.evaluate(nextPaint), deadline);
      const buffer = await abortable(
        output.screenshot({ type: "png", animations: "disabled", caret: "hide", scale: "device", timeout: remaining(deadline) }),
        deadline,
      );
      const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
      const size = pngSize(bytes);
      // The output changed its size while it was captured (a late render): the image shows
      // a part of what was there before. Wait for it to settle again and take it anew.
      const box = attempt < RECAPTURES ? await output.boundingBox() : null;
      if (box === null || fits(size, box, scale)) return { mimeType: "image/png", bytes, ...size, cellId: cell.id, name: cell.name };
      await settled(page, cell, deadline);
      await networkQuiet(viewer, deadline);
    }
  } catch (error) {
    if (error instanceof ScreenshotError || deadline.signal?.aborted === true) throw error;
    throw new ScreenshotError(ErrorCode.ScreenshotFailed, `Could not capture the output of cell ${cell.id}: ${String(error).split("\n")[0]}`, { cause: error, cell: cell.id });
  } finally {
    if (expanded > 0) await page.evaluate(restoreFullOutput, cell.id).catch(() => undefined);
  }
}
