/**
 * `marimo-pair exec`: run Python in a notebook's kernel; stream stdout and stderr to
 * this process's stdout and stderr as the events arrive; print the final value.
 *
 * @module
 */
import type { ExecutionStream } from "../../execute/stream.js";
import { chooseCodeSource, readCode } from "../code-source.js";
import { logExecCall } from "../exec-log.js";
import { ExitCode } from "../exit-codes.js";
import type { FailureContext } from "../guidance.js";
import type { CliIo } from "../io.js";
import { reportFailure } from "../report.js";
import type { ParsedArgs } from "../spec.js";
import { readTargetOptions } from "../target-options.js";
import { resolveNotebook } from "../target.js";
import { flag, stringOption, UsageError } from "../argv.js";
import { outputText } from "../../outputs/decode.js";
import type { NotebookSession } from "../../session/notebook.js";
import { SETTLE_LIMIT_MS } from "../../session/settle.js";

/** Raised into the stream when the user presses Ctrl-C. */
class Interrupted extends Error {
  constructor() {
    super("interrupted");
    this.name = "Interrupted";
  }
}

/** How `exec` prints the value: as marimo renders it (default), as text (`--text`), or all as JSON (`--json`). */
type ValueMode = "raw" | "text" | "json";

/** `--json`: one document with everything, printed when the run is over. */
async function printJson(run: ExecutionStream, io: CliIo): Promise<number> {
  const result = await run.result();
  const document = {
    success: result.success,
    stdout: result.stdout,
    stderr: result.stderr,
    output: { mimetype: result.output.mimetype, data: result.output.data, text: outputText(result.output) },
    truncated: result.truncated,
    ...(result.error === undefined ? {} : { error: result.error }),
  };
  await io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  return result.success ? ExitCode.Ok : ExitCode.Failure;
}

/** Drain `run` to the terminal; resolves with the exit status. */
async function pump(run: ExecutionStream, io: CliIo, mode: ValueMode): Promise<number> {
  if (mode === "json") return printJson(run, io);
  let sawStderr = false;
  for await (const event of run) {
    if (event.type === "stdout") await io.stdout.write(event.data);
    else if (event.type === "stderr") {
      sawStderr ||= event.data !== "";
      await io.stderr.write(event.data);
    } else if (event.success) {
      const text = mode === "text" ? outputText(event.output) : event.output.data;
      if (text !== "") await io.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
      return ExitCode.Ok;
    } else {
      // marimo < 0.23.7 explains the failure in the event itself; newer ones stream the traceback.
      if (event.error !== undefined) await io.stderr.write(`${event.error.type}: ${event.error.msg}\n`);
      else if (!sawStderr) await io.stderr.write("marimo-pair: the code failed (marimo reported no details)\n");
      return ExitCode.Failure;
    }
  }
  // The stream object throws when it ends without `done`; this is not reached.
  return ExitCode.Failure;
}

/**
 * After Ctrl-C: wait until the interrupted run has ended (the session's own wait, at most 8 s)
 * and its connection is closed (at most 10 s); a second Ctrl-C stops waiting. So the output it
 * still flushes cannot land in the next `exec`; say so when the kernel keeps running.
 */
async function awaitInterruptedRun(notebook: NotebookSession, run: ExecutionStream, io: CliIo): Promise<void> {
  const interrupted = notebook.interruptedRun();
  if (interrupted === undefined) return;
  // Exiting closes the connection: on marimo 0.23.14–0.25.0, where the SDK interrupted the
  // run itself and reads the request to its end, a drop before that would interrupt again.
  const settling = Promise.all([interrupted, run.closed]).then(([state]) => state);
  let stop = (): void => undefined;
  const skipped = new Promise<"skipped">((resolve) => {
    stop = io.onInterrupt(() => resolve("skipped"));
  });
  try {
    if ((await Promise.race([settling, skipped])) === "running") {
      await io.stderr.write(
        `marimo-pair: the kernel still reports running ${SETTLE_LIMIT_MS / 1000} s after the interrupt; if it stays so, ` +
          "restart the notebook (marimo can hang when interrupted inside print())\n",
      );
    }
  } finally {
    stop();
  }
}

/** Run `marimo-pair exec`. */
export async function runExec(args: ParsedArgs, io: CliIo): Promise<number> {
  await logExecCall(io);
  const context: FailureContext = {};
  let stopInterrupts = (): void => undefined;
  let notebook: NotebookSession | undefined;
  let run: ExecutionStream | undefined;
  try {
    const target = readTargetOptions(args, "exec");
    context.file = target.file;
    context.session = target.session;
    if (flag(args, "json") && flag(args, "text")) throw new UsageError("--json and --text exclude each other", "exec");
    const mode: ValueMode = flag(args, "json") ? "json" : flag(args, "text") ? "text" : "raw";
    const source = chooseCodeSource(stringOption(args, "code"), args.positionals[0], () => io.stdinIsTTY);
    const code = await readCode(source, io);
    ({ notebook } = await resolveNotebook(target, io, "exec", context, { named: true }));
    run = notebook.stream(code);
    const running = run;
    stopInterrupts = io.onInterrupt(() => running.abort(new Interrupted()));
    return await pump(run, io, mode);
  } catch (error) {
    if (error instanceof Interrupted) {
      stopInterrupts();
      await io.stderr.write("\nmarimo-pair: interrupted; the kernel was interrupted\n");
      if (notebook !== undefined && run !== undefined) await awaitInterruptedRun(notebook, run, io);
      return ExitCode.Interrupted;
    }
    return reportFailure(io, error, context);
  } finally {
    stopInterrupts();
  }
}
