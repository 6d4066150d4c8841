/**
 * {@link connectMcp} and {@link MarimoMcpClient}: a marimo server reached through its own
 * MCP server (`marimo edit --mcp code-mode`) instead of its HTTP API. Uses the optional
 * `@modelcontextprotocol/sdk`, loaded on the first call.
 *
 * @module
 */
import type { DiscoveredServer } from "../../discovery/types.js";
import { AuthError, ConnectionError, HttpError, type RequestTarget, TimeoutError } from "../../errors.js";
import { normalizeBaseUrl } from "../../http/base-url.js";
import { connect, type MarimoClient } from "../../session/client.js";
import { envToken } from "../../session/env-token.js";
import { selectSession } from "../../session/select.js";
import type { SessionInfo, SessionSelector } from "../../session/types.js";
import { parseWire } from "../../schemas/parse.js";
import { loadMcpClient } from "../../mcp-sdk.js";
import { type McpSessionContext, McpNotebookSession } from "./session.js";
import { McpCallResultSchema, McpListSessionsSchema } from "./wire.js";
import { authorizationHeader } from "../../http/auth.js";

/** Options of {@link connectMcp}. */
export interface McpConnectOptions {
  /**
   * The server's token, sent in an `Authorization: Basic` header (never in the URL).
   * @default process.env.MARIMO_TOKEN
   */
  token?: string | undefined;
  /** Allow a host that is not loopback. @default false */
  allowRemote?: boolean | undefined;
  /** A fetch implementation. @default globalThis.fetch */
  fetch?: typeof fetch | undefined;
  /**
   * Limit for connecting and for `list_sessions`, in ms.
   * @default 30000
   */
  timeoutMs?: number | undefined;
  /** Cancels connecting. */
  signal?: AbortSignal | undefined;
}

/** The default {@link McpConnectOptions.timeoutMs}. */
export const DEFAULT_MCP_CONNECT_TIMEOUT_MS = 30_000;

/** The path of marimo's code-mode MCP endpoint. marimo mounts it at the root, without its `--base-url`. */
export const MARIMO_MCP_PATH = "/mcp/server";

/** The smallest surface of the SDK's `Client` this module uses. */
interface SdkClient {
  callTool(
    params: { name: string; arguments: Record<string, unknown> },
    resultSchema?: undefined,
    options?: { signal?: AbortSignal; timeout?: number },
  ): Promise<unknown>;
  close(): Promise<void>;
}

/** Map a failure of the SDK (HTTP status, network, its own timeout) onto the SDK's typed errors. */
function mapFailure(error: unknown, target: RequestTarget, timeoutMs: number, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted === true) return signal.reason;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  // -32001 is the SDK's RequestTimeout.
  if (code === -32001) return new TimeoutError("total", timeoutMs, target, "The kernel was not interrupted.");
  if (typeof code === "number" && code >= 400 && code < 600) {
    const detail = message.replace(/^Streamable HTTP error: /, "");
    const details = { request: target, status: code, detail };
    if (code === 401) return new AuthError(details);
    if (code === 403) {
      return new HttpError(details, `${target.method} ${target.url}: HTTP 403 (${detail}). marimo's MCP server needs edit access: pass the server's token (or set MARIMO_TOKEN).`);
    }
    // Without --mcp, marimo's page routes answer 405 (POST) or 404 at /mcp/server.
    if (code === 404 || code === 405) {
      return new HttpError(details, `${target.method} ${target.url}: HTTP ${code}. Was marimo started with \`--mcp code-mode\` (and its mcp extra installed)?`);
    }
    if (code === 421) {
      return new HttpError(details, `${target.method} ${target.url}: HTTP 421 (${detail}). marimo's MCP server only answers its own host name; start it with --mcp-allow-remote behind a proxy.`);
    }
    return new HttpError(details);
  }
  if (error instanceof TypeError || /fetch failed|ECONNREFUSED|ECONNRESET/.test(message)) {
    return new ConnectionError(target, message, { cause: error });
  }
  return error;
}

/**
 * A marimo server reached through its MCP server. Obtain one with {@link connectMcp}; call
 * `close()` when done.
 */
export class MarimoMcpClient {
  readonly #client: SdkClient;
  readonly #http: MarimoClient;
  readonly #endpoint: string;
  readonly #timeoutMs: number;
  readonly #context: McpSessionContext;

  /** @internal Use {@link connectMcp}. */
  constructor(client: SdkClient, http: MarimoClient, endpoint: string, timeoutMs: number) {
    this.#client = client;
    this.#http = http;
    this.#endpoint = endpoint;
    this.#timeoutMs = timeoutMs;
    this.#context = {
      endpoint,
      url: http.url,
      call: (name, args, options) => this.#call(name, args, options),
      listSessions: (signal) => this.sessions({ signal }),
      select: selectSession,
      version: (signal) => this.#http.version({ signal }),
    };
  }

  /** The server's base URL (with its `--base-url` prefix). */
  get url(): string {
    return this.#http.url;
  }

  /** The MCP endpoint: `/mcp/server` at the server's root (marimo ignores `--base-url` there). */
  get endpoint(): string {
    return this.#endpoint;
  }

  async #call(
    name: string,
    args: Record<string, unknown>,
    options: { signal?: AbortSignal | undefined; timeoutMs: number },
  ): Promise<unknown> {
    const target: RequestTarget = { method: `MCP ${name}`, url: this.#endpoint };
    let raw: unknown;
    try {
      raw = await this.#client.callTool(
        { name, arguments: args },
        undefined,
        { timeout: options.timeoutMs, ...(options.signal === undefined ? {} : { signal: options.signal }) },
      );
    } catch (error) {
      throw mapFailure(error, target, options.timeoutMs, options.signal);
    }
    const result = parseWire(McpCallResultSchema, raw, `MCP ${name} result`);
    if (result.isError === true) {
      const detail = result.content.map((c) => c.text ?? "").join("\n").trim();
      throw new HttpError({ request: target, status: 200, detail }, `${target.method} ${target.url}: marimo's tool failed: ${detail}`);
    }
    if (result.structuredContent !== undefined) return result.structuredContent;
    // Servers without structured output put the JSON in a text block.
    const text = result.content.find((c) => c.type === "text")?.text;
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }

  /** The server's marimo version (asked over HTTP: marimo's MCP server does not report it). */
  version(options: { signal?: AbortSignal | undefined } = {}): Promise<string> {
    return this.#http.version(options);
  }

  /**
   * The sessions marimo's `list_sessions` reports (open or orphaned), mapped onto
   * {@link SessionInfo}: `stableId` is always null (marimo's MCP server does not report it),
   * `filename` is the basename.
   */
  async sessions(options: { signal?: AbortSignal | undefined } = {}): Promise<SessionInfo[]> {
    const raw = await this.#call("list_sessions", {}, { signal: options.signal, timeoutMs: this.#timeoutMs });
    const listed = parseWire(McpListSessionsSchema, raw, "MCP list_sessions result");
    return listed.sessions.map((s) => {
      const unsaved = s.path === "(unsaved notebook)";
      return { sessionId: s.session_id, stableId: null, filename: unsaved ? null : s.name, path: unsaved ? null : s.path };
    });
  }

  /**
   * Select a session: by `sessionId`, by `file`, or — with no selector — the only one.
   *
   * @throws {NoSessionError} when none matches; `AmbiguousSessionError` when several do.
   */
  async session(selector: SessionSelector = {}, options: { signal?: AbortSignal | undefined } = {}): Promise<McpNotebookSession> {
    const info = selectSession(await this.sessions(options), selector);
    return new McpNotebookSession(this.#context, selector, info);
  }

  /**
   * Close the MCP connection, and the HTTP client used for the version and interrupts.
   * Resolves once both are closed. Idempotent.
   */
  async close(): Promise<void> {
    await Promise.all([this.#client.close(), this.#http.close()]);
  }

  /** Same as `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/**
 * Connect to a marimo server through its own MCP server (started with
 * `marimo edit --mcp code-mode`, which needs marimo's `mcp` extra). Needs the optional
 * `@modelcontextprotocol/sdk` package.
 *
 * Compared with `connect()` (HTTP): execution does not stream, marimo stops waiting after
 * 30 s without interrupting the kernel, and neither interrupts nor restarts are offered.
 * Use it where only the MCP endpoint is reachable.
 *
 * @throws {McpSdkMissingError} when `@modelcontextprotocol/sdk` is not installed.
 * @throws {ConnectionError}, {@link AuthError} or {@link HttpError} when the MCP endpoint does not answer as expected.
 * @example
 * ```ts
 * const client = await connectMcp("http://127.0.0.1:2718");
 * try {
 *   const nb = await client.session({ file: "analysis.py" });
 *   console.log((await nb.execute("1 + 1")).output);
 * } finally {
 *   await client.close();
 * }
 * ```
 */
export async function connectMcp(server: string | URL | DiscoveredServer, options: McpConnectOptions = {}): Promise<MarimoMcpClient> {
  let input: string | URL;
  if (typeof server === "string" || server instanceof URL) input = server;
  else if (server.url !== null) input = server.url;
  else throw new ConnectionError({ method: "GET", url: `http://${server.serverId}/health` }, "the registry lists this server but nothing answered at its address");
  const base = normalizeBaseUrl(input, options.allowRemote === true);
  const given = options.token ?? envToken();
  const token = given === "" ? undefined : given;
  const timeoutMs = options.timeoutMs ?? DEFAULT_MCP_CONNECT_TIMEOUT_MS;
  const http = connect(base, { token, allowRemote: options.allowRemote, fetch: options.fetch, timeoutMs });
  const endpoint = new URL(MARIMO_MCP_PATH, base.origin);
  const { Client, StreamableHTTPClientTransport } = await loadMcpClient();
  const transport = new StreamableHTTPClientTransport(endpoint, {
    ...(token === undefined ? {} : { requestInit: { headers: { Authorization: authorizationHeader(token) } } }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  const client = new Client({ name: "marimo-pair", version: "0" }, { capabilities: {} });
  const signal = options.signal === undefined ? AbortSignal.timeout(timeoutMs) : AbortSignal.any([AbortSignal.timeout(timeoutMs), options.signal]);
  try {
    await client.connect(transport, { signal, timeout: timeoutMs });
  } catch (error) {
    await client.close().catch(() => undefined);
    if (options.signal?.aborted === true) throw options.signal.reason;
    throw mapFailure(error, { method: "MCP initialize", url: endpoint.href }, timeoutMs, undefined);
  }
  return new MarimoMcpClient(client as unknown as SdkClient, http, endpoint.href, timeoutMs);
}
