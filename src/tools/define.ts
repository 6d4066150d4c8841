/**
 * Building a {@link ToolDefinition} from a zod schema and a run function: the JSON Schema is
 * derived from the zod schema, input is validated before the run, and every failure becomes
 * an `isError` result whose text tells the agent what to do next.
 *
 * @module
 */
import { z } from "zod";
import { InvalidPlanError, BatchFailedError } from "../codemode/errors.js";
import { refusedDocument } from "../codemode/result-json.js";
import { isMarimoPairError } from "../errors.js";
import { inTermsOf } from "../hints.js";
import { formatIssues } from "../schemas/issues.js";
import type { ToolAnnotations, ToolCallContext, ToolDefinition, ToolResult } from "./types.js";

/** What a tool's run function gets besides its input. */
export interface RunContext extends ToolCallContext {
  /** Report progress (no-op when the caller did not ask for it). */
  progress(message: string): void;
}

/** The parts of a tool that {@link defineTool} turns into a {@link ToolDefinition}. */
export interface ToolSpec<S extends z.ZodType> {
  /** The tool's name. */
  name: string;
  /** What it does, for the agent. */
  description: string;
  /** The input schema. */
  input: S;
  /** Effect hints. */
  annotations: ToolAnnotations;
  /** Do the work; throw on failure (the message reaches the agent). */
  run(input: z.output<S>, context: RunContext): Promise<ToolResult>;
}

/** JSON Schema of a zod schema, as tools publish it (input side, no `$schema`). */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  delete json["$schema"];
  return json;
}

/** A successful result: the text for the agent and the structured facts. */
export function ok(text: string, structured: Record<string, unknown>, images: ToolResult["content"] = []): ToolResult {
  return { content: [{ type: "text", text }, ...images], structuredContent: structured, isError: false };
}

/** A failed result. */
export function failed(message: string, code: string, extra: Record<string, unknown> = {}): ToolResult {
  return { content: [{ type: "text", text: message }], structuredContent: { error: { code, message, ...extra } }, isError: true };
}

/** Turn a failure into a result whose text says what went wrong and what to do. */
export function errorResult(error: unknown): ToolResult {
  if (error instanceof z.ZodError) return failed(`Invalid input:\n${formatIssues(error.issues, "(input)")}`, "invalid_input");
  if (error instanceof BatchFailedError) {
    const { code, message, ...facts } = refusedDocument(error, "mcp").error;
    return failed(message, code, facts);
  }
  if (error instanceof InvalidPlanError) return failed(error.message, error.code);
  if (isMarimoPairError(error)) return failed(inTermsOf(error.message, error.code, "mcp"), error.code);
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return failed(message, typeof code === "string" ? code : "error");
}

/** Smallest gap between two progress updates, in ms. */
const PROGRESS_INTERVAL_MS = 200;

/**
 * Build a tool: JSON Schema from the zod schema; a handler that validates, runs, and maps
 * failures to `isError` results (a cancelled call rejects with `signal.reason`).
 */
export function defineTool<S extends z.ZodType>(spec: ToolSpec<S>): ToolDefinition<z.output<S>> {
  const jsonSchema = jsonSchemaOf(spec.input);
  return {
    name: spec.name,
    description: spec.description,
    inputSchema: spec.input as unknown as z.ZodType<z.output<S>>,
    jsonSchema,
    annotations: Object.freeze({ ...spec.annotations }),
    async handler(raw: unknown, context: ToolCallContext = {}): Promise<ToolResult> {
      let count = 0;
      let last = 0;
      const report = context.onProgress;
      const run: RunContext = {
        ...context,
        progress(message) {
          if (report === undefined) return;
          const now = Date.now();
          if (now - last < PROGRESS_INTERVAL_MS) return;
          last = now;
          count += 1;
          report({ progress: count, message });
        },
      };
      try {
        const parsed = spec.input.safeParse(raw ?? {});
        if (!parsed.success) return errorResult(parsed.error);
        return await spec.run(parsed.data, run);
      } catch (error) {
        if (context.signal?.aborted === true) throw context.signal.reason;
        return errorResult(error);
      }
    },
  };
}
