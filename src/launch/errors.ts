/**
 * Errors of {@link launchServer}: marimo could not be found, or did not start.
 *
 * @module
 */
import { ErrorCode, MarimoPairError, type MarimoPairErrorOptions } from "../errors.js";

/** Why a launch failed. @inline */
export type LaunchFailureReason =
  /** The port is already taken by another process. */
  | "port_in_use"
  /** marimo could not open the notebook (missing parent directory, permissions, not a file). */
  | "notebook_unreadable"
  /** marimo exited during startup for another reason. */
  | "startup_crash"
  /** marimo did not become ready before the deadline. */
  | "timeout";

/** How a launch was attempted, for messages and for callers. @inline */
export interface LaunchAttempt {
  /** The program and its arguments (never a token: launches always use `--no-token`). */
  argv: readonly string[];
  /** The working directory. */
  cwd: string;
}

/** Lines of output that carry a message, the way marimo's own errors read. */
function formatTail(tail: string): string {
  const trimmed = tail.trimEnd();
  return trimmed === "" ? "" : `\nmarimo said:\n${trimmed.split("\n").map((l) => `  ${l}`).join("\n")}`;
}

/**
 * marimo was started but did not come up. `reason` says why; `stderrTail` is the end of
 * what marimo wrote to stderr (its own explanation).
 *
 * @example
 * ```ts
 * try { await launchServer({ notebook: "nb.py", port: 2718 }) } catch (e) {
 *   if (e instanceof LaunchError && e.reason === "port_in_use") console.error("pick another port");
 * }
 * ```
 */
export class LaunchError extends MarimoPairError {
  /** Why the launch failed. */
  readonly reason: LaunchFailureReason;
  /** The end of marimo's stderr (at most a few kilobytes). */
  readonly stderrTail: string;
  /** The command that was run. */
  readonly attempt: LaunchAttempt;
  /** marimo's exit code, or null when it was still running (timeout) or died by a signal. */
  readonly exitCode: number | null;

  constructor(
    reason: LaunchFailureReason,
    summary: string,
    details: { stderrTail: string; attempt: LaunchAttempt; exitCode: number | null },
    options: MarimoPairErrorOptions = {},
  ) {
    super(ErrorCode.LaunchFailed, `${summary} (ran: ${details.attempt.argv.join(" ")})${formatTail(details.stderrTail)}`, options);
    this.reason = reason;
    this.stderrTail = details.stderrTail;
    this.attempt = details.attempt;
    this.exitCode = details.exitCode;
  }
}

/**
 * No way to run marimo was found: no explicit `command`, no project that lists marimo,
 * no `marimo` on PATH and no `uv` to fetch it — or the chosen program does not exist.
 */
export class MarimoNotFoundError extends MarimoPairError {
  /** What was looked for, in order. */
  readonly searched: readonly string[];
  /** The end of the runner's stderr, when a runner (e.g. `uv run`) started but found no marimo. */
  readonly stderrTail: string;

  constructor(searched: readonly string[], stderrTail = "", options: MarimoPairErrorOptions = {}) {
    super(
      ErrorCode.MarimoNotFound,
      `marimo was not found (looked for: ${searched.join("; ")}). Install it — \`uv add marimo\` in a uv project, ` +
        "`pip install marimo` in your virtualenv, or `uv tool install marimo` — or pass `command` " +
        `(e.g. ["/path/to/venv/bin/marimo"]).${formatTail(stderrTail)}`,
      options,
    );
    this.searched = searched;
    this.stderrTail = stderrTail;
  }
}

/** True when marimo's stderr says the port was taken. */
export function isPortInUse(stderr: string): boolean {
  return /address already in use|Errno 98|Errno 48|WinError 10048|Could not find a free port|No more ports available/i.test(stderr);
}

/** True when marimo's stderr says it could not read or create the notebook. */
export function isNotebookUnreadable(stderr: string): boolean {
  return /Parent directory does not exist|Permission denied|IsADirectoryError|NotADirectoryError|Is a directory|FileNotFoundError|No such file or directory|UnicodeDecodeError/i.test(
    stderr,
  );
}
