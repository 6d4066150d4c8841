/**
 * {@link findSession}: one notebook, found across every discovered server and any URLs the
 * caller names, with one selection rule — by file, by session id, or the only open notebook
 * anywhere — and, on request, opened when a server serves the file but has no session for it.
 * The CLI and the MCP tools use it too, and only render its results and errors.
 *
 * @module
 */
import { AmbiguousSessionError, NoServerError, NoSessionError, ServerFlagsRequiredError, type SessionCandidate } from "../errors.js";
import type { MarimoClient } from "./client.js";
import { connect } from "./connect-node.js";
import { checkHost, discoveredIsAllowed } from "./host-policy.js";
import type { NotebookSession } from "./notebook.js";
import { OwnedSession } from "./open.js";
import { describeSelector, matchFile } from "./select.js";
import type { SessionInfo } from "./types.js";

/** Which notebook {@link findSession} looks for. */
export interface FindSessionSelector {
  /** The notebook: an absolute path, a path relative to its server's directory, or a basename. */
  file?: string | undefined;
  /** A session id (its routing id or its stable id). Excludes `file`. */
  sessionId?: string | undefined;
  /**
   * When no session matches `file`, open one without a browser on the server that serves
   * that file (a single-file server's notebook, or a file under a directory server's
   * directory). The result is then an {@link OwnedSession}: `close()` it when done; marimo
   * keeps the session afterwards. A notebook that already has a session is never opened
   * twice. Needs `file`.
   * @default false
   */
  open?: boolean | undefined;
}

/** Options of {@link findSession}. */
export interface FindSessionOptions {
  /** Servers to search besides the discovered ones (e.g. servers started with a token, which do not register). */
  urls?: readonly (string | URL)[] | undefined;
  /** Search the servers discovery finds. @default true */
  discover?: boolean | undefined;
  /** The token for servers started with one. @default process.env.MARIMO_TOKEN */
  token?: string | undefined;
  /**
   * Allow `urls` whose host is not this machine (code and the token then leave it).
   * Discovered servers are always this machine's (or, under WSL, the Windows host's).
   * @default false
   */
  allowRemote?: boolean | undefined;
  /** Environment for discovery (registry directories, MARIMO_TOKEN). @default process.env */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /** How long opening may wait for the kernel, in ms. @default 60000 */
  openTimeoutMs?: number | undefined;
  /** Cancels the search (and opening). */
  signal?: AbortSignal | undefined;
}

/** @internal What the faces need besides the session. */
export interface FoundSession {
  /** The session. */
  session: NotebookSession;
  /** The client of its server. */
  client: MarimoClient;
  /** Its server's base URL. */
  url: string;
  /** True when this call opened the session. */
  opened: boolean;
  /** Hosts of `urls` that are not this machine (allowed by `allowRemote`), for a face's warning. */
  remoteHosts: string[];
}

/** @internal Extra knobs of the faces. */
export interface LocateOptions extends FindSessionOptions {
  /** Reuse clients (one per server) across calls. */
  client?: ((url: string) => MarimoClient) | undefined;
}

interface ServerSessions {
  client: MarimoClient;
  sessions: (SessionInfo & { url: string })[];
  /** The session named by id when the server refuses to list sessions. */
  named?: NotebookSession;
}

/** A session as errors list it; the server only when several were searched. */
function candidateOf(several: boolean): (s: SessionInfo & { url: string }) => SessionCandidate {
  return (s) => ({ sessionId: s.sessionId, path: s.path ?? s.filename, ...(several ? { url: s.url } : {}) });
}

async function serversToSearch(options: LocateOptions): Promise<{ clients: MarimoClient[]; notes: string[]; remoteHosts: string[] }> {
  const env = options.env ?? process.env;
  const token = options.token ?? (env["MARIMO_TOKEN"] === "" ? undefined : env["MARIMO_TOKEN"]);
  const make = options.client ?? ((url: string) => connect(url, { token, allowRemote: true }));
  const clients = new Map<string, MarimoClient>();
  const remoteHosts: string[] = [];
  for (const url of options.urls ?? []) {
    const verdict = await checkHost(url, options.allowRemote === true ? "allow" : "refuse", env);
    if (verdict.kind === "remote") remoteHosts.push(verdict.host);
    const client = make(String(url));
    clients.set(client.url, client);
  }
  const notes: string[] = [];
  if (options.discover !== false) {
    // Loaded only when discovery runs: a caller that names its server skips the registry code.
    const { discoverServersDetailed } = await import("../discovery/discover.js");
    const found = await discoverServersDetailed(options.env === undefined ? {} : { env: options.env });
    for (const server of found.servers) {
      if (server.url === null || !discoveredIsAllowed(server)) continue;
      const client = make(server.url);
      if (!clients.has(client.url)) clients.set(client.url, client);
    }
    notes.push(...found.diagnostics.map((d) => d.message));
  }
  return { clients: [...clients.values()], notes, remoteHosts };
}

function pick<T extends SessionInfo>(all: readonly T[], selector: FindSessionSelector): T[] {
  if (selector.sessionId !== undefined) return all.filter((s) => s.sessionId === selector.sessionId || s.stableId === selector.sessionId);
  if (selector.file !== undefined) return matchFile(all, selector.file);
  return [...all];
}

/** @internal {@link findSession} with what the faces need besides the session. */
export async function locateSession(selector: FindSessionSelector = {}, options: LocateOptions = {}): Promise<FoundSession> {
  if (selector.file !== undefined && selector.sessionId !== undefined) {
    throw new TypeError("Select the notebook by file or by sessionId, not both.");
  }
  if (selector.open === true && selector.file === undefined) throw new TypeError("`open: true` needs `file`.");
  const signal = options.signal;
  const { clients, notes, remoteHosts } = await serversToSearch(options);
  if (clients.length === 0) throw new NoServerError(notes);
  const problems: string[] = [];
  const listed = await Promise.all(
    clients.map(async (client): Promise<ServerSessions> => {
      try {
        const sessions = await client.sessions({ signal });
        return { client, sessions: sessions.map((s) => ({ ...s, url: client.url })) };
      } catch (error) {
        if (signal?.aborted === true) throw signal.reason;
        // A session named by id on a server that refuses to list (marimo < 0.22.3 with a token
        // or skew protection) is used as named: its first call tells whether marimo knows it.
        if (clients.length === 1 && error instanceof ServerFlagsRequiredError && selector.sessionId !== undefined) {
          const named = { sessionId: selector.sessionId, stableId: null, filename: null, path: null };
          return { client, sessions: [], named: client.sessionOf(named, { sessionId: selector.sessionId }) };
        }
        if (clients.length === 1) throw error;
        problems.push(`${client.url} could not be asked: ${(error instanceof Error ? error.message : String(error)).split("\n")[0] ?? ""}`);
        return { client, sessions: [] };
      }
    }),
  );
  const [single] = listed;
  if (single?.named !== undefined) return { session: single.named, client: single.client, url: single.client.url, opened: false, remoteHosts };
  const all = listed.flatMap((l) => l.sessions);
  const matches = pick(all, selector);
  const what = describeSelector(selector.sessionId !== undefined ? { sessionId: selector.sessionId } : selector.file !== undefined ? { file: selector.file } : {});
  const [only, ...more] = matches;
  if (only !== undefined && more.length === 0) {
    const client = listed.find((l) => l.client.url === only.url)?.client ?? clients[0];
    if (client === undefined) throw new NoServerError(notes);
    const exact = only.path !== null ? { file: only.path } : { sessionId: only.stableId ?? only.sessionId };
    // Listed just now: no second request to select it.
    return { session: client.sessionOf(only, exact), client, url: client.url, opened: false, remoteHosts };
  }
  const candidate = candidateOf(clients.length > 1);
  if (matches.length > 1) throw new AmbiguousSessionError(what, matches.map(candidate));
  if (selector.open === true && selector.file !== undefined) {
    return { ...(await openServed(selector.file, clients, options, problems, what)), remoteHosts };
  }
  throw new NoSessionError(what, all.map(candidate), { ...(clients.length > 1 ? { servers: clients.length } : {}), note: problems.join("\n") });
}

async function openServed(
  file: string,
  clients: readonly MarimoClient[],
  options: LocateOptions,
  problems: string[],
  what: string,
): Promise<Omit<FoundSession, "remoteHosts">> {
  const served = await Promise.all(
    clients.map(async (client) => {
      try {
        return (await client.servedNotebooks({ signal: options.signal })).map((n) => ({ ...n, client, filename: n.key }));
      } catch (error) {
        if (options.signal?.aborted === true) throw options.signal.reason;
        problems.push(`${client.url} could not list its notebooks: ${(error instanceof Error ? error.message : String(error)).split("\n")[0] ?? ""}`);
        return [];
      }
    }),
  );
  const matches = matchFile(served.flat(), file);
  const [only, ...more] = matches;
  if (only === undefined) {
    throw new NoSessionError(what, [], {
      ...(clients.length > 1 ? { servers: clients.length } : {}),
      note: [`No running server serves a notebook that matches${what}, so none was opened.`, ...problems].join("\n"),
    });
  }
  if (more.length > 0) {
    throw new AmbiguousSessionError(what, matches.map((m) => ({ sessionId: "", path: m.path, ...(clients.length > 1 ? { url: m.client.url } : {}) })));
  }
  const session = await only.client.openSession({
    file: only.key,
    ...(options.openTimeoutMs === undefined ? {} : { timeoutMs: options.openTimeoutMs }),
    signal: options.signal,
  });
  return { session, client: only.client, url: only.client.url, opened: true };
}

/**
 * Find a notebook session across every discovered marimo server (and any `urls`):
 * - `{ file }`: the session of that notebook (absolute path, path relative to its server's
 *   directory, or basename);
 * - `{ sessionId }`: that session;
 * - nothing: the only notebook open anywhere.
 *
 * With `open: true`, a notebook that a server serves but nobody has open is opened without
 * a browser (see {@link FindSessionSelector.open}).
 *
 * @throws {NoServerError} when no server runs (and no `urls` were given).
 * @throws {NoSessionError} when nothing matches; the message lists what is open where.
 * @throws {AmbiguousSessionError} when several match, on one server or several; `candidates` carry each `url`.
 * @throws {RemoteNotAllowedError} for a remote host in `urls` without `allowRemote`.
 * @example
 * ```ts
 * const nb = await findSession({ file: "analysis.py" });
 * console.log((await nb.execute("1 + 1")).output.data);
 * ```
 */
export async function findSession(selector: FindSessionSelector = {}, options: FindSessionOptions = {}): Promise<NotebookSession> {
  const { session } = await locateSession(selector, {
    urls: options.urls,
    discover: options.discover,
    token: options.token,
    allowRemote: options.allowRemote,
    env: options.env,
    openTimeoutMs: options.openTimeoutMs,
    signal: options.signal,
  });
  return session;
}

/** True when `session` was opened by {@link findSession} (or `client.openSession()`) and holds a connection. */
export function isOwnedSession(session: NotebookSession): session is OwnedSession {
  return session instanceof OwnedSession;
}
