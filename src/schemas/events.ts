/**
 * Wire schemas of the kernel notifications a watcher reads from `GET {base}/sse`
 * (the `data` of each `{op, data}` message). Loose objects: fields added by later marimo
 * releases pass through. Field names are marimo's (snake_case; camelCase inside
 * document transactions).
 *
 * @module
 */
import { z } from "zod";

/** One output of a cell (`CellOutput`): `data` is text, a list (errors) or an object (mimebundles). */
export const CellOutputSchema = z.looseObject({
  channel: z.string(),
  mimetype: z.string(),
  data: z.unknown(),
  timestamp: z.number().optional(),
});
/** A cell output on the wire. */
export type CellOutputWire = z.infer<typeof CellOutputSchema>;

/** `cell-op`: a partial update of one cell (null or absent fields are unchanged). */
export const CellOpSchema = z.looseObject({
  cell_id: z.string(),
  output: CellOutputSchema.nullable().optional(),
  console: z.union([CellOutputSchema, z.array(CellOutputSchema)]).nullable().optional(),
  status: z.string().nullable().optional(),
  stale_inputs: z.boolean().nullable().optional(),
  run_id: z.string().nullable().optional(),
  execution_id: z.string().nullable().optional(),
  timestamp: z.number().optional(),
});

/** `execution` (marimo ≥ 0.25): an attempt to run a cell, `planned` → `running` → `completed`. */
export const ExecutionSchema = z.looseObject({
  execution_id: z.string(),
  cell_id: z.string(),
  run_id: z.string().nullable().optional(),
  phase: z.string(),
  code: z.string().nullable().optional(),
  caused_by: z.string().nullable().optional(),
});

/** One change of a document transaction, tagged by `type` (`create-cell`, `set-code`, …). */
export const DocumentChangeSchema = z.looseObject({
  type: z.string(),
  cellId: z.string().optional(),
  cellIds: z.array(z.string()).optional(),
  code: z.string().optional(),
  name: z.string().optional(),
  config: z.looseObject({}).optional(),
  before: z.string().nullable().optional(),
  after: z.string().nullable().optional(),
});

/** `notebook-document-transaction`: cells created, edited, moved or deleted, by anyone. */
export const DocumentTransactionSchema = z.looseObject({
  transaction: z.looseObject({
    changes: z.array(DocumentChangeSchema),
    source: z.string().optional(),
    version: z.number().nullable().optional(),
  }),
});

/** The fields of `kernel-ready` a watcher reads. */
export const KernelReadyEventSchema = z.looseObject({
  cell_ids: z.array(z.string()),
  codes: z.array(z.string()).optional(),
  names: z.array(z.string()).optional(),
  resumed: z.boolean().optional(),
  kiosk: z.boolean().optional(),
});

/** `alert` (a toast) and `banner` (a persistent message, e.g. "Kernel stopped"). */
export const NoticeSchema = z.looseObject({
  title: z.string(),
  description: z.string(),
  variant: z.string().nullable().optional(),
  action: z.string().nullable().optional(),
});

/** `completed-run`: one command's reactive cycle ended (outcome since marimo 0.25). */
export const CompletedRunSchema = z.looseObject({
  run_id: z.string().nullable().optional(),
  outcome: z.string().optional(),
  error: z.string().nullable().optional(),
});

/** `interrupted`: the kernel was interrupted. */
export const InterruptedSchema = z.looseObject({ run_id: z.string().nullable().optional() });

/** `kernel-startup-error`. */
export const KernelStartupErrorSchema = z.looseObject({ error: z.string() });
