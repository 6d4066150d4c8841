/**
 * Decoding one `/sse` kernel message (`{op, data}`) into a {@link NotebookEvent}.
 *
 * @module
 */
import {
  CellOpSchema,
  type CellOutputWire,
  CompletedRunSchema,
  DocumentTransactionSchema,
  ExecutionSchema,
  InterruptedSchema,
  KernelReadyEventSchema,
  KernelStartupErrorSchema,
  NoticeSchema,
} from "../schemas/events.js";
import { KernelMessageSchema } from "../schemas/notifications.js";
import { parseJsonText, parseWire } from "../schemas/parse.js";
import type { CellEventOutput, DocumentChange, NotebookEvent } from "./event-types.js";

function output(wire: CellOutputWire): CellEventOutput {
  return { channel: wire.channel, mimetype: wire.mimetype, data: wire.data, timestamp: wire.timestamp ?? null };
}

function change(wire: Record<string, unknown> & { type: string }): DocumentChange {
  const text = (key: string): string | undefined => (typeof wire[key] === "string" ? (wire[key] as string) : undefined);
  const place = (key: string): string | null | undefined => (wire[key] === null ? null : text(key));
  const out: DocumentChange = { type: wire.type };
  const cellId = text("cellId");
  if (cellId !== undefined) out.cellId = cellId;
  const code = text("code");
  if (code !== undefined) out.code = code;
  const name = text("name");
  if (name !== undefined) out.name = name;
  const before = place("before");
  if (before !== undefined) out.before = before;
  const after = place("after");
  if (after !== undefined) out.after = after;
  const cellIds = wire["cellIds"];
  if (Array.isArray(cellIds)) out.cellIds = cellIds.filter((id): id is string => typeof id === "string");
  const config = wire["config"];
  if (typeof config === "object" && config !== null) out.config = config as Record<string, unknown>;
  else if (wire.type === "set-config") {
    // set-config carries the config fields (column, disabled, hideCode, …) next to cellId.
    const { type: _type, cellId: _cellId, ...fields } = wire;
    out.config = fields;
  }
  return out;
}

/**
 * Decode the `data:` of one unnamed `/sse` event.
 *
 * @throws {ProtocolError} when the message is not JSON, or a known notification lacks its fields.
 */
export function decodeKernelMessage(text: string): NotebookEvent {
  const what = "GET /sse message";
  const message = parseWire(KernelMessageSchema, parseJsonText(text, what), what);
  const data: Record<string, unknown> = message.data ?? {};
  const op = message.op;
  const where = `'${op}' notification`;
  switch (op) {
    case "cell-op": {
      const d = parseWire(CellOpSchema, data, where);
      const console = d.console === null || d.console === undefined ? null : Array.isArray(d.console) ? d.console : [d.console];
      return {
        type: "cell",
        op,
        cellId: d.cell_id,
        status: d.status ?? null,
        output: d.output === null || d.output === undefined ? null : output(d.output),
        console: console === null ? null : console.map(output),
        staleInputs: d.stale_inputs ?? null,
        runId: d.run_id ?? null,
      };
    }
    case "execution": {
      const d = parseWire(ExecutionSchema, data, where);
      return { type: "execution", op, cellId: d.cell_id, phase: d.phase, executionId: d.execution_id, runId: d.run_id ?? null, code: d.code ?? null };
    }
    case "notebook-document-transaction": {
      const d = parseWire(DocumentTransactionSchema, data, where);
      return {
        type: "document",
        op,
        source: d.transaction.source ?? null,
        version: d.transaction.version ?? null,
        changes: d.transaction.changes.map(change),
      };
    }
    case "kernel-ready": {
      const d = parseWire(KernelReadyEventSchema, data, where);
      return { type: "kernel_ready", op, cellIds: d.cell_ids, codes: d.codes ?? [], names: d.names ?? [] };
    }
    case "alert":
    case "banner": {
      const d = parseWire(NoticeSchema, data, where);
      return { type: op, op, title: d.title, description: d.description, variant: d.variant ?? null, action: d.action ?? null };
    }
    case "completed-run": {
      const d = parseWire(CompletedRunSchema, data, where);
      return { type: "completed_run", op, runId: d.run_id ?? null, outcome: d.outcome ?? null, error: d.error ?? null };
    }
    case "interrupted": {
      const d = parseWire(InterruptedSchema, data, where);
      return { type: "interrupted", op, runId: d.run_id ?? null };
    }
    case "kernel-startup-error": {
      const d = parseWire(KernelStartupErrorSchema, data, where);
      return { type: "kernel_startup_error", op, error: d.error };
    }
    default: {
      const { op: _inner, ...rest } = data;
      return { type: "other", op, data: rest };
    }
  }
}
