/**
 * Live notebook events: a read-only attachment to a session over `GET {base}/sse`, decoded
 * into {@link NotebookEvent}s, reconnecting after transient disconnects.
 *
 * @module
 */
import { FEATURE_SINCE, isAtLeast } from "../version.js";
import { ConnectionError, ProtocolError, SessionOpenError, TimeoutError, UnsupportedVersionError } from "../errors.js";
import { readSse } from "../execute/sse.js";
import { randomConnectionId } from "./connection-id.js";
import { sleep } from "../sleep.js";
import { CloseEventSchema } from "../schemas/notifications.js";
import { parseJsonText, parseWire } from "../schemas/parse.js";
import type { SessionContext } from "./context.js";
import type { SessionInfo } from "./types.js";
import { decodeKernelMessage } from "./event-decode.js";
import type { NotebookEvent } from "./event-types.js";

/** Options of `nb.events()`. */
export interface EventsOptions {
  /** Stops the stream: the iteration ends without an error. */
  signal?: AbortSignal | undefined;
  /** Also yield cell and execution events of the scratchpad (`__scratch__`), where `execute()` runs. @default false */
  includeScratch?: boolean | undefined;
  /** Reconnect after a transient disconnect (a stream that ends without a `close` event). @default true */
  reconnect?: boolean | undefined;
  /** How long to keep trying to reconnect before giving up with the last error, in ms. @default 30000 */
  reconnectTimeoutMs?: number | undefined;
  /** Treat a connection that sends nothing (not even marimo's 20 s keep-alive) for this long as dropped, in ms. @default 60000 */
  idleTimeoutMs?: number | undefined;
}

/** The default {@link EventsOptions.reconnectTimeoutMs}. */
export const DEFAULT_RECONNECT_TIMEOUT_MS = 30_000;
/** The default {@link EventsOptions.idleTimeoutMs}. */
export const DEFAULT_EVENTS_IDLE_TIMEOUT_MS = 60_000;

const SCRATCH_CELL = "__scratch__";

function isScratch(event: NotebookEvent): boolean {
  return (event.type === "cell" || event.type === "execution") && event.cellId === SCRATCH_CELL;
}

/** Whether a failure of a connection that had worked may be retried. */
function isTransient(error: unknown): boolean {
  return !(error instanceof SessionOpenError || error instanceof ProtocolError || error instanceof UnsupportedVersionError);
}

/**
 * @internal Implementation of `nb.events()`: attach to the session as a kiosk viewer
 * (`kiosk=true`, a fresh connection id, the session's file) and decode its messages.
 */
export async function* watchEvents(
  ctx: SessionContext,
  target: () => SessionInfo,
  options: EventsOptions = {},
): AsyncGenerator<NotebookEvent, void, undefined> {
  const signal = options.signal;
  // A function, not a property read: TypeScript would keep the first check's narrowing.
  const aborted = (): boolean => signal?.aborted === true;
  if (aborted()) return;
  const version = await ctx.version(signal);
  if (!isAtLeast(version, FEATURE_SINCE.sseSessions)) {
    throw new UnsupportedVersionError("Live events (GET /sse)", version, FEATURE_SINCE.sseSessions);
  }
  const reconnectTimeoutMs = options.reconnectTimeoutMs ?? DEFAULT_RECONNECT_TIMEOUT_MS;
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_EVENTS_IDLE_TIMEOUT_MS;
  let everConnected = false;
  let failingSince: number | undefined;
  let attempt = 0;
  for (;;) {
    const connection = new AbortController();
    const stop = () => connection.abort(signal?.reason);
    signal?.addEventListener("abort", stop, { once: true });
    let idle: ReturnType<typeof setTimeout> | undefined;
    const silent = new TimeoutError("idle", idleTimeoutMs, ctx.http.target("GET", "/sse"), "Not even a keep-alive arrived.");
    const touch = () => {
      clearTimeout(idle);
      idle = setTimeout(() => connection.abort(silent), idleTimeoutMs);
    };
    let lastError: unknown;
    try {
      const info = target();
      const params: Record<string, string> = { session_id: randomConnectionId("w", 8), kiosk: "true" };
      const file = info.path ?? info.filename;
      if (file !== null) params["file"] = file;
      touch();
      const response = await ctx.http.request("GET", "/sse", {
        searchParams: params,
        accept: "text/event-stream",
        signal: connection.signal,
      });
      if (response.body === null) throw new ProtocolError("GET /sse: empty body.");
      for await (const message of readSse(response.body, { onChunk: touch })) {
        if (message.event === "close") {
          const close = parseWire(CloseEventSchema, parseJsonText(message.data, "GET /sse close event"), "GET /sse close event");
          if (!everConnected) {
            throw new SessionOpenError(close.code, close.reason, "The session may have been closed; list sessions again.");
          }
          yield { type: "closed", op: "close", code: close.code, reason: close.reason };
          return;
        }
        if (message.event !== undefined && message.event !== "message") continue;
        const event = decodeKernelMessage(message.data);
        everConnected = true;
        failingSince = undefined;
        attempt = 0;
        if (options.includeScratch !== true && isScratch(event)) continue;
        yield event;
      }
    } catch (error) {
      if (aborted()) return;
      const cause = connection.signal.reason === silent ? silent : error;
      if (!everConnected || !isTransient(cause)) throw cause;
      lastError = cause;
    } finally {
      clearTimeout(idle);
      signal?.removeEventListener("abort", stop);
      connection.abort();
    }
    // The stream ended without `close` (or the connection dropped): a transient disconnect.
    if (aborted() || options.reconnect === false) return;
    failingSince ??= Date.now();
    if (Date.now() - failingSince > reconnectTimeoutMs) {
      if (lastError !== undefined) throw lastError;
      throw new ConnectionError(ctx.http.target("GET", "/sse"), `no working event stream for ${reconnectTimeoutMs} ms`);
    }
    await sleep(Math.min(250 * 2 ** attempt, 5000), signal);
    attempt += 1;
    if (aborted()) return;
  }
}
