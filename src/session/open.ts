/**
 * Browser-less sessions: hold a notebook open over `GET /sse` (marimo ≥ 0.23.14) or,
 * on older servers, over the `/ws` WebSocket.
 *
 * @module
 */
import { AuthError, ProtocolError, ServerFlagsRequiredError, SessionOpenError, TimeoutError, UnsupportedVersionError } from "../errors.js";
import { readSse, type SseMessage } from "../execute/sse.js";
import { FEATURE_SINCE, isAtLeast } from "../version.js";
import { CloseEventSchema, KernelMessageSchema, KernelReadySchema } from "../schemas/notifications.js";
import { parseJsonText, parseWire } from "../schemas/parse.js";
import { randomConnectionId } from "./connection-id.js";
import { envToken } from "./env-token.js";
import type { SessionContext } from "./context.js";
import { NotebookSession } from "./notebook.js";
import type { SessionInfo } from "./types.js";
import { authorizationHeader } from "../http/auth.js";

/** Options of `client.openSession()`. */
export interface OpenSessionOptions {
  /**
   * The notebook: a path relative to the server's directory, or absolute. Optional when
   * the server runs a single notebook.
   */
  file?: string | undefined;
  /** This connection's own id. @default a random `s_` id */
  connectionId?: string | undefined;
  /**
   * `sse` (marimo ≥ 0.23.14), `ws`, or `auto`: SSE when the server has it, else WebSocket.
   * @default "auto"
   */
  transport?: "auto" | "sse" | "ws" | undefined;
  /** How long to wait for the kernel to be ready, in ms. @default 60000 */
  timeoutMs?: number | undefined;
  /** Cancels opening (not the open session: use `close()` for that). */
  signal?: AbortSignal | undefined;
}

/** The default {@link OpenSessionOptions.timeoutMs}. */
export const DEFAULT_OPEN_TIMEOUT_MS = 60_000;

/** How this connection joined the notebook. */
export type SessionRole = "editor" | "viewer";

/** The connection behind an {@link OwnedSession}. */
interface Connection {
  /** Resolves with the first kernel message (`kernel-ready` or `reconnected`). */
  ready: Promise<Record<string, unknown>>;
  /** Resolves when the connection is gone. */
  closed: Promise<void>;
  close(): void;
}

const CLOSE_HINTS: Record<string, string> = {
  MARIMO_UNAUTHORIZED: "Pass the server's token (or set MARIMO_TOKEN).",
  MARIMO_NO_FILE_KEY: "The server serves a directory: pass `file`.",
  MARIMO_KERNEL_STARTUP_ERROR: "The kernel failed to start; see the server's log.",
  MARIMO_NOT_ALLOWED: "The server does not allow this connection.",
  MARIMO_SHUTDOWN: "The server is shutting down.",
};

function closeError(raw: unknown): SessionOpenError {
  const close = parseWire(CloseEventSchema, raw, "GET /sse close event");
  return new SessionOpenError(close.code, close.reason, CLOSE_HINTS[close.reason] ?? "See the server's log.");
}

function kernelMessage(text: string, what: string): Record<string, unknown> {
  const message = parseWire(KernelMessageSchema, parseJsonText(text, what), what);
  return { ...message.data, op: message.op };
}

function connectSse(ctx: SessionContext, params: Record<string, string>): Connection {
  const controller = new AbortController();
  const combined = controller.signal;
  let resolveReady!: (m: Record<string, unknown>) => void;
  let rejectReady!: (e: unknown) => void;
  const ready = new Promise<Record<string, unknown>>((res, rej) => {
    resolveReady = res;
    rejectReady = rej;
  });
  const closed = (async () => {
    try {
      const response = await ctx.http.request("GET", "/sse", {
        searchParams: params,
        accept: "text/event-stream",
        signal: combined,
      });
      if (response.body === null) throw new ProtocolError("GET /sse: empty body.");
      let first = true;
      for await (const message of readSse(response.body) as AsyncIterable<SseMessage>) {
        if (message.event === "close") throw closeError(parseJsonText(message.data, "GET /sse close event"));
        if (message.event !== undefined && message.event !== "message") continue;
        if (first) {
          first = false;
          resolveReady(kernelMessage(message.data, "GET /sse message"));
        }
      }
      rejectReady(new ProtocolError("GET /sse ended before the kernel was ready."));
    } catch (error) {
      rejectReady(combined.aborted ? combined.reason : error);
    }
  })();
  return { ready, closed, close: () => controller.abort(new DOMException("closed", "AbortError")) };
}

function connectWs(ctx: SessionContext, params: Record<string, string>, token: string | undefined): Connection {
  const base = ctx.http.baseUrl;
  const url = new URL(`${base.pathname.replace(/\/+$/, "")}/ws`, base);
  url.protocol = base.protocol === "https:" ? "wss:" : "ws:";
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  // Node's WebSocket (undici) accepts headers, which keeps the token out of the URL.
  const init = token === undefined ? undefined : { headers: { Authorization: authorizationHeader(token) } };
  const socket = new WebSocket(url, init as unknown as string[]);
  let resolveReady!: (m: Record<string, unknown>) => void;
  let rejectReady!: (e: unknown) => void;
  const ready = new Promise<Record<string, unknown>>((res, rej) => {
    resolveReady = res;
    rejectReady = rej;
  });
  const closed = new Promise<void>((resolve) => {
    socket.addEventListener("close", (event) => {
      rejectReady(new SessionOpenError(event.code, event.reason || "closed", CLOSE_HINTS[event.reason] ?? "See the server's log."));
      resolve();
    });
  });
  socket.addEventListener("message", (event) => {
    try {
      resolveReady(kernelMessage(String(event.data), "/ws message"));
    } catch (error) {
      rejectReady(error);
    }
  });
  socket.addEventListener("error", () => undefined);
  return { ready, closed, close: () => socket.close(1000) };
}

/**
 * A session this client holds open without a browser. `close()` ends the connection;
 * the session itself stays on the server.
 */
export class OwnedSession extends NotebookSession {
  readonly #connection: Connection;
  /** `editor` when this connection drives the session, `viewer` when a browser already does. */
  readonly role: SessionRole;
  /** True when an existing session was resumed rather than created. */
  readonly resumed: boolean;
  /** This connection's own id (a viewer's id also routes requests to its session). */
  readonly connectionId: string;
  readonly #untrack: () => void;
  #closing: Promise<void> | undefined;

  /** @internal Use `client.openSession()`. */
  constructor(
    ctx: SessionContext,
    file: string | undefined,
    info: SessionInfo,
    connection: Connection,
    details: { role: SessionRole; resumed: boolean; connectionId: string },
  ) {
    super(ctx, file === undefined ? { sessionId: info.stableId ?? info.sessionId } : { file }, info);
    this.#connection = connection;
    this.role = details.role;
    this.resumed = details.resumed;
    this.connectionId = details.connectionId;
    // `client.close()` closes this connection too; a connection the server closed is forgotten.
    this.#untrack = ctx.handles.add({ close: () => this.close() });
    void connection.closed.then(() => this.#untrack());
  }

  /** Resolves when the connection has ended (after `close()`, or when the server closed it). */
  get closed(): Promise<void> {
    return this.#connection.closed;
  }

  /**
   * End what this object has in flight (executions, event streams, see
   * `NotebookSession.close()`), then close the connection that holds the session open, and
   * resolve once it is closed. The session stays on the server (orphaned) and can be resumed.
   * Idempotent.
   */
  override close(): Promise<void> {
    this.#closing ??= (async () => {
      await super.close();
      this.#connection.close();
      await this.#connection.closed;
      this.#untrack();
    })();
    return this.#closing;
  }
}

/** @internal Implementation of `client.openSession()`. */
export async function openSession(
  ctx: SessionContext,
  options: OpenSessionOptions,
  connectOptions: { token?: string | undefined },
): Promise<OwnedSession> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_OPEN_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
  let transport = options.transport ?? "auto";
  if (transport !== "ws") {
    const version = await ctx.version(signal);
    const sse = isAtLeast(version, FEATURE_SINCE.sseSessions);
    if (transport === "sse" && !sse) throw new UnsupportedVersionError('openSession({ transport: "sse" })', version, FEATURE_SINCE.sseSessions);
    transport = sse ? "sse" : "ws";
  }
  const connectionId = options.connectionId ?? randomConnectionId("s", 6);
  const params: Record<string, string> = { session_id: connectionId };
  if (options.file !== undefined) params["file"] = options.file;
  const token = connectOptions.token ?? envToken();
  const connection = transport === "sse" ? connectSse(ctx, params) : connectWs(ctx, params, token === "" ? undefined : token);
  // The deadline and the caller's signal govern opening only, not the open session.
  const onAbort = () => connection.close();
  signal.addEventListener("abort", onAbort, { once: true });
  let first: Record<string, unknown>;
  try {
    first = await connection.ready;
  } catch (error) {
    connection.close();
    if (options.signal?.aborted === true) throw options.signal.reason;
    if (timeout.aborted) {
      throw new TimeoutError("total", timeoutMs, ctx.http.target("GET", `/${transport}`), "The kernel did not become ready.");
    }
    // marimo refuses a WebSocket upgrade without the token by answering it over HTTP, which
    // the socket shows only as 1006: ask over HTTP whether the token was the reason.
    if (error instanceof SessionOpenError && error.closeCode === 1006) {
      const refused = await ctx.listSessions(options.signal).then(
        () => undefined,
        (probe: unknown) => (probe instanceof AuthError ? probe : undefined),
      );
      if (refused !== undefined) throw refused;
    }
    throw error;
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
  const ready = first["op"] === "kernel-ready" ? parseWire(KernelReadySchema, first, "kernel-ready") : undefined;
  const stableId = ready?.stable_session_id ?? null;
  // marimo < 0.22.3 with a token or skew protection lists no sessions: the id is known anyway.
  const sessions = await ctx.listSessions(options.signal).catch((error: unknown) => {
    if (error instanceof ServerFlagsRequiredError) return [];
    connection.close();
    throw error;
  });
  const info: SessionInfo = sessions.find(
    (s) => (stableId !== null && s.stableId === stableId) || s.sessionId === connectionId,
  ) ?? { sessionId: connectionId, stableId, filename: options.file ?? null, path: null };
  const viewer = ready?.consumer_capabilities?.edit === false;
  return new OwnedSession(ctx, options.file, info, connection, {
    role: viewer ? "viewer" : "editor",
    resumed: ready === undefined || ready.resumed === true,
    connectionId,
  });
}
