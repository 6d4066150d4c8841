/**
 * Every failure this SDK raises is a {@link MarimoPairError} with a machine-readable
 * {@link ErrorCode}. Subclasses carry the details of their kind. Messages say
 * what failed (method and URL where there is one) and what to do; they never contain a
 * token.
 *
 * A Python exception in the user's code is *data*, not an error: `execute()` resolves
 * with `success: false` and the traceback in `stderr`, unless `throwOnError` is set
 * (then {@link ExecutionError}).
 *
 * Aborts triggered by the caller's `AbortSignal` reject with `signal.reason`, not with a
 * `MarimoPairError`.
 *
 * @module
 */
import { hintFor } from "./hints.js";
import { MARIMO_FEATURES } from "./version.js";

/** The string codes of {@link MarimoPairError}, one per failure kind. */
export const ErrorCode = {
  /** Nothing answered at the URL (refused, reset, DNS failure). */
  ConnectionFailed: "connection_failed",
  /** One of the SDK's timers fired; see {@link TimeoutError.timer}. */
  Timeout: "timeout",
  /** 401: wrong or missing token, or a `marimo run` server (which never grants edit). */
  Unauthorized: "unauthorized",
  /** Any other non-2xx answer; carries marimo's `detail`. */
  HttpError: "http_error",
  /** The server does not know the session id (it was closed or re-keyed). */
  SessionNotFound: "session_not_found",
  /** No notebook session matches (or none is open). */
  NoSession: "no_session",
  /** More than one session matches; the error lists them. */
  AmbiguousSession: "ambiguous_session",
  /** The server broke the wire contract (bad JSON, unexpected shape). */
  ProtocolError: "protocol_error",
  /** An execute stream ended before its `done` event. */
  StreamIncomplete: "stream_incomplete",
  /** A non-loopback URL was given without `allowRemote: true`. */
  RemoteNotAllowed: "remote_not_allowed",
  /** The user's Python failed and `throwOnError` was set. */
  ExecutionFailed: "execution_failed",
  /** The server's marimo version lacks a feature the call needs. */
  UnsupportedVersion: "unsupported_version",
  /** marimo refused to open a session (a `close` event on `/sse`). */
  SessionOpenFailed: "session_open_failed",
  /** A code-mode plan is malformed (caught while building, before any I/O). */
  InvalidPlan: "invalid_plan",
  /** marimo refused a code-mode batch: a cell changed since it was last read. */
  StaleCells: "stale_cells",
  /** marimo refused a code-mode batch: multiply-defined names, cycles or syntax errors. */
  NotebookValidation: "notebook_validation",
  /** A code-mode batch failed for another reason; nothing was applied. */
  ApplyFailed: "apply_failed",
  /** No running marimo server was found (discovery found none, and no URL was given). */
  NoServer: "no_server",
  /** marimo did not start: port taken, notebook unreadable, crash or timeout during startup. */
  LaunchFailed: "launch_failed",
  /** No way to run marimo was found (no project runner, no `marimo` on PATH, no `uv`). */
  MarimoNotFound: "marimo_not_found",
  /** A batch would give a cell a name another cell holds; nothing was applied. */
  DuplicateName: "duplicate_name",
  /** A target name matches several cells; nothing was applied. */
  AmbiguousCell: "ambiguous_cell",
  /** A target id or name matches no cell; nothing was applied. */
  CellNotFound: "cell_not_found",
  /** A UI value no person could set (wrong type, out of range, off step, not an option); nothing was applied. */
  UiValueRejected: "ui_value_rejected",
  /** `setUiValue` names a variable the notebook does not define; nothing was applied. */
  UnknownVariable: "unknown_variable",
  /** `setUiValue` names a variable that is not a UI element; nothing was applied. */
  NotUiElement: "not_ui_element",
  /** A cell differs from what `expectCell` requires (a stale undo); nothing was applied. */
  CellChanged: "cell_changed",
  /** Discovery found no running server with the notebook, or several that have it. */
  ServerNotFound: "server_not_found",
  /** The optional peer `@modelcontextprotocol/sdk` is not installed. */
  McpSdkMissing: "mcp_sdk_missing",
  /** The command line was wrong (an unknown option, a missing value); the CLI exits with status 2. */
  UsageError: "usage_error",
  /** Screenshots need a local Chromium or Chrome and none was found (none is ever downloaded). */
  BrowserNotFound: "browser_not_found",
  /** Screenshots need the optional package `playwright-core`, which is not installed. */
  PlaywrightMissing: "playwright_missing",
  /** A screenshot was asked of a cell that has no rendered output. */
  NoOutput: "no_output",
  /** The browser could not load the notebook page or capture the output. */
  ScreenshotFailed: "screenshot_failed",
  /** marimo < 0.22 refused to list sessions: it must be restarted with `--no-skew-protection` (and `--no-token`). */
  NeedsServerFlags: "needs_server_flags",
} as const;

/** Union of every {@link ErrorCode} value: the `code` of a {@link MarimoPairError}. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Options shared by every error constructor. @inline */
export interface MarimoPairErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * The base of every error this SDK throws.
 *
 * @example
 * ```ts
 * try { await nb.execute("1") } catch (e) {
 *   if (isMarimoPairError(e) && e.code === "unauthorized") console.error(e.message);
 * }
 * ```
 */
export class MarimoPairError extends Error {
  /** Which kind of failure this is. */
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options: MarimoPairErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
  }
}

/** True when `value` is a {@link MarimoPairError} (optionally of one `code`). */
export function isMarimoPairError(value: unknown, code?: ErrorCode): value is MarimoPairError {
  return value instanceof MarimoPairError && (code === undefined || value.code === code);
}

/** Where a request went; used to build messages and kept on errors for callers. @inline */
export interface RequestTarget {
  /** HTTP method, upper case. */
  method: string;
  /** The URL, never with a token in it. */
  url: string;
}

function describe(target: RequestTarget | undefined): string {
  return target === undefined ? "" : `${target.method} ${target.url}: `;
}

/** Nothing answered: connection refused or reset, or the host could not be resolved. */
export class ConnectionError extends MarimoPairError {
  /** The request that failed. */
  readonly request: RequestTarget;

  constructor(request: RequestTarget, reason: string, options: MarimoPairErrorOptions = {}) {
    super(
      ErrorCode.ConnectionFailed,
      `${describe(request)}could not connect (${reason}). Is marimo running at this address? ` +
        hintFor("connection_failed", "library"),
      options,
    );
    this.request = request;
  }
}

/** Which SDK timer fired. */
export type TimerKind = "headers" | "idle" | "total" | "probe";

/** One of the SDK's timers fired before the operation finished. */
export class TimeoutError extends MarimoPairError {
  /** `headers`: no response; `idle`: no event for too long; `total`: the whole call; `probe`: a liveness probe. */
  readonly timer: TimerKind;
  /** The limit that was exceeded, in milliseconds. */
  readonly timeoutMs: number;
  /** The request, when the timer belonged to one. */
  readonly request: RequestTarget | undefined;

  constructor(timer: TimerKind, timeoutMs: number, request?: RequestTarget, hint = "") {
    super(
      ErrorCode.Timeout,
      `${describe(request)}${timer} timeout after ${timeoutMs} ms.${hint === "" ? "" : ` ${hint}`}`,
    );
    this.timer = timer;
    this.timeoutMs = timeoutMs;
    this.request = request;
  }
}

/** Fields common to errors built from an HTTP response. @inline */
export interface HttpErrorDetails {
  /** The request that failed. */
  request: RequestTarget;
  /** HTTP status code. */
  status: number;
  /** marimo's `detail` (or `error`) field, or the start of the body when it was not JSON. */
  detail: string;
}

/** A non-2xx HTTP response (other than those with their own class). */
export class HttpError extends MarimoPairError {
  /** The request that failed. */
  readonly request: RequestTarget;
  /** HTTP status code. */
  readonly status: number;
  /** marimo's explanation, from the body's `detail` or `error` field. */
  readonly detail: string;

  constructor(details: HttpErrorDetails, message?: string, code: ErrorCode = ErrorCode.HttpError) {
    super(
      code,
      message ??
        `${describe(details.request)}HTTP ${details.status}${details.detail === "" ? "" : `: ${details.detail}`}`,
    );
    this.request = details.request;
    this.status = details.status;
    this.detail = details.detail;
  }
}

/**
 * 401 Unauthorized. Either the token is wrong or missing (pass `token`, or set
 * `MARIMO_TOKEN`), or the server is a `marimo run` server, which never grants edit access.
 */
export class AuthError extends HttpError {
  constructor(details: HttpErrorDetails) {
    super(
      details,
      `${describe(details.request)}HTTP 401 (${details.detail || "unauthorized"}). The token is wrong or missing. ` +
        `${hintFor("unauthorized", "library")} A server started with --no-token answering 401 is a \`marimo run\` ` +
        "server, which never allows editing or executing.",
      ErrorCode.Unauthorized,
    );
  }
}

/** The server does not know this session id (closed, or re-keyed by a browser reload). */
export class SessionNotFoundError extends HttpError {
  /** The id that was not found. */
  readonly sessionId: string;

  constructor(details: HttpErrorDetails, sessionId: string) {
    super(
      details,
      `${describe(details.request)}marimo does not know session '${sessionId}'. ${hintFor("session_not_found", "library")}`,
      ErrorCode.SessionNotFound,
    );
    this.sessionId = sessionId;
  }
}

/** The server answered something that does not match the wire contract. */
export class ProtocolError extends MarimoPairError {
  /** Validation issues (zod), when the shape was wrong. */
  readonly issues: readonly unknown[];
  /** The offending value (parsed JSON or raw text), truncated for large bodies. */
  readonly raw: unknown;

  constructor(message: string, options: { issues?: readonly unknown[]; raw?: unknown; cause?: unknown } = {}) {
    super(
      ErrorCode.ProtocolError,
      `${message} Is this a marimo server, and is this SDK recent enough for its version?`,
      { cause: options.cause },
    );
    this.issues = options.issues ?? [];
    this.raw = options.raw;
  }
}

/** An execute stream ended without its final `done` event. */
export class StreamIncompleteError extends MarimoPairError {
  /** The request whose stream was cut. */
  readonly request: RequestTarget;

  constructor(request: RequestTarget, options: MarimoPairErrorOptions = {}) {
    super(
      ErrorCode.StreamIncomplete,
      `${describe(request)}the execution stream ended before 'done'. ${hintFor("stream_incomplete", "library")}`,
      options,
    );
    this.request = request;
  }
}

/** A URL whose host is not loopback, given without `allowRemote: true`. */
export class RemoteNotAllowedError extends MarimoPairError {
  /** The host that was refused. */
  readonly host: string;

  constructor(host: string) {
    super(
      ErrorCode.RemoteNotAllowed,
      `Refusing to connect to non-local host '${host}': code and tokens would leave this machine. ` +
        hintFor("remote_not_allowed", "library"),
    );
    this.host = host;
  }
}

/** Summary of a session, as listed in selection errors. */
export interface SessionCandidate {
  /** The session id (`""` for a notebook a server serves but has not opened). */
  sessionId: string;
  /** The notebook's absolute path, or null when unsaved. */
  path: string | null;
  /** The server's base URL, when the search spanned several servers. */
  url?: string | undefined;
}

function listCandidates(candidates: readonly SessionCandidate[]): string {
  return candidates
    .map((c) => {
      const where = c.url === undefined ? "" : `${c.url}  `;
      return `  ${where}${c.sessionId === "" ? "(not open)" : c.sessionId}  ${c.path ?? "(unsaved notebook)"}`;
    })
    .join("\n");
}

/** No open session matches the selector (or none is open at all). */
export class NoSessionError extends MarimoPairError {
  /** The sessions that do exist. */
  readonly available: readonly SessionCandidate[];

  constructor(what: string, available: readonly SessionCandidate[], options: { servers?: number; note?: string } = {}) {
    const where = options.servers === undefined ? "" : ` on the ${options.servers} running marimo server(s)`;
    const note = options.note === undefined || options.note === "" ? "" : `\n${options.note}`;
    super(
      ErrorCode.NoSession,
      available.length === 0
        ? `No notebook session is open${where}${what === "" ? "" : ` (looking for${what})`}. ${hintFor("no_session", "library")}${note}`
        : `No session${where} matches${what}. Open sessions:\n${listCandidates(available)}${note}\n${hintFor("no_session", "library")}`,
    );
    this.available = available;
  }
}

/** Several sessions match the selector; pick one by `sessionId` or a full path. */
export class AmbiguousSessionError extends MarimoPairError {
  /** The sessions that matched. */
  readonly candidates: readonly SessionCandidate[];

  constructor(what: string, candidates: readonly SessionCandidate[]) {
    super(
      ErrorCode.AmbiguousSession,
      `${candidates.length} sessions match${what}:\n${listCandidates(candidates)}\n${hintFor("ambiguous_session", "library")}`,
    );
    this.candidates = candidates;
  }
}

/** No running marimo server was found: discovery found none, and no URL was given. */
export class NoServerError extends MarimoPairError {
  /** What discovery noted about registry entries it could not use (stale, silent, unreadable). */
  readonly notes: readonly string[];

  constructor(notes: readonly string[] = []) {
    super(
      ErrorCode.NoServer,
      `No running marimo server was found. ${hintFor("no_server", "library")}` +
        (notes.length === 0 ? "" : `\n${notes.map((n) => `  - ${n}`).join("\n")}`),
    );
    this.notes = notes;
  }
}

/** The user's code failed and the caller asked for `throwOnError`. */
export class ExecutionError extends MarimoPairError {
  /** What the code printed to stderr (the traceback). */
  readonly stderr: string;
  /** What the code printed to stdout. */
  readonly stdout: string;

  constructor(stdout: string, stderr: string) {
    const last = stderr.trimEnd().split("\n").at(-1) ?? "";
    super(ErrorCode.ExecutionFailed, `The code raised an error${last === "" ? "" : `: ${last}`}`);
    this.stdout = stdout;
    this.stderr = stderr;
  }
}

/** The server's marimo version lacks something this call needs. */
export class UnsupportedVersionError extends MarimoPairError {
  /** The server's marimo version. */
  readonly version: string;
  /** The first version that has the feature. */
  readonly requiredVersion: string;

  constructor(feature: string, version: string, requiredVersion: string) {
    super(
      ErrorCode.UnsupportedVersion,
      `${feature} is unsupported on marimo ${version}; it needs marimo >= ${requiredVersion}. Upgrade marimo.`,
    );
    this.version = version;
    this.requiredVersion = requiredVersion;
  }
}

/** marimo closed the session stream with a close code instead of opening a session. */
export class SessionOpenError extends MarimoPairError {
  /** The close code marimo sent (e.g. 3000 unauthorized, 1011 kernel startup error). */
  readonly closeCode: number;
  /** marimo's close reason, e.g. `MARIMO_UNAUTHORIZED`. */
  readonly reason: string;

  constructor(closeCode: number, reason: string, hint: string) {
    super(ErrorCode.SessionOpenFailed, `marimo refused to open the session (${closeCode} ${reason}). ${hint}`);
    this.closeCode = closeCode;
    this.reason = reason;
  }
}

/**
 * 403 from marimo < 0.22.3, which lists sessions (and so lets anything pick one) only when
 * started with `--no-skew-protection` and `--no-token`. Restart marimo with {@link flags},
 * upgrade it, or name the session by its id (`client.session({ sessionId })`, `--session`).
 */
export class ServerFlagsRequiredError extends HttpError {
  /** The flags to restart `marimo edit` with, e.g. `["--no-skew-protection"]`. */
  readonly flags: readonly string[];

  constructor(details: HttpErrorDetails, flags: readonly string[]) {
    super(
      details,
      `${describe(details.request)}HTTP 403: this marimo lists sessions only when started with ${flags.join(" and ")}. ` +
        `Restart it as \`marimo edit ${flags.join(" ")} <notebook>\`, or upgrade marimo to ${MARIMO_FEATURES.skewFreeSessionList.since} or later. ` +
        hintFor("needs_server_flags", "library"),
      ErrorCode.NeedsServerFlags,
    );
    this.flags = flags;
  }
}
