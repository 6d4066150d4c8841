/**
 * {@link ScreenshotError}: why a screenshot of a cell's output could not be taken.
 *
 * @module
 */
import { ErrorCode, MarimoPairError, type MarimoPairErrorOptions } from "../errors.js";

/** The codes a {@link ScreenshotError} carries. @inline */
export type ScreenshotErrorCode =
  | typeof ErrorCode.BrowserNotFound
  | typeof ErrorCode.PlaywrightMissing
  | typeof ErrorCode.NoOutput
  | typeof ErrorCode.CellNotFound
  | typeof ErrorCode.ScreenshotFailed;

/**
 * A screenshot could not be taken. `code` says why:
 * - `browser_not_found`: no local Chromium or Chrome (the message says how to install one);
 * - `playwright_missing`: the optional package `playwright-core` is not installed;
 * - `no_output`: the cell has no rendered output (it has not run, or its last expression is `None`);
 * - `cell_not_found`: the notebook has no such cell (`cellIds` lists those it has);
 * - `screenshot_failed`: the page did not load or the output could not be captured.
 *
 * @example
 * ```ts
 * try { await nb.screenshot("chart") } catch (e) {
 *   if (e instanceof ScreenshotError && e.code === "no_output") console.error("run the cell first");
 * }
 * ```
 */
export class ScreenshotError extends MarimoPairError {
  declare readonly code: ScreenshotErrorCode;
  /** The cell asked for, when the failure concerns one. */
  readonly cell: string | undefined;
  /** For `cell_not_found`: the ids of the cells the page shows. */
  readonly cellIds: readonly string[];

  constructor(
    code: ScreenshotErrorCode,
    message: string,
    details: { cell?: string | undefined; cellIds?: readonly string[] | undefined } & MarimoPairErrorOptions = {},
  ) {
    super(code, message, { cause: details.cause });
    this.cell = details.cell;
    this.cellIds = details.cellIds ?? [];
  }
}
