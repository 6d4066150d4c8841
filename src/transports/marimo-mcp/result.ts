/**
 * Mapping marimo's MCP `execute_code` result onto the SDK's `ExecuteResult`, so code
 * written against the HTTP transport reads the same fields.
 *
 * @module
 */
import type { ExecuteOutput } from "../../execute/events.js";
import type { ExecuteResult } from "../../execute/stream.js";
import { htmlToText } from "../../outputs/decode.js";
import type { McpExecution } from "./wire.js";

/** An `ExecuteResult` from marimo's MCP server, with marimo's own error summaries. */
export interface McpExecuteResult extends ExecuteResult {
  /**
   * marimo's error summaries: the messages of the code's own errors, and
   * `cell '<id>' raised <Exception>` for cells it ran that failed. Empty on success.
   */
  errors: string[];
}

const EMPTY_OUTPUT: ExecuteOutput = { mimetype: "text/plain", data: "" };

/**
 * marimo's MCP server sends tracebacks as syntax-highlighted HTML (the HTTP endpoint sends
 * plain text); turn such an entry back into the text a terminal would show.
 */
export function consoleText(entry: string): string {
  if (!/^\s*<span class="codehilite"|^\s*<div class="highlight"/.test(entry)) return entry;
  const text = htmlToText(entry);
  return text.endsWith("\n") ? text : `${text}\n`;
}

/** Keep at most `left` UTF-8 bytes of `text`, never cutting a character in two. */
function clip(text: string, left: number): { kept: string; used: number; cut: boolean } {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= left) return { kept: text, used: bytes.length, cut: false };
  let end = Math.max(0, left);
  // Back up to the start of a UTF-8 sequence (continuation bytes are 10xxxxxx).
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return { kept: new TextDecoder().decode(bytes.subarray(0, end)), used: end, cut: true };
}

/**
 * The mimetype of output from a marimo before 0.25.2, which sends a string without naming it:
 * the output's HTML when it has HTML, else its plain text.
 */
function guessMimetype(data: string): string {
  return /^\s*</.test(data) ? "text/html" : "text/plain";
}

/** Build the {@link McpExecuteResult} of one `execute_code` answer. */
export function toExecuteResult(execution: McpExecution, maxOutputBytes: number): McpExecuteResult {
  const stdout = clip(execution.stdout.join(""), maxOutputBytes);
  const stderr = clip(execution.stderr.map(consoleText).join(""), maxOutputBytes - stdout.used);
  const output: ExecuteOutput =
    execution.success && execution.output !== null && execution.output !== undefined
      ? { mimetype: execution.output_mimetype ?? guessMimetype(execution.output), data: execution.output }
      : EMPTY_OUTPUT;
  return {
    success: execution.success,
    stdout: stdout.kept,
    stderr: stderr.kept,
    output,
    truncated: stdout.cut || stderr.cut,
    errors: execution.errors,
  };
}
