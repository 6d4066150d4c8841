/**
 * Loading the official MCP TypeScript SDK (`@modelcontextprotocol/sdk`), an optional peer
 * dependency: it is imported only when an MCP face is used, so `marimo-pair` itself stays
 * small and works without it.
 *
 * @module
 */
import { ErrorCode, MarimoPairError } from "./errors.js";

/** The SDK package this project speaks MCP through. */
export const MCP_SDK_PACKAGE = "@modelcontextprotocol/sdk";

/** The SDK is not installed next to `marimo-pair`. */
export class McpSdkMissingError extends MarimoPairError {
  /** Always `mcp_sdk_missing`. */
  declare readonly code: typeof ErrorCode.McpSdkMissing;

  constructor(options: { cause?: unknown } = {}) {
    super(
      ErrorCode.McpSdkMissing,
      `MCP needs the optional package ${MCP_SDK_PACKAGE}, which is not installed. ` +
        `Install it beside marimo-pair (npm install ${MCP_SDK_PACKAGE}), or run the server with ` +
        `npx -y -p marimo-pair -p ${MCP_SDK_PACKAGE} marimo-pair mcp.`,
      options,
    );
  }
}

/** True for "the SDK package cannot be found", also when a loader wrapped that error (its `cause`). */
function isMissing(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 3) return false;
  const code = (error as { code?: unknown }).code;
  if ((code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && error.message.includes(MCP_SDK_PACKAGE)) return true;
  return isMissing(error.cause, depth + 1);
}

/** Import `load()`'s module, turning "not installed" into {@link McpSdkMissingError}. */
async function optional<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isMissing(error)) throw new McpSdkMissingError({ cause: error });
    throw error;
  }
}

/** The SDK's client side: `Client` and the streamable-HTTP client transport. */
export async function loadMcpClient() {
  const [client, http] = await optional(() =>
    Promise.all([
      import("@modelcontextprotocol/sdk/client/index.js"),
      import("@modelcontextprotocol/sdk/client/streamableHttp.js"),
    ]),
  );
  return { Client: client.Client, StreamableHTTPClientTransport: http.StreamableHTTPClientTransport };
}

/** The SDK's low-level `Server` and the request schemas its handlers are registered for. */
export async function loadMcpServer() {
  const [server, types] = await optional(() =>
    Promise.all([import("@modelcontextprotocol/sdk/server/index.js"), import("@modelcontextprotocol/sdk/types.js")]),
  );
  return {
    Server: server.Server,
    ListToolsRequestSchema: types.ListToolsRequestSchema,
    CallToolRequestSchema: types.CallToolRequestSchema,
    isInitializeRequest: types.isInitializeRequest,
  };
}

/** The SDK's stdio server transport. */
export async function loadStdioServerTransport() {
  const stdio = await optional(() => import("@modelcontextprotocol/sdk/server/stdio.js"));
  return stdio.StdioServerTransport;
}

/** The SDK's streamable-HTTP server transport (Node `http`). */
export async function loadHttpServerTransport() {
  const http = await optional(() => import("@modelcontextprotocol/sdk/server/streamableHttp.js"));
  return http.StreamableHTTPServerTransport;
}
