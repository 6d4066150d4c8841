/**
 * The results of marimo's code-mode MCP tools (`marimo edit --mcp code-mode`), as zod
 * schemas. Loose objects, so fields added by later marimo versions pass.
 *
 * @module
 */
import * as z from "../../schemas/zod.js";

/** One entry of `list_sessions`: `name` is the basename or `new notebook`, `path` may be `(unsaved notebook)`. */
export const McpNotebookInfoSchema = z.lazy(() => z.looseObject({
  name: z.string(),
  path: z.string(),
  session_id: z.string(),
}));

/** The result of `list_sessions` (newest first; open and orphaned sessions only). */
export const McpListSessionsSchema = z.lazy(() => z.looseObject({ sessions: z.array(McpNotebookInfoSchema) }));
/** The result of `list_sessions`. */
export type McpListSessions = z.infer<typeof McpListSessionsSchema>;

/**
 * The result of `execute_code` (`CodeExecutionResult`). `output_mimetype` appeared in
 * marimo 0.25.2 (absent before).
 */
export const McpExecutionSchema = z.lazy(() => z.looseObject({
  success: z.boolean(),
  output: z.optional(z.nullable(z.string())),
  stdout: z._default(z.array(z.string()), []),
  stderr: z._default(z.array(z.string()), []),
  errors: z._default(z.array(z.string()), []),
  error: z.optional(z.nullable(z.string())),
  output_mimetype: z.optional(z.nullable(z.string())),
}));
/** The result of `execute_code`. */
export type McpExecution = z.infer<typeof McpExecutionSchema>;

/** The parts of an MCP `tools/call` result this client reads. */
export const McpCallResultSchema = z.lazy(() => z.looseObject({
  content: z._default(z.array(z.looseObject({ type: z.string(), text: z.optional(z.string()) })), []),
  structuredContent: z.optional(z.unknown()),
  isError: z.optional(z.boolean()),
}));
