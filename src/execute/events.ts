/**
 * Typed events of an execution, decoded from SSE messages and validated with zod.
 *
 * @module
 */
import { ConsolePayloadSchema, DonePayloadSchema } from "../schemas/execute.js";
import { parseJsonText, parseWire } from "../schemas/parse.js";
import type { SseMessage } from "./sse.js";
import { highlightedTracebackText } from "./traceback-html.js";

/** The final value of an execution: marimo's mimetype and the data as text. */
export interface ExecuteOutput {
  /** e.g. `text/html`, `text/plain`, `image/png` (then `data` is a `data:` URL). */
  mimetype: string;
  /** The rendered value, as text. */
  data: string;
}

/** The error object of a failed `done` event, sent only by marimo < 0.23.7. @inline */
export interface LegacyDoneError {
  /** e.g. `CellExecutionError`, `TimeoutError`. */
  type: string;
  /** The message. */
  msg: string;
}

/** Console text written to stdout. */
export interface StdoutEvent {
  type: "stdout";
  /** An arbitrary chunk of text (not necessarily a line). */
  data: string;
}

/**
 * Console text written to stderr (tracebacks, compile errors). Tracebacks are plain text on
 * every release (marimo 0.22.4 – 0.23.1 send them as HTML; the SDK converts them).
 */
export interface StderrEvent {
  type: "stderr";
  /** An arbitrary chunk of text (not necessarily a line). */
  data: string;
}

/** The last event of an execution. */
export interface DoneEvent {
  type: "done";
  /** False when the code, or a cell it ran, raised. */
  success: boolean;
  /** The value of the last expression (empty `text/plain` when none or on failure). */
  output: ExecuteOutput;
  /** Present only for failures reported by marimo < 0.23.7. */
  error?: LegacyDoneError;
}

/** An event of an execution stream. */
export type ExecuteEvent = StdoutEvent | StderrEvent | DoneEvent;

const EMPTY_OUTPUT: ExecuteOutput = { mimetype: "text/plain", data: "" };

/**
 * Decode one SSE message of `/api/kernel/execute`. Unknown event names yield
 * `undefined` (ignored, for forward compatibility).
 *
 * @throws {ProtocolError} when a known event's payload is malformed.
 */
export function toExecuteEvent(message: SseMessage): ExecuteEvent | undefined {
  const what = `execute event '${message.event ?? "message"}'`;
  switch (message.event) {
    case "stdout":
      return { type: "stdout", data: parseWire(ConsolePayloadSchema, parseJsonText(message.data, what), what).data };
    case "stderr": {
      const { data } = parseWire(ConsolePayloadSchema, parseJsonText(message.data, what), what);
      // marimo 0.22.4 – 0.23.1 send a failing execute's traceback as highlighted HTML.
      return { type: "stderr", data: highlightedTracebackText(data) ?? data };
    }
    case "done": {
      const payload = parseWire(DonePayloadSchema, parseJsonText(message.data, what), what);
      const output = payload.output === undefined ? EMPTY_OUTPUT : { mimetype: payload.output.mimetype, data: payload.output.data };
      const event: DoneEvent = { type: "done", success: payload.success, output };
      if (payload.error !== undefined) event.error = { type: payload.error.type, msg: payload.error.msg };
      return event;
    }
    default:
      return undefined;
  }
}
