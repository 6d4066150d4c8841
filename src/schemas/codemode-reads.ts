/**
 * Schemas of the documents printed by code-mode read queries (`codemode/read-queries.ts`).
 * Loose objects: newer marimo versions may add fields.
 *
 * @module
 */
import * as z from "./zod.js";
import { CellErrorSchema } from "./codemode.js";

/** One output of a cell as marimo stores it (`CellOutput`). */
export const CellOutputSchema = z.lazy(() => z.looseObject({
  /** `output`, `stdout`, `stderr`, `marimo-error`, `media`, … */
  channel: z.string(),
  /** e.g. `text/html`, `text/plain`, `application/vnd.marimo+error`. */
  mimetype: z.string(),
  /** Text for most mimetypes; a list of error objects for `marimo-error`. */
  data: z.unknown(),
  /** Seconds since the epoch. */
  timestamp: z.optional(z.number()),
}));
/** A cell output. */
export type CellOutputData = z.infer<typeof CellOutputSchema>;

/** A cell's configuration. */
export const CellConfigSchema = z.lazy(() => z.looseObject({
  hide_code: z.boolean(),
  disabled: z.boolean(),
  column: z.nullable(z.number()),
  /** `null` on versions without the option. */
  expand_output: z.nullable(z.boolean()),
}));

/** One cell as read by the cells query. */
export const CellSnapshotSchema = z.lazy(() => z.looseObject({
  id: z.string(),
  name: z.string(),
  status: z.nullable(z.string()),
  errors: z.array(CellErrorSchema),
  config: CellConfigSchema,
  code: z.optional(z.string()),
  output: z.optional(z.nullable(CellOutputSchema)),
  console: z.optional(z.array(CellOutputSchema)),
}));
/** A cell snapshot document. */
export type CellSnapshotData = z.infer<typeof CellSnapshotSchema>;
/** The cells query's value. */
export const CellSnapshotListSchema = z.lazy(() => z.array(CellSnapshotSchema));
/** The cell query's value (`null` when no cell matches). */
export const MaybeCellSnapshotSchema = z.lazy(() => z.nullable(CellSnapshotSchema));

/** One cell of the graph query. */
export const GraphCellSchema = z.lazy(() => z.looseObject({
  id: z.string(),
  name: z.string(),
  registered: z.boolean(),
  defs: z.array(z.string()),
  refs: z.array(z.string()),
  parents: z.array(z.string()),
  children: z.array(z.string()),
}));

/** The graph query's value. */
export const GraphSchema = z.lazy(() => z.looseObject({
  cells: z.array(GraphCellSchema),
  multiply_defined: z.array(z.string()),
  cycles: z.array(z.array(z.tuple([z.string(), z.string()]))),
}));
/** A graph document. */
export type GraphData = z.infer<typeof GraphSchema>;

/** One variable of the variables query. */
export const VariableSchema = z.lazy(() => z.looseObject({
  name: z.string(),
  cells: z.array(z.string()),
  defined: z.boolean(),
  type: z.optional(z.string()),
  repr: z.optional(z.string()),
}));
/** A variable document. */
export type VariableData = z.infer<typeof VariableSchema>;
/** The variables query's value. */
export const VariableListSchema = z.lazy(() => z.array(VariableSchema));

/** One installed package. */
export const PackageSchema = z.lazy(() => z.looseObject({ name: z.string(), version: z.string() }));
/** A package document. */
export type PackageData = z.infer<typeof PackageSchema>;
/** The packages query's value. */
export const PackageListSchema = z.lazy(() => z.array(PackageSchema));

/** The envelope of every read query: a value, or the Python failure. */
export function readDocumentSchema<T extends z.ZodMiniType>(value: T) {
  return z.union([
    z.looseObject({ ok: z.literal(true), value }),
    z.looseObject({ ok: z.literal(false), type: z.string(), message: z.string(), traceback: z.string() }),
  ]);
}
