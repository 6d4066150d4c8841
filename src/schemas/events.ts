/**
 * Wire schemas of the kernel notifications a watcher reads from `GET {base}/sse`
 * (the `data` of each `{op, data}` message). Loose objects: fields added by later marimo
 * releases pass through. Field names are marimo's (snake_case; camelCase inside
 * document transactions).
 *
 * @module
 */
import * as z from "./zod.js";

/** One output of a cell (`CellOutput`): `data` is text, a list (errors) or an object (mimebundles). */
export const CellOutputSchema = z.lazy(() => z.looseObject({
  channel: z.string(),
  mimetype: z.string(),
  data: z.unknown(),
  timestamp: z.optional(z.number()),
}));
/** A cell output on the wire. */
export type CellOutputWire = z.infer<typeof CellOutputSchema>;

/** `cell-op`: a partial update of one cell (null or absent fields are unchanged). */
export const CellOpSchema = z.lazy(() => z.looseObject({
  cell_id: z.string(),
  output: z.optional(z.nullable(CellOutputSchema)),
  console: z.optional(z.nullable(z.union([CellOutputSchema, z.array(CellOutputSchema)]))),
  status: z.optional(z.nullable(z.string())),
  stale_inputs: z.optional(z.nullable(z.boolean())),
  run_id: z.optional(z.nullable(z.string())),
  execution_id: z.optional(z.nullable(z.string())),
  timestamp: z.optional(z.number()),
}));

/** `execution` (marimo ≥ 0.25.2): an attempt to run a cell, `planned` → `running` → `completed`. */
export const ExecutionSchema = z.lazy(() => z.looseObject({
  execution_id: z.string(),
  cell_id: z.string(),
  run_id: z.optional(z.nullable(z.string())),
  phase: z.string(),
  code: z.optional(z.nullable(z.string())),
  caused_by: z.optional(z.nullable(z.string())),
}));

/** One change of a document transaction, tagged by `type` (`create-cell`, `set-code`, …). */
export const DocumentChangeSchema = z.lazy(() => z.looseObject({
  type: z.string(),
  cellId: z.optional(z.string()),
  cellIds: z.optional(z.array(z.string())),
  code: z.optional(z.string()),
  name: z.optional(z.string()),
  config: z.optional(z.looseObject({})),
  before: z.optional(z.nullable(z.string())),
  after: z.optional(z.nullable(z.string())),
}));

/** `notebook-document-transaction`: cells created, edited, moved or deleted, by anyone. */
export const DocumentTransactionSchema = z.lazy(() => z.looseObject({
  transaction: z.looseObject({
    changes: z.array(DocumentChangeSchema),
    source: z.optional(z.string()),
    version: z.optional(z.nullable(z.number())),
  }),
}));

/** The fields of `kernel-ready` a watcher reads. */
export const KernelReadyEventSchema = z.lazy(() => z.looseObject({
  cell_ids: z.array(z.string()),
  codes: z.optional(z.array(z.string())),
  names: z.optional(z.array(z.string())),
  resumed: z.optional(z.boolean()),
  kiosk: z.optional(z.boolean()),
}));

/** `alert` (a toast) and `banner` (a persistent message, e.g. "Kernel stopped"). */
export const NoticeSchema = z.lazy(() => z.looseObject({
  title: z.string(),
  description: z.string(),
  variant: z.optional(z.nullable(z.string())),
  action: z.optional(z.nullable(z.string())),
}));

/** `completed-run`: one command's reactive cycle ended (outcome since marimo 0.25.2). */
export const CompletedRunSchema = z.lazy(() => z.looseObject({
  run_id: z.optional(z.nullable(z.string())),
  outcome: z.optional(z.string()),
  error: z.optional(z.nullable(z.string())),
}));

/** `interrupted`: the kernel was interrupted. */
export const InterruptedSchema = z.lazy(() => z.looseObject({ run_id: z.optional(z.nullable(z.string())) }));

/** `kernel-startup-error`. */
export const KernelStartupErrorSchema = z.lazy(() => z.looseObject({ error: z.string() }));
