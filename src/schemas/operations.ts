/**
 * The JSON form of code-mode operations, for tools that are not written in TypeScript:
 * `marimo-pair apply` reads a JSON array of them, and the agent tools (`marimo-pair/tools`,
 * `marimo-pair mcp`) derive their input schemas from them. Names follow marimo's own `_code_mode`
 * Python API (`create_cell`, `hide_code`, …). Objects are strict, so a misspelt field is
 * an error instead of being ignored.
 *
 * @module
 */
import { z } from "zod";

/**
 * A cell to act on: a string (a cell id, or a cell name, resolved as marimo resolves them),
 * `{ "id" }` (only an id), `{ "name" }` (only a name), or `{ "ref" }` (a cell created earlier
 * in the same list by a `create_cell` with that `ref`).
 */
export const CellTargetJsonSchema = z.union([
  z.string().min(1),
  z.strictObject({ id: z.string().min(1) }),
  z.strictObject({ name: z.string().min(1) }),
  z.strictObject({ ref: z.string().min(1) }),
]);
/** A cell target in JSON operations. */
export type CellTargetJson = z.infer<typeof CellTargetJsonSchema>;

const CellConfigJson = {
  /** Collapse the code editor (marimo's default for new cells: true). */
  hide_code: z.boolean().optional(),
  /** Keep the cell from running. */
  disabled: z.boolean().optional(),
  /** Column index in multi-column layouts. */
  column: z.int().min(0).optional(),
  /** Show the whole output instead of a scrolled box. */
  expand_output: z.boolean().optional(),
  /** The cell's name (an identifier; `setup` makes the setup cell). */
  name: z.string().min(1).optional(),
};

/** Give the name even when another cell holds it (otherwise the batch is refused: `duplicate_name`). */
const AllowDuplicateNameJson = z.boolean().optional();

/** `create_cell`: a new cell, appended unless `before`/`after` is given. Not run. */
export const CreateCellJsonSchema = z.strictObject({
  op: z.literal("create_cell"),
  code: z.string(),
  before: CellTargetJsonSchema.optional(),
  after: CellTargetJsonSchema.optional(),
  /** A label for later operations of the same list: `{ "ref": "<label>" }`. */
  ref: z.string().min(1).optional(),
  ...CellConfigJson,
  allow_duplicate_name: AllowDuplicateNameJson,
});

/** `edit_cell`: new code and/or config for a cell (`name: null` makes it unnamed). Not run. */
export const EditCellJsonSchema = z.strictObject({
  op: z.literal("edit_cell"),
  cell: CellTargetJsonSchema,
  code: z.string().optional(),
  ...CellConfigJson,
  name: z.string().min(1).nullable().optional(),
  allow_duplicate_name: AllowDuplicateNameJson,
});

/**
 * `expect_cell`: refuse the whole list (nothing applied, `cell_changed`) unless the cell is
 * as given; fields left out are not checked. Undo lists start with these checks.
 */
export const ExpectCellJsonSchema = z.strictObject({
  op: z.literal("expect_cell"),
  cell: CellTargetJsonSchema,
  code: z.string().optional(),
  name: z.string().min(1).nullable().optional(),
  hide_code: z.boolean().optional(),
  disabled: z.boolean().optional(),
  column: z.int().min(0).nullable().optional(),
  expand_output: z.boolean().optional(),
  /** 0-based position in the notebook. */
  index: z.int().min(0).optional(),
});

/** `delete_cell`. */
export const DeleteCellJsonSchema = z.strictObject({ op: z.literal("delete_cell"), cell: CellTargetJsonSchema });

/** `move_cell`: exactly one of `before` or `after`. */
export const MoveCellJsonSchema = z.strictObject({
  op: z.literal("move_cell"),
  cell: CellTargetJsonSchema,
  before: CellTargetJsonSchema.optional(),
  after: CellTargetJsonSchema.optional(),
});

/** `run_cell`: run after the structural changes (descendants follow in autorun mode). */
export const RunCellJsonSchema = z.strictObject({ op: z.literal("run_cell"), cell: CellTargetJsonSchema });

/** `install_packages`: pip-style specifiers, installed before the cell operations. */
export const InstallPackagesJsonSchema = z.strictObject({
  op: z.literal("install_packages"),
  packages: z.array(z.string().min(1)).min(1),
});

/** `remove_packages`. */
export const RemovePackagesJsonSchema = z.strictObject({
  op: z.literal("remove_packages"),
  packages: z.array(z.string().min(1)).min(1),
});

/** `set_ui_value`: the UI element bound to a notebook variable gets `value`, as if a person used it. */
export const SetUiValueJsonSchema = z.strictObject({
  op: z.literal("set_ui_value"),
  variable: z.string().min(1),
  value: z.json(),
});

/** One JSON operation. */
export const OperationJsonSchema = z.discriminatedUnion("op", [
  CreateCellJsonSchema,
  EditCellJsonSchema,
  DeleteCellJsonSchema,
  MoveCellJsonSchema,
  RunCellJsonSchema,
  ExpectCellJsonSchema,
  InstallPackagesJsonSchema,
  RemovePackagesJsonSchema,
  SetUiValueJsonSchema,
]);
/** One JSON operation. */
export type OperationJson = z.infer<typeof OperationJsonSchema>;

/** The document `apply` reads: a non-empty array of operations. */
export const OperationListJsonSchema = z.array(OperationJsonSchema).min(1);
/** A list of JSON operations. */
export type OperationListJson = z.infer<typeof OperationListJsonSchema>;
