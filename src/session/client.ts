/**
 * {@link connect} and {@link MarimoClient}: one marimo server, its sessions.
 *
 * @module
 */
import type { DiscoveredServer } from "../discovery/types.js";
import { ConnectionError, ServerFlagsRequiredError } from "../errors.js";
import { createHttp, type Http } from "../http/client.js";
import { normalizeBaseUrl } from "../http/base-url.js";
import { HealthResponseSchema, ServerStatusResponseSchema, SessionsResponseSchema } from "../schemas/sessions.js";
import type { SessionContext } from "./context.js";
import { HandleSet } from "./handles.js";
import { NotebookSession } from "./notebook.js";
import type { SignalOptions } from "./types.js";
import type { OpenSessionOptions, OwnedSession } from "./open.js";
import { selectSession } from "./select.js";
import { envToken } from "./env-token.js";
import type { SessionInfo, SessionSelector } from "./types.js";
import { servedNotebooks, type ServedNotebook } from "./workspace.js";

/** Options of {@link connect}. */
export interface ConnectOptions {
  /**
   * The server's token (for servers started without `--no-token`), sent as the password of
   * an `Authorization: Basic` header, which every marimo release accepts. Prefer the
   * environment variable over a command-line argument.
   * @default process.env.MARIMO_TOKEN
   */
  token?: string | undefined;
  /**
   * Allow a host that is not loopback. Code and tokens then leave this machine.
   * @default false
   */
  allowRemote?: boolean | undefined;
  /** A fetch implementation (tests, proxies, other runtimes). @default globalThis.fetch */
  fetch?: typeof fetch | undefined;
  /**
   * How long to wait for response headers, in ms, and again for reading a JSON or error body.
   * Executions are not limited by it once marimo answered (see `timeoutMs` of `execute`).
   * @default 30000
   */
  timeoutMs?: number | undefined;
  /** Extra headers sent with every request. */
  headers?: Record<string, string> | undefined;
}

/** The default {@link ConnectOptions.timeoutMs}. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;

/** What `GET /api/status` reports, in camelCase. */
export interface ServerStatus {
  /** Always `healthy`. */
  status: string;
  /** `edit` or `run`. */
  mode: string;
  /** marimo version. */
  version: string;
  /** Number of sessions. */
  sessions: number;
  /** The file of each session (`__new__` for unsaved ones). */
  filenames: string[];
  /** Python version of the server, when reported. */
  pythonVersion: string | null;
}

/** A client for one marimo server. Obtain one with {@link connect}. */
export class MarimoClient {
  readonly #http: Http;
  readonly #options: ConnectOptions;
  #version: Promise<string> | undefined;
  readonly #context: SessionContext;
  readonly #release: (() => Promise<void>) | undefined;
  #closing: Promise<void> | undefined;

  /**
   * @internal Use {@link connect}. `release` frees what the client owns besides its
   * sessions' work (the Node entry's connection pool), after `close()` ended that work.
   */
  constructor(http: Http, options: ConnectOptions, release?: () => Promise<void>) {
    this.#http = http;
    this.#options = options;
    this.#release = release;
    this.#context = {
      http,
      listSessions: (signal) => this.sessions({ signal }),
      select: selectSession,
      version: (signal) => this.version({ signal }),
      interrupted: new Map(),
      handles: new HandleSet(),
      executions: new Map(),
    };
  }

  /**
   * End everything this client has in flight, across all its session objects: executions
   * (interrupting their runs), event streams, sessions it holds open (`openSession`), and
   * waits; then close its idle connections (the Node entry's `connect` keeps a pool per
   * client). Resolves once all of it is gone, so a script that ends with `await
   * client.close()` exits. Executions and event streams started afterwards are aborted at
   * once. Idempotent.
   *
   * @example
   * ```ts
   * await using client = connect("http://127.0.0.1:2718");
   * const nb = await client.openSession({ file: "analysis.py" });
   * await nb.execute("print(1)");
   * // client.close() runs here: the session's connection and the pool are closed.
   * ```
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#context.handles.closeAll();
      await this.#release?.().catch(() => undefined);
    })();
    return this.#closing;
  }

  /** Same as `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** The server's base URL (with its `--base-url` prefix), without a trailing slash. */
  get url(): string {
    return this.#http.baseUrl.href.replace(/\/$/, "");
  }

  /**
   * Check that a marimo server answers `GET /health` with `healthy`.
   *
   * @throws {ConnectionError} when nothing answers; {@link ProtocolError} when something else does.
   */
  async health(options: SignalOptions = {}): Promise<{ status: string }> {
    const body = await this.#http.json("GET", "/health", HealthResponseSchema, { signal: options.signal });
    return { status: body.status };
  }

  /** The server's marimo version (`GET /api/version`), cached after the first call. */
  version(options: SignalOptions = {}): Promise<string> {
    if (this.#version === undefined) {
      const pending = this.#http.text("/api/version", { signal: options.signal }).then((text) => text.trim());
      this.#version = pending;
      // A failed lookup is not cached.
      pending.catch(() => {
        if (this.#version === pending) this.#version = undefined;
      });
    }
    return this.#version;
  }

  /** Server status (`GET /api/status`): mode, version, sessions. */
  async status(options: SignalOptions = {}): Promise<ServerStatus> {
    const body = await this.#http.json("GET", "/api/status", ServerStatusResponseSchema, { signal: options.signal });
    return {
      status: body.status,
      mode: body.mode,
      version: body.version,
      sessions: body.sessions,
      filenames: body.filenames,
      pythonVersion: body.python_version ?? null,
    };
  }

  /** The open sessions (`GET /api/sessions`), in creation order. */
  async sessions(options: SignalOptions = {}): Promise<SessionInfo[]> {
    const body = await this.#http.json("GET", "/api/sessions", SessionsResponseSchema, { signal: options.signal });
    return Object.entries(body).map(([sessionId, entry]) => ({
      sessionId,
      stableId: entry.session_id ?? null,
      filename: entry.filename,
      path: entry.path,
    }));
  }

  /**
   * Select an open session: by `sessionId`, by `file`, or — with no selector — the only one.
   *
   * marimo before 0.22.3 lists sessions only when started with `--no-token` and
   * `--no-skew-protection`. On such a server a `sessionId` selector is used as given, without
   * the listing (its first call tells whether marimo knows it; `filename` and `path` are null).
   *
   * @throws {NoSessionError} when none matches (the message lists the open sessions).
   * @throws {AmbiguousSessionError} when several match.
   * @throws {ServerFlagsRequiredError} when marimo refuses to list sessions and the selector
   *   is not a `sessionId`.
   * @example
   * ```ts
   * const nb = await client.session({ file: "analysis.py" });
   * ```
   */
  async session(selector: SessionSelector = {}, options: SignalOptions = {}): Promise<NotebookSession> {
    let sessions: SessionInfo[];
    try {
      sessions = await this.sessions(options);
    } catch (error) {
      if (!(error instanceof ServerFlagsRequiredError) || selector.sessionId === undefined) throw error;
      return this.sessionOf({ sessionId: selector.sessionId, stableId: null, filename: null, path: null }, selector);
    }
    return this.sessionOf(selectSession(sessions, selector), selector);
  }

  /**
   * @internal The session object for `info` as already listed, without another request.
   * Calls go to `info`'s id first; when marimo no longer knows it, `selector` finds the
   * session again (see `NotebookSession`), so a provisional `info` (an id the caller named,
   * never listed) is checked by the first call itself.
   */
  sessionOf(info: SessionInfo, selector: SessionSelector): NotebookSession {
    const { sessionId, stableId, filename, path } = info;
    return new NotebookSession(this.#context, selector, { sessionId, stableId, filename, path });
  }

  /**
   * @internal The notebooks this server serves, open or not (`findSession` opens them on demand).
   */
  servedNotebooks(options: SignalOptions = {}): Promise<ServedNotebook[]> {
    return servedNotebooks(this.#http, options.signal);
  }

  /**
   * Open a notebook without a browser, for bots and CI: marimo starts (or resumes) the
   * notebook's session, and this client holds it open until `close()`.
   *
   * While a person has the notebook open in a browser, this joins as a viewer — the
   * person's editor is not taken over, and execution works. If nobody has it open, the
   * existing session is resumed (a browser opened later joins as a viewer and can take over).
   * After `close()` the session stays alive on the server (orphaned) until marimo's
   * `--session-ttl`, if any.
   *
   * @example
   * ```ts
   * const nb = await client.openSession({ file: "analysis.py" });
   * try { await nb.execute("print(1)") } finally { await nb.close() }
   * ```
   */
  async openSession(options: OpenSessionOptions): Promise<OwnedSession> {
    // Loaded on first use: a process that only uses open sessions does not load it.
    const { openSession } = await import("./open.js");
    return openSession(this.#context, options, this.#options);
  }
}

/**
 * Connect to a marimo server: a URL (with its `--base-url` prefix, if any) or a server
 * found by `discoverServers()`. No request is made until the first call.
 *
 * @throws {TypeError} for a malformed URL.
 * @throws {RemoteNotAllowedError} for a non-loopback host without `allowRemote`.
 * @throws {ConnectionError} for a discovered server whose URL did not answer.
 * @example
 * ```ts
 * const client = connect("http://127.0.0.1:2718");
 * console.log(await client.sessions());
 * ```
 */
export function connect(server: string | URL | DiscoveredServer, options: ConnectOptions = {}): MarimoClient {
  return connectReleasing(server, options, undefined);
}

/** @internal {@link connect}, with what `close()` must free besides the sessions' work. */
export function connectReleasing(
  server: string | URL | DiscoveredServer,
  options: ConnectOptions,
  release: (() => Promise<void>) | undefined,
): MarimoClient {
  const baseUrl = serverBaseUrl(server, options.allowRemote === true);
  const http = createHttp({
    baseUrl,
    token: options.token ?? envToken(),
    fetch: options.fetch,
    timeoutMs: options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    headers: options.headers,
  });
  return new MarimoClient(http, options, release);
}

/**
 * @internal The normalised base URL of a server given as a URL or found by discovery.
 *
 * @throws {TypeError}, {RemoteNotAllowedError} as `normalizeBaseUrl`; {ConnectionError} for a
 * discovered server whose URL did not answer.
 */
export function serverBaseUrl(server: string | URL | DiscoveredServer, allowRemote: boolean): URL {
  let input: string | URL;
  if (typeof server === "string" || server instanceof URL) input = server;
  else if (server.url !== null) input = server.url;
  else {
    throw new ConnectionError(
      { method: "GET", url: `http://${server.serverId}/health` },
      "the registry lists this server but nothing answered at its address",
    );
  }
  return normalizeBaseUrl(input, allowRemote);
}
