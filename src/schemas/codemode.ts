/**
 * Schemas of the result document a code-mode batch prints (see `codemode/envelope.ts`).
 * The document is produced by the SDK's own generated Python but filled with marimo's
 * data, so objects are loose: extra fields from newer versions pass through.
 *
 * @module
 */
import * as z from "./zod.js";

/** One error of a cell: a graph error (prevents running) or the exception it raised. */
export const CellErrorSchema = z.lazy(() => z.looseObject({
  kind: z.string(),
  message: z.string(),
}));
/** A cell error as marimo reports it. */
export type CellErrorData = z.infer<typeof CellErrorSchema>;

/** A cell's state after a batch: status and errors, read after marimo applied and ran it. */
export const CellStateSchema = z.lazy(() => z.looseObject({
  id: z.string(),
  name: z.string(),
  /** `null` for an empty cell never registered, or on marimo < 0.22.5 (no status there). */
  status: z.nullable(z.string()),
  errors: z.array(CellErrorSchema),
}));
/** A cell state in the result document. */
export type CellStateData = z.infer<typeof CellStateSchema>;

/** A package operation and what the package manager lists afterwards. */
export const PackageStateSchema = z.lazy(() => z.looseObject({
  action: z.enum(["add", "remove"]),
  spec: z.string(),
  /** The distribution name parsed from the specifier, `null` when it could not be parsed. */
  name: z.nullable(z.string()),
  /** The installed version after the batch, `null` when not installed (or not listed). */
  version: z.nullable(z.string()),
}));
/** A package state in the result document. */
export type PackageStateData = z.infer<typeof PackageStateSchema>;

/** Why a batch failed, as classified by the generated Python. */
export const BatchErrorSchema = z.lazy(() => z.looseObject({
  kind: z.string(),
  type: z.string(),
  message: z.string(),
  phase: z.enum(["queue", "apply"]),
  traceback: z.string(),
  cell_id: z.optional(z.string()),
  stale_cells: z.optional(z.array(z.string())),
  names: z.optional(z.array(z.string())),
  cell: z.optional(z.nullable(z.string())),
  cell_label: z.optional(z.nullable(z.string())),
  cells: z.optional(z.array(z.string())),
  line: z.optional(z.nullable(z.number())),
  column: z.optional(z.nullable(z.number())),
  /** Facts of a refusal decided in the batch (duplicate name, ambiguous target, UI value, …). */
  refusal: z.optional(z.record(z.string(), z.unknown())),
}));
/** A failure in the result document. */
export type BatchErrorData = z.infer<typeof BatchErrorSchema>;

/** A cell's state captured for an undo. */
export const CellSnapshotSchema = z.lazy(() => z.looseObject({
  id: z.string(),
  index: z.number(),
  code: z.string(),
  name: z.string(),
  config: z.looseObject({
    hide_code: z.boolean(),
    disabled: z.boolean(),
    column: z.nullable(z.number()),
    expand_output: z.boolean(),
  }),
  /** Before the batch only: the cell had run (idle, exception or interrupted). */
  had_run: z.optional(z.boolean()),
}));
/** A captured cell state. */
export type CellSnapshotData = z.infer<typeof CellSnapshotSchema>;

/** What the batch captured so that it can be undone. */
export const UndoCaptureSchema = z.lazy(() => z.looseObject({
  /** Cells the batch edited, deleted or moved, as they were before it. */
  before: z.array(CellSnapshotSchema),
  /** Cells the batch created, edited or moved, as it left them. */
  after: z.array(CellSnapshotSchema),
  order_before: z.array(z.string()),
  order_after: z.array(z.string()),
  /** Old front-end values of the UI elements the batch set. */
  ui_before: z.record(z.string(), z.looseObject({ value: z.nullable(z.json()), unsupported: z.optional(z.string()) })),
}));
/** The undo capture of a batch. */
export type UndoCaptureData = z.infer<typeof UndoCaptureSchema>;

/** The result document of a batch. */
export const BatchDocumentSchema = z.lazy(() => z.looseObject({
  ok: z.boolean(),
  /** `CellRef.key` → the id marimo gave the cell. */
  created: z.record(z.string(), z.string()),
  edited: z.array(z.string()),
  deleted: z.array(z.string()),
  moved: z.array(z.string()),
  ran: z.array(z.string()),
  /** Variables whose UI elements were set. */
  ui: z.array(z.string()),
  packages: z.array(PackageStateSchema),
  /** False when the package manager could not be asked (versions are then all null). */
  packages_listed: z.optional(z.boolean()),
  cells: z.array(CellStateSchema),
  error: z.optional(BatchErrorSchema),
  /** Set when the batch was applied but a step after it failed (running the cells marimo left unrun, reading the cells). */
  report_error: z.optional(z.string()),
  /** What an undo needs; missing when reading the notebook after the batch failed. */
  undo: z.optional(UndoCaptureSchema),
  /** Why `undo` is missing. */
  undo_error: z.optional(z.string()),
}));
/** The result document of a batch. */
export type BatchDocument = z.infer<typeof BatchDocumentSchema>;
