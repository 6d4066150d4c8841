/**
 * The results of marimo's code-mode MCP tools (`marimo edit --mcp code-mode`), as zod
 * schemas. Loose objects, so fields added by later marimo versions pass.
 *
 * @module
 */
import { z } from "zod";

/** One entry of `list_sessions`: `name` is the basename or `new notebook`, `path` may be `(unsaved notebook)`. */
export const McpNotebookInfoSchema = z.looseObject({
  name: z.string(),
  path: z.string(),
  session_id: z.string(),
});

/** The result of `list_sessions` (newest first; open and orphaned sessions only). */
export const McpListSessionsSchema = z.looseObject({ sessions: z.array(McpNotebookInfoSchema) });
/** The result of `list_sessions`. */
export type McpListSessions = z.infer<typeof McpListSessionsSchema>;

/**
 * The result of `execute_code` (`CodeExecutionResult`). `output_mimetype` appeared in
 * marimo 0.25 (absent before).
 */
export const McpExecutionSchema = z.looseObject({
  success: z.boolean(),
  output: z.string().nullable().optional(),
  stdout: z.array(z.string()).default([]),
  stderr: z.array(z.string()).default([]),
  errors: z.array(z.string()).default([]),
  error: z.string().nullable().optional(),
  output_mimetype: z.string().nullable().optional(),
});
/** The result of `execute_code`. */
export type McpExecution = z.infer<typeof McpExecutionSchema>;

/** The parts of an MCP `tools/call` result this client reads. */
export const McpCallResultSchema = z.looseObject({
  content: z.array(z.looseObject({ type: z.string(), text: z.string().optional() })).default([]),
  structuredContent: z.unknown().optional(),
  isError: z.boolean().optional(),
});
