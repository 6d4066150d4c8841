/**
 * The framework-neutral shape of an agent tool: a name, a description, a zod input schema
 * and its JSON Schema, hints about its effects, and a handler. The MCP server, and adapters
 * for agent frameworks, are thin layers over this.
 *
 * @module
 */
import type { z } from "zod";

/** A text block of a tool result. @inline */
export interface ToolTextContent {
  type: "text";
  /** The text an agent reads. */
  text: string;
}

/** An image block of a tool result (MCP's image content). @inline */
export interface ToolImageContent {
  type: "image";
  /** The image bytes, base64-encoded. */
  data: string;
  /** e.g. `image/png`. */
  mimeType: string;
}

/** One block of a tool result. */
export type ToolContent = ToolTextContent | ToolImageContent;

/** What a tool returns: content for the agent, and the same facts as structured data. */
export interface ToolResult {
  /** What the agent reads: text (with output budgets applied), and images. */
  content: ToolContent[];
  /** The result as JSON, for programs (the same budgets apply to its texts). */
  structuredContent: Record<string, unknown>;
  /** True when the call failed; the text says what went wrong and what to do. */
  isError: boolean;
}

/** Hints about a tool's effects (MCP's tool annotations; all are hints, not guarantees). */
export interface ToolAnnotations {
  /** A human-readable title. */
  title: string;
  /** True when the tool changes nothing (reads only). */
  readOnlyHint: boolean;
  /** True when the tool may destroy something the user has (deletes cells, removes packages). */
  destructiveHint: boolean;
  /** True when calling it again with the same input has no further effect. */
  idempotentHint: boolean;
  /** True when the tool reaches beyond the notebook (e.g. installs packages from an index). */
  openWorldHint: boolean;
}

/** A progress update of a running tool call. */
export interface ToolProgress {
  /** Grows with every update (e.g. characters of output so far). */
  progress: number;
  /** A short human-readable message (e.g. the latest output line). */
  message: string;
}

/** What the caller of a tool offers it. */
export interface ToolCallContext {
  /** Cancels the call (a running execution is interrupted). */
  signal?: AbortSignal | undefined;
  /** Receives progress while the call runs (output as it streams, or a heartbeat). */
  onProgress?: ((update: ToolProgress) => void) | undefined;
}

/**
 * One agent tool.
 *
 * @typeParam Input - the validated input type.
 */
export interface ToolDefinition<Input = unknown> {
  /** The tool's name, e.g. `execute_code`. */
  readonly name: string;
  /** What the tool does and when to use it, for the agent. */
  readonly description: string;
  /** The zod schema of the input (strict: unknown fields are errors). */
  readonly inputSchema: z.ZodType<Input>;
  /** The same schema as JSON Schema (draft 2020-12, without `$schema`), for frameworks that take JSON Schema. */
  readonly jsonSchema: Record<string, unknown>;
  /** Hints about the tool's effects. */
  readonly annotations: Readonly<ToolAnnotations>;
  /**
   * Run the tool. The input is validated against `inputSchema` first; invalid input, and
   * every failure, resolve with `isError: true` and a message — the handler never rejects,
   * except with the caller's `signal.reason` when the call is cancelled.
   */
  handler(input: unknown, context?: ToolCallContext): Promise<ToolResult>;
}
