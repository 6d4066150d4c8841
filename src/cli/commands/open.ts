/**
 * `marimo-pair open`: give a served notebook a session without a browser, print it, exit.
 * The core resolver does the work (`findSession({ file, open: true })`); marimo keeps the
 * session after this process ends.
 *
 * @module
 */
import { flag, UsageError } from "../argv.js";
import { ExitCode } from "../exit-codes.js";
import type { FailureContext } from "../guidance.js";
import type { CliIo } from "../io.js";
import { reportFailure } from "../report.js";
import type { ParsedArgs } from "../spec.js";
import { readTargetOptions } from "../target-options.js";
import { resolveNotebook } from "../target.js";

/** Run `marimo-pair open`. */
export async function runOpen(args: ParsedArgs, io: CliIo): Promise<number> {
  const context: FailureContext = {};
  try {
    const target = readTargetOptions(args, "open");
    if (target.file === undefined) throw new UsageError("--file is required: name the notebook to open", "open");
    context.file = target.file;
    const { url, notebook, opened } = await resolveNotebook(target, io, "open", context, { open: true });
    const info = notebook.info;
    try {
      if (flag(args, "json")) {
        const document = { url, sessionId: info.sessionId, stableId: info.stableId, filename: info.filename, path: info.path, opened };
        await io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
      } else {
        const what = opened ? "opened" : "already open";
        await io.stdout.write(`${what}: ${info.path ?? info.filename ?? "(unsaved notebook)"}  session ${info.sessionId}  on ${url}\n`);
      }
    } finally {
      // The connection ends here; marimo keeps the session (orphaned) for later commands.
      if ("close" in notebook && typeof notebook.close === "function") await (notebook.close as () => unknown)();
    }
    return ExitCode.Ok;
  } catch (error) {
    return reportFailure(io, error, context);
  }
}
