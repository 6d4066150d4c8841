/**
 * Pure session selection: by id, by file, or the only one.
 *
 * @module
 */
import { AmbiguousSessionError, NoSessionError, type SessionCandidate } from "../errors.js";
import type { SessionInfo, SessionSelector } from "./types.js";

function candidates(sessions: readonly SessionInfo[]): SessionCandidate[] {
  return sessions.map((s) => ({ sessionId: s.sessionId, path: s.path }));
}

function normalize(path: string): string {
  return path.replace(/\\/g, "/").replace(/\/+/g, "/").replace(/^\.\//, "");
}

function basename(path: string): string {
  return normalize(path).split("/").at(-1) ?? path;
}

/** Describe a selector for messages. */
export function describeSelector(selector: SessionSelector): string {
  if (selector.sessionId !== undefined) return ` session id '${selector.sessionId}'`;
  if (selector.file !== undefined) return ` file '${selector.file}'`;
  return "";
}

/**
 * Sessions matching a file, best evidence first: the exact path or filename; else a
 * path ending in `/<file>`; else the same basename.
 */
export function matchFile<T extends Pick<SessionInfo, "path" | "filename">>(sessions: readonly T[], file: string): T[] {
  const wanted = normalize(file);
  const exact = sessions.filter((s) => (s.path !== null && normalize(s.path) === wanted) || (s.filename !== null && normalize(s.filename) === wanted));
  if (exact.length > 0) return exact;
  if (wanted.includes("/")) {
    const suffix = sessions.filter((s) => s.path !== null && normalize(s.path).endsWith(`/${wanted.replace(/^\//, "")}`));
    return suffix;
  }
  return sessions.filter((s) => s.path !== null && basename(s.path) === wanted);
}

/**
 * Pick one session.
 *
 * @throws {NoSessionError} when nothing matches (the error lists what is open).
 * @throws {AmbiguousSessionError} when several match.
 */
export function selectSession(sessions: readonly SessionInfo[], selector: SessionSelector): SessionInfo {
  const what = describeSelector(selector);
  let matches: SessionInfo[];
  if (selector.sessionId !== undefined) {
    matches = sessions.filter((s) => s.sessionId === selector.sessionId || s.stableId === selector.sessionId);
  } else if (selector.file !== undefined) {
    matches = matchFile(sessions, selector.file);
  } else {
    matches = [...sessions];
  }
  const [first, ...rest] = matches;
  if (first === undefined) throw new NoSessionError(what, candidates(sessions));
  if (rest.length > 0) throw new AmbiguousSessionError(what, candidates(matches));
  return first;
}
