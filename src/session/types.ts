/**
 * Public types of sessions and their selection.
 *
 * @module
 */

/** A notebook session open on a server (one per open notebook in edit mode). */
export interface SessionInfo {
  /**
   * The routing id (`Marimo-Session-Id`). It changes when a browser reloads the
   * notebook; select sessions by file to be immune to that.
   */
  sessionId: string;
  /** The stable id (marimo ≥ 0.25), which survives reloads; null on older servers. */
  stableId: string | null;
  /** The notebook file name as the server holds it, or null for an unsaved notebook. */
  filename: string | null;
  /** The notebook's absolute path, or null for an unsaved notebook. */
  path: string | null;
}

/**
 * Which session to use:
 * - `{ sessionId }`: exactly that session (its routing id or its stable id);
 * - `{ file }`: the session of that notebook: an absolute path, a path relative to the
 *   server's directory, or a basename (several matches → {@link AmbiguousSessionError});
 * - nothing: the only open session.
 */
export type SessionSelector = { sessionId: string; file?: never } | { file: string; sessionId?: never } | Record<string, never>;

/** State of a session's kernel, from `GET /api/kernel/status`. */
export type KernelState = "running" | "idle" | "stopped";

/** Options of calls that only take a signal. */
export interface SignalOptions {
  /** Cancels the call; it rejects with `signal.reason`. */
  signal?: AbortSignal | undefined;
}
