/**
 * `marimo-pair screenshot`: PNGs of cells' rendered outputs, written to files.
 *
 * @module
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { ErrorCode } from "../../errors.js";
import { installHint } from "../../outputs/find-browser.js";
import { ScreenshotError } from "../../outputs/screenshot-errors.js";
import type { Screenshot, ScreenshotOptions } from "../../outputs/screenshot-types.js";
import { flag, stringOption, stringOptions, UsageError } from "../argv.js";
import { ExitCode } from "../exit-codes.js";
import type { FailureContext } from "../guidance.js";
import type { CliIo } from "../io.js";
import { reportFailure } from "../report.js";
import type { ParsedArgs } from "../spec.js";
import { readTargetOptions } from "../target-options.js";
import { resolveNotebook } from "../target.js";

function positiveNumber(args: ParsedArgs, name: string): number | undefined {
  const raw = stringOption(args, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`--${name} needs a positive number, not '${raw}'`, "screenshot");
  return value;
}

/** A file name for a cell's image: its name when it has one, else its id. */
export function imageFileName(shot: Pick<Screenshot, "cellId" | "name">): string {
  return `${(shot.name ?? shot.cellId).replace(/[^A-Za-z0-9_.-]/g, "_")}.png`;
}

/** The message for a failure, in the command line's terms. */
function inCliTerms(error: unknown): unknown {
  if (!(error instanceof ScreenshotError)) return error;
  if (error.code === ErrorCode.BrowserNotFound && !error.message.startsWith("No browser at")) {
    return new ScreenshotError(
      error.code,
      `screenshots need a local Chromium or Chrome, and none was found (nothing is downloaded). ${installHint(process.platform)}, ` +
        "or pass --browser PATH (or set MARIMO_PAIR_CHROMIUM) to a Chromium or Chrome executable.",
      { cause: error },
    );
  }
  if (error.code === ErrorCode.CellNotFound) return new ScreenshotError(error.code, `${error.message} Pass one of them with --cell.`, { cause: error });
  return error;
}

/** Run `marimo-pair screenshot`. */
export async function runScreenshot(args: ParsedArgs, io: CliIo): Promise<number> {
  const context: FailureContext = {};
  try {
    const target = readTargetOptions(args, "screenshot");
    context.file = target.file;
    context.session = target.session;
    const cells = stringOptions(args, "cell");
    const out = stringOption(args, "out");
    const all = stringOption(args, "all");
    if (all !== undefined && (cells.length > 0 || out !== undefined)) throw new UsageError("--all DIR saves every output: use it without --cell and -o", "screenshot");
    if (all === undefined && cells.length === 0) throw new UsageError("say which cells: --cell ID|NAME (repeatable) with -o OUT, or --all DIR", "screenshot");
    if (all === undefined && out === undefined) throw new UsageError("-o OUT is missing: the PNG file to write (a directory with several --cell)", "screenshot");
    const options: ScreenshotOptions = { fullOutput: flag(args, "full") };
    const scale = positiveNumber(args, "scale");
    const width = positiveNumber(args, "width");
    const timeout = positiveNumber(args, "timeout");
    const browser = stringOption(args, "browser");
    if (scale !== undefined) options.scale = scale;
    if (width !== undefined) options.width = Math.round(width);
    if (timeout !== undefined) options.timeoutMs = timeout * 1000;
    if (browser !== undefined) options.executablePath = browser;
    const controller = new AbortController();
    const removeInterrupt = io.onInterrupt(() => controller.abort(new Error("interrupted")));
    options.signal = controller.signal;
    const { notebook } = await resolveNotebook(target, io, "screenshot", context);
    try {
      const shots = await notebook.screenshots(all === undefined ? cells : undefined, options);
      const dir = all ?? (cells.length > 1 ? out : undefined);
      if (dir !== undefined) await mkdir(resolve(dir), { recursive: true });
      if (all !== undefined && shots.length === 0) await io.stderr.write("marimo-pair: no cell shows an output; nothing written.\n");
      for (const shot of shots) {
        const path = dir === undefined ? resolve(out ?? "") : join(resolve(dir), imageFileName(shot));
        await writeFile(path, shot.bytes);
        await io.stdout.write(`${path}\t${shot.width}x${shot.height}\t${shot.name === null ? shot.cellId : `${shot.cellId} (${shot.name})`}\n`);
      }
    } finally {
      removeInterrupt();
      await notebook.close();
    }
    return ExitCode.Ok;
  } catch (error) {
    return reportFailure(io, inCliTerms(error), context);
  }
}
