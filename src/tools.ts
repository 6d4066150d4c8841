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
export {
  createMarimoTools,
  DEFAULT_EXECUTE_TIMEOUT_MS,
  DEFAULT_MAX_IMAGE_BYTES,
  TOOL_NAMES,
  type MarimoToolset,
  type MarimoToolsOptions,
  type ToolName,
} from "./tools/toolset.js";
export type {
  ToolAnnotations,
  ToolCallContext,
  ToolContent,
  ToolDefinition,
  ToolImageContent,
  ToolProgress,
  ToolResult,
  ToolTextContent,
} from "./tools/types.js";
export {
  budgetOf,
  budgetText,
  DEFAULT_OUTPUT_BUDGET,
  HeadTailCollector,
  type BudgetedText,
  type OutputBudget,
  type OutputCut,
} from "./tools/budget.js";
export { NotebookNotNamedError, NotebookTargetSchema, ServerNotFoundError, type NotebookTarget } from "./tools/target.js";
export {
  ApplyOperationsInput,
  CellInputSchema,
  CellOutputInput,
  CreateCellInput,
  DeleteCellInput,
  EditCellInput,
  ExecuteCodeInput,
  InstallPackagesInput,
  ListSessionsInput,
  MoveCellInput,
  NoInput,
  NotebookInput,
  ReadCellsInput,
  RemovePackagesInput,
  RunCellInput,
  SetUiValueInput,
} from "./tools/inputs.js";
export { EXECUTE_HEARTBEAT_MS } from "./tools/definitions/execute.js";
export {
  CellTargetJsonSchema,
  CreateCellJsonSchema,
  DeleteCellJsonSchema,
  EditCellJsonSchema,
  InstallPackagesJsonSchema,
  MoveCellJsonSchema,
  OperationJsonSchema,
  OperationListJsonSchema,
  RemovePackagesJsonSchema,
  RunCellJsonSchema,
  SetUiValueJsonSchema,
  type CellTargetJson,
  type OperationJson,
  type OperationListJson,
} from "./schemas/operations.js";
export { planFromOperations, type CreatedByOperation } from "./codemode/json-operations.js";
export {
  MCP_INSTRUCTIONS,
  MCP_SESSION_IDLE_MS,
  mcpToolListing,
  serveMcpHttp,
  serveMcpStdio,
  type McpHttpOptions,
  type McpHttpServer,
  type McpServeOptions,
  type McpStdioServer,
  type McpToolListing,
} from "./tools/mcp-server.js";
export { MCP_SDK_PACKAGE, McpSdkMissingError } from "./mcp-sdk.js";
export {
  connectMcp,
  DEFAULT_MCP_CONNECT_TIMEOUT_MS,
  MARIMO_MCP_PATH,
  MarimoMcpClient,
  type McpConnectOptions,
} from "./transports/marimo-mcp/client.js";
export {
  DEFAULT_MCP_EXECUTE_TIMEOUT_MS,
  MARIMO_MCP_EXECUTION_LIMIT_MS,
  McpNotebookSession,
  type McpExecuteOptions,
  type McpSessionContext,
} from "./transports/marimo-mcp/session.js";
export type { McpExecuteResult } from "./transports/marimo-mcp/result.js";
