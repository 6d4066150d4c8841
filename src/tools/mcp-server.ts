/**
 * The marimo tools as an MCP server (what `marimo-pair mcp` runs): over stdio, or over
 * streamable HTTP on a loopback address. Every MCP connection gets its own toolset, so a
 * binding (`bind_notebook`) never crosses from one agent to another.
 *
 * Needs the optional `@modelcontextprotocol/sdk`, imported when a server starts.
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import { packageVersion } from "../package-version.js";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Readable, Writable } from "node:stream";
import { isLoopbackHost } from "../http/base-url.js";
import { loadHttpServerTransport, loadMcpServer, loadStdioServerTransport } from "../mcp-sdk.js";
import { createMarimoTools, type MarimoToolset, type MarimoToolsOptions } from "./toolset.js";
import type { ToolDefinition } from "./types.js";

/** What the server tells an agent when it connects (MCP `instructions`). */
export const MCP_INSTRUCTIONS = `Tools for pairing with a person on a live marimo notebook (a reactive Python notebook whose running kernel, not the .py file, is the truth).
- Start with discover_servers. Name the notebook in each call (url + file), or call bind_notebook once for this connection.
- Look with execute_code (runs in a scratchpad: reads notebook variables, changes no cells) and read_cells.
- Change the notebook with create_cell / edit_cell / run_cell / move_cell / delete_cell, or several at once with apply_operations. Read cells before editing them: marimo refuses to overwrite code you have not seen.
- Never write the notebook's .py file while it is open: marimo saves it. Install packages with install_packages, not pip.`;

/** Options of {@link serveMcpStdio} and {@link serveMcpHttp}: the toolset's options, per connection. */
export interface McpServeOptions extends MarimoToolsOptions {
  /** The version reported to clients. @default this package's version */
  version?: string | undefined;
}

/** The MCP form of a tool, as `tools/list` returns it. */
export interface McpToolListing {
  /** The name. */
  name: string;
  /** A title for people. */
  title: string;
  /** What it does. */
  description: string;
  /** Its input's JSON Schema. */
  inputSchema: Record<string, unknown>;
  /** Effect hints. */
  annotations: { title: string; readOnlyHint: boolean; destructiveHint: boolean; idempotentHint: boolean; openWorldHint: boolean };
}

/** Describe a tool for MCP's `tools/list`. */
export function mcpToolListing(tool: ToolDefinition): McpToolListing {
  return {
    name: tool.name,
    title: tool.annotations.title,
    description: tool.description,
    inputSchema: tool.jsonSchema,
    annotations: { ...tool.annotations },
  };
}

/** An SDK server wired to one toolset. */
async function buildServer(toolset: MarimoToolset, version: string) {
  const { Server, ListToolsRequestSchema, CallToolRequestSchema } = await loadMcpServer();
  const server = new Server({ name: "marimo-pair", version }, { capabilities: { tools: {} }, instructions: MCP_INSTRUCTIONS });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: toolset.tools.map(mcpToolListing) }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const progressToken = request.params._meta?.progressToken;
    const onProgress =
      progressToken === undefined
        ? undefined
        : (update: { progress: number; message: string }) => {
            extra
              .sendNotification({ method: "notifications/progress", params: { progressToken, progress: update.progress, message: update.message } })
              .catch(() => undefined);
          };
    const result = await toolset.call(request.params.name, request.params.arguments ?? {}, { signal: extra.signal, onProgress });
    return { content: result.content, structuredContent: result.structuredContent, isError: result.isError };
  });
  // Closing the connection also closes what the tools hold (screenshot browsers).
  const closeServer = server.close.bind(server);
  server.close = async () => {
    await closeServer();
    await toolset.close();
  };
  return server;
}

/** A running stdio MCP server. */
export interface McpStdioServer {
  /** Resolves when the connection has closed (the client went away, or `close()`). */
  readonly closed: Promise<void>;
  /** Stop serving. */
  close(): Promise<void>;
}

/**
 * Serve the marimo tools over stdio (one client: the process that started this one).
 * Nothing but MCP messages may be written to `stdout` while it runs.
 *
 * @throws {McpSdkMissingError} when `@modelcontextprotocol/sdk` is not installed.
 */
export async function serveMcpStdio(
  options: McpServeOptions = {},
  streams: { stdin?: Readable; stdout?: Writable } = {},
): Promise<McpStdioServer> {
  const StdioServerTransport = await loadStdioServerTransport();
  const server = await buildServer(createMarimoTools(options), options.version ?? (await packageVersion("0.0.0")));
  const stdin = streams.stdin ?? process.stdin;
  const transport = new StdioServerTransport(stdin, streams.stdout ?? process.stdout);
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  server.onclose = () => resolveClosed();
  await server.connect(transport);
  // The client closing its end of the pipe ends the session.
  const onEnd = () => void server.close();
  stdin.once("end", onEnd);
  stdin.once("close", onEnd);
  return {
    closed,
    async close() {
      stdin.off("end", onEnd);
      stdin.off("close", onEnd);
      await server.close();
    },
  };
}

/** Options of {@link serveMcpHttp}. */
export interface McpHttpOptions extends McpServeOptions {
  /** A loopback address to listen on (`127.0.0.1`, `::1` or `localhost`). @default "127.0.0.1" */
  host?: string | undefined;
  /** The port; 0 picks a free one. @default 0 */
  port?: number | undefined;
}

/** A running streamable-HTTP MCP server. */
export interface McpHttpServer {
  /** The MCP endpoint, e.g. `http://127.0.0.1:41234/mcp`. */
  readonly url: string;
  /** Open MCP sessions (one per connected client). */
  readonly sessions: number;
  /** Stop listening and close every session. */
  close(): Promise<void>;
}

/** How long an HTTP client's MCP session may stay silent before it is closed, in ms (one hour). */
export const MCP_SESSION_IDLE_MS = 60 * 60 * 1000;

/** Largest request body accepted, in bytes. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new RangeError("request body too large");
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  return text === "" ? undefined : (JSON.parse(text) as unknown);
}

function reply(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }));
}

/**
 * Serve the marimo tools over MCP streamable HTTP at `/mcp` on a loopback address. Each
 * client's MCP session has its own toolset (and binding). Requests whose `Host` or
 * `Origin` is not this loopback address are refused (DNS-rebinding protection).
 *
 * @throws {RangeError} for a host that is not loopback.
 * @throws {McpSdkMissingError} when `@modelcontextprotocol/sdk` is not installed.
 */
export async function serveMcpHttp(options: McpHttpOptions = {}): Promise<McpHttpServer> {
  const host = options.host ?? "127.0.0.1";
  if (!isLoopbackHost(host) || host === "0.0.0.0" || host === "::") {
    throw new RangeError(`Refusing to serve MCP on '${host}': only loopback addresses (127.0.0.1, ::1, localhost) are allowed.`);
  }
  const StreamableHTTPServerTransport = await loadHttpServerTransport();
  const { isInitializeRequest } = await loadMcpServer();
  const version = options.version ?? (await packageVersion("0.0.0"));
  type Session = { transport: InstanceType<typeof StreamableHTTPServerTransport>; close(): Promise<void>; seen: number };
  const sessions = new Map<string, Session>();
  let allowedHosts: string[] = [];
  let allowedOrigins: string[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (path !== "/mcp") return reply(res, 404, "Not found: the MCP endpoint is /mcp.");
    if (!allowedHosts.includes(req.headers.host ?? "")) return reply(res, 403, "Invalid Host header.");
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins.includes(origin)) return reply(res, 403, "Invalid Origin header.");
    const header = req.headers["mcp-session-id"];
    const sessionId = typeof header === "string" ? header : undefined;
    if (req.method === "POST") {
      const body = await readBody(req);
      if (sessionId !== undefined) {
        const session = sessions.get(sessionId);
        if (session === undefined) return reply(res, 404, "Unknown MCP session; initialize again.");
        session.seen = Date.now();
        return session.transport.handleRequest(req, res, body);
      }
      if (!isInitializeRequest(body)) return reply(res, 400, "No MCP session: send initialize first.");
      const server = await buildServer(createMarimoTools(options), version);
      const transport: InstanceType<typeof StreamableHTTPServerTransport> = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        enableDnsRebindingProtection: true,
        allowedHosts,
        onsessioninitialized: (id) => {
          sessions.set(id, { transport, close: () => server.close(), seen: Date.now() });
        },
      });
      transport.onclose = () => {
        if (transport.sessionId !== undefined) sessions.delete(transport.sessionId);
      };
      await server.connect(transport);
      return transport.handleRequest(req, res, body);
    }
    if (req.method === "GET" || req.method === "DELETE") {
      const session = sessionId === undefined ? undefined : sessions.get(sessionId);
      if (session === undefined) return reply(res, sessionId === undefined ? 400 : 404, "Unknown or missing MCP session.");
      session.seen = Date.now();
      return session.transport.handleRequest(req, res);
    }
    res.writeHead(405, { allow: "GET, POST, DELETE" }).end();
  };

  const http = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) reply(res, error instanceof SyntaxError || error instanceof RangeError ? 400 : 500, error instanceof Error ? error.message : String(error));
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(options.port ?? 0, host, () => resolve());
  });
  const address = http.address();
  if (address === null || typeof address === "string") throw new Error("The MCP HTTP server has no address.");
  const port = address.port;
  allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  allowedOrigins = allowedHosts.map((h) => `http://${h}`);
  // Clients that vanish without closing their session: forget them after an idle hour.
  const sweep = setInterval(() => {
    for (const [id, session] of sessions) {
      if (Date.now() - session.seen > MCP_SESSION_IDLE_MS) {
        sessions.delete(id);
        void session.close().catch(() => undefined);
      }
    }
  }, 60_000);
  sweep.unref();
  const shown = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown}:${port}/mcp`,
    get sessions() {
      return sessions.size;
    },
    async close() {
      clearInterval(sweep);
      await Promise.all([...sessions.values()].map((s) => s.close().catch(() => undefined)));
      sessions.clear();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
