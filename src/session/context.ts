/**
 * {@link SessionContext}: what a session object needs from the client that made it. Kept
 * apart from the session class so kernel control, events and output reads can take it
 * without importing the session.
 *
 * @module
 */
import type { Http } from "../http/client.js";
import type { HandleSet } from "./handles.js";
import type { KernelState, SessionInfo, SessionSelector } from "./types.js";

/** What a session needs from its client. */
export interface SessionContext {
  /** The client's HTTP seam. */
  readonly http: Http;
  /** The current session list. */
  listSessions(signal?: AbortSignal): Promise<SessionInfo[]>;
  /** Pick one session from a list (throws the selection errors). */
  select(sessions: readonly SessionInfo[], selector: SessionSelector): SessionInfo;
  /** The server's marimo version (cached). */
  version(signal?: AbortSignal): Promise<string>;
  /**
   * Executions cut short, by session (stable id, else routing id), still ending: the next
   * execution on that session waits for them, whichever session object it comes from.
   */
  readonly interrupted: Map<string, Promise<KernelState | undefined>>;
  /** What the client has in flight, across its session objects: `client.close()` ends it. */
  readonly handles: HandleSet;
  /**
   * The last execution queued, by session, on servers whose marimo mixes up the output of
   * concurrent executions (feature `separateExecutes`): each one starts when it has ended.
   */
  readonly executions: Map<string, Promise<void>>;
}
