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
  NoServerError,
  NoSessionError,
  type SessionCandidate,
  SessionNotFoundError,
  StreamIncompleteError,
  TimeoutError,
} from "../errors.js";
import { hintFor, inTermsOf } from "../hints.js";
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

/** One line per session: server (when known), id and notebook path. */
export function sessionLines(sessions: readonly SessionCandidate[]): string {
  return sessions
    .map((s) => `  ${s.url === undefined ? "" : `${s.url}  `}${s.sessionId === "" ? "(not open)" : s.sessionId}  ${s.path ?? "(unsaved notebook)"}`)
    .join("\n");
}

function on(context: FailureContext, error?: { available?: readonly SessionCandidate[]; candidates?: readonly SessionCandidate[] }): string {
  const listed = error?.available ?? error?.candidates ?? [];
  if (listed.some((c) => c.url !== undefined)) return "";
  return context.url === undefined ? "" : ` on ${context.url}`;
}

/** The notes of the core's error (unreachable servers, nothing served), after its list. */
function notes(error: NoSessionError): string {
  const lines = error.message.split("\n").filter((l) => !l.startsWith("  ") && l.trim() !== "");
  const extra = lines.slice(1).filter((l) => !l.startsWith("Open sessions:") && l !== hintFor("no_session", "library"));
  return extra.length === 0 ? "" : `\n${extra.join("\n")}`;
}

function noSession(error: NoSessionError, context: FailureContext): string {
  const open = sessionLines(error.available);
  const hint = hintFor("no_session", "cli");
  if (error.available.length === 0) {
    const what = context.file !== undefined ? ` matching --file '${context.file}'` : context.session !== undefined ? ` with session '${context.session}'` : "";
    return `no notebook is open${what}${on(context, error)}.${notes(error)}\n${hint}`;
  }
  if (context.session !== undefined) {
    return (
      `there is no session '${context.session}'${on(context, error)}. ${hintFor("session_not_found", "cli")} ` +
      `Open sessions:\n${open}${notes(error)}`
    );
  }
  if (context.file !== undefined) {
    return `no open notebook matches --file '${context.file}'${on(context, error)}. Open sessions:\n${open}${notes(error)}\n${hint}`;
  }
  return `no session to use${on(context, error)}. Open sessions:\n${open}${notes(error)}\n${hint}`;
}

function ambiguous(error: AmbiguousSessionError, context: FailureContext): string {
  const list = sessionLines(error.candidates);
  const hint = hintFor("ambiguous_session", "cli");
  if (context.file !== undefined) {
    return `${error.candidates.length} notebooks match --file '${context.file}'${on(context, error)}:\n${list}\n${hint}`;
  }
  return `${error.candidates.length} notebooks are open${on(context, error)}, so none is picked automatically:\n${list}\n${hint}`;
}

/**
 * Describe `error` for the terminal. Unknown errors keep their own message.
 */
export function describeFailure(error: unknown, context: FailureContext = {}): Failure {
  const fail = (message: string): Failure => ({ message, exitCode: ExitCode.Failure });
  if (error instanceof UsageError) return { message: error.message, exitCode: ExitCode.Usage };
  if (error instanceof NoServerError) {
    return fail(`no running marimo server found. ${hintFor("no_server", "cli")}${error.notes.map((n) => `\n  - ${n}`).join("")}`);
  }
  if (error instanceof NoSessionError) return fail(noSession(error, context));
  if (error instanceof AmbiguousSessionError) return fail(ambiguous(error, context));
  if (error instanceof SessionNotFoundError) {
    return fail(
      `marimo no longer knows session '${error.sessionId}'${on(context)} (closed, or re-keyed by a browser reload). ` +
        hintFor("session_not_found", "cli"),
    );
  }
  if (error instanceof AuthError) {
    return fail(
      `${error.request.url} refused the request (401${error.detail === "" ? "" : `: ${error.detail}`}). ` +
        `${hintFor("unauthorized", "cli")} A server started with --no-token that ` +
        "still refuses is a `marimo run` server, which cannot execute code or change cells.",
    );
  }
  if (error instanceof ConnectionError) {
    return fail(
      `failed to connect to ${context.url ?? error.request.url}. Is marimo running there? ${hintFor("connection_failed", "cli")}`,
    );
  }
  if (error instanceof StreamIncompleteError) {
    return fail(
      `the run ended before marimo reported completion. ${hintFor("stream_incomplete", "cli")}`,
    );
  }
  if (error instanceof TimeoutError) {
    return fail(`${error.message} Is the server overloaded, or is something else listening at this address?`);
  }
  if (error instanceof HttpError) return fail(inTermsOf(error.message, error.code, "cli"));
  if (isMarimoPairError(error)) return fail(inTermsOf(error.message, error.code, "cli"));
  return fail(error instanceof Error ? error.message : String(error));
}
