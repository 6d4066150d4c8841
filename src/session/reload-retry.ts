/**
 * The one retry this SDK makes: after a browser reload re-keys a session, marimo rejects the
 * old id, and the call is sent once more to the session found again by its selector. Used by
 * the HTTP session (`NotebookSession`) and by the session of marimo's own MCP server.
 *
 * @module
 */
import { SessionNotFoundError } from "../errors.js";

/** How to find a session again, and whether what was found is a different session id. */
export interface ReloadRetry<I> {
  /** Look the session up again (by file, by stable id, or as the only one). */
  refresh(): Promise<I>;
  /** True when `after` routes to the same id as `before` (then a retry would fail the same way). */
  sameSession(before: I, after: I): boolean;
  /** False when the session may not be looked up again (e.g. it was chosen by an id). @default true */
  enabled?: boolean | undefined;
}

/**
 * `send(current)`; when marimo answers that it does not know the session, look the session up
 * again and, if its id changed, `send` once more with what was found. Nothing ran the first
 * time: marimo rejects an unknown id before running anything.
 *
 * @throws the first call's {@link SessionNotFoundError} when no retry applies (disabled, or the
 *   same id was found again); the refresh's own errors (e.g. `NoSessionError`); the retry's errors.
 */
export async function retryAfterReload<I, T>(current: I, send: (info: I) => Promise<T>, reload: ReloadRetry<I>): Promise<T> {
  try {
    return await send(current);
  } catch (error) {
    if (!(error instanceof SessionNotFoundError) || reload.enabled === false) throw error;
    const after = await reload.refresh();
    if (reload.sameSession(current, after)) throw error;
    return send(after);
  }
}
