/**
 * `marimo-pair/tools`: agent tools for live marimo notebooks, framework-neutral — each a
 * name, a description, a zod input schema, its JSON Schema, effect hints and a handler —
 * plus the MCP faces over them: an MCP server (`serveMcpStdio`, `serveMcpHttp`, what
 * `marimo-pair mcp` runs) and a client for marimo's own MCP server (`connectMcp`).
 *
 * The MCP parts need the optional package `@modelcontextprotocol/sdk`, imported only when
 * they are used; the tools themselves do not.
 *
 * @example
 * ```ts
 * import { createMarimoTools } from "marimo-pair/tools";
 *
 * const toolset = createMarimoTools({ bind: { url: "http://127.0.0.1:2718", file: "analysis.py" } });
 * for (const tool of toolset.tools) console.log(tool.name, tool.annotations.destructiveHint);
 * const result = await toolset.call("execute_code", { code: "print(df.shape)" });
 * ```
 *
 * @module
 */
export { createMarimoTools, TOOL_NAMES, type MarimoToolset, type MarimoToolsOptions, type ToolName } from "./tools/toolset.js";
export type {
  ToolAnnotations,
  ToolCallContext,
  ToolContent,
  ToolDefinition,
  ToolProgress,
  ToolResult,
} from "./tools/types.js";
export {
  serveMcpHttp,
  serveMcpStdio,
  type McpHttpOptions,
  type McpHttpServer,
  type McpServeOptions,
  type McpStdioServer,
} from "./tools/mcp-server.js";
export { McpSdkMissingError } from "./mcp-sdk.js";
export { connectMcp, MarimoMcpClient, type McpConnectOptions } from "./transports/marimo-mcp/client.js";
export { McpNotebookSession, type McpExecuteOptions } from "./transports/marimo-mcp/session.js";
export type { McpExecuteResult } from "./transports/marimo-mcp/result.js";
