/**
 * Turns the library's typed errors into what a person or an agent at a terminal should
 * do next, and into an exit status.
 *
 * @module
 */
import {
  AmbiguousSessionError,
  AuthError,
  ConnectionError,
  HttpError,
  isMarimoPairError,
  NoSessionError,
  type SessionCandidate,
  SessionNotFoundError,
  StreamIncompleteError,
  TimeoutError,
} from "../errors.js";
import { UsageError } from "./argv.js";
import { ExitCode } from "./exit-codes.js";

/** How the failing command chose its server and session. */
export interface FailureContext {
  /** The server's base URL, when one was chosen. */
  url?: string | undefined;
  /** `--file`, if given. */
  file?: string | undefined;
  /** `--session`, if given. */
  session?: string | undefined;
}

/** A message for stderr (without the `marimo-pair:` prefix) and an exit status. */
export interface Failure {
  message: string;
  exitCode: number;
}

/** One line per session: id and notebook path. */
export function sessionLines(sessions: readonly SessionCandidate[]): string {
  return sessions.map((s) => `  ${s.sessionId}  ${s.path ?? "(unsaved notebook)"}`).join("\n");
}

function on(context: FailureContext): string {
  return context.url === undefined ? "" : ` on ${context.url}`;
}

function noSession(error: NoSessionError, context: FailureContext): string {
  const open = sessionLines(error.available);
  if (error.available.length === 0) {
    return (
      `no notebook is open${on(context)}. A notebook has a session only while it is open: ` +
      "open it in the browser (or with marimo's editor) and run this again."
    );
  }
  if (context.session !== undefined) {
    return (
      `there is no session '${context.session}'${on(context)}. Session ids change when the browser reloads ` +
      `the notebook; select it by file instead (--file PATH). Open sessions:\n${open}`
    );
  }
  if (context.file !== undefined) {
    return `no open notebook matches --file '${context.file}'${on(context)}. Open sessions:\n${open}\nPass one of these paths with --file, or open the notebook first.`;
  }
  return `no session to use${on(context)}. Open sessions:\n${open}`;
}

function ambiguous(error: AmbiguousSessionError, context: FailureContext): string {
  const list = sessionLines(error.candidates);
  if (context.file !== undefined) {
    return `${error.candidates.length} open notebooks match --file '${context.file}'${on(context)}; give the absolute path (or --session ID):\n${list}`;
  }
  return `${error.candidates.length} notebooks are open${on(context)}, so none is picked automatically; choose one with --file PATH (or --session ID):\n${list}`;
}

/**
 * Describe `error` for the terminal. Unknown errors keep their own message.
 */
export function describeFailure(error: unknown, context: FailureContext = {}): Failure {
  const fail = (message: string): Failure => ({ message, exitCode: ExitCode.Failure });
  if (error instanceof UsageError) return { message: error.message, exitCode: ExitCode.Usage };
  if (error instanceof NoSessionError) return fail(noSession(error, context));
  if (error instanceof AmbiguousSessionError) return fail(ambiguous(error, context));
  if (error instanceof SessionNotFoundError) {
    return fail(
      `marimo no longer knows session '${error.sessionId}'${on(context)} (closed, or re-keyed by a browser reload). ` +
        "Retry selecting the notebook with --file PATH; `marimo-pair sessions` lists what is open.",
    );
  }
  if (error instanceof AuthError) {
    return fail(
      `${error.request.url} refused the request (401${error.detail === "" ? "" : `: ${error.detail}`}). ` +
        "Set MARIMO_TOKEN (or pass --token) to the server's token. A server started with --no-token that " +
        "still refuses is a `marimo run` server, which cannot execute code or change cells.",
    );
  }
  if (error instanceof ConnectionError) {
    return fail(
      `failed to connect to ${context.url ?? error.request.url}. Check the URL (including any --base-url prefix) ` +
        "and that marimo is running there; `marimo-pair discover` lists the servers running on this machine.",
    );
  }
  if (error instanceof StreamIncompleteError) {
    return fail(
      "the run ended before marimo reported completion. The server may have stopped or restarted, the kernel " +
        "may have died, or the session id may be stale: check the server, then retry with --file PATH.",
    );
  }
  if (error instanceof TimeoutError) {
    return fail(`${error.message} Is the server overloaded, or is something else listening at this address?`);
  }
  if (error instanceof HttpError) return fail(error.message);
  if (isMarimoPairError(error)) return fail(error.message);
  return fail(error instanceof Error ? error.message : String(error));
}
