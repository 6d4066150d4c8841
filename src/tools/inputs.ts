/**
 * Input schemas of the notebook tools, derived from the zod schemas of the CLI's JSON
 * operations (`marimo-pair apply`), so a tool call and an `apply` operation are checked by
 * the same rules. Each single-operation tool takes its operation's fields without `op`,
 * plus the fields that name the notebook.
 *
 * @module
 */
import { z } from "zod";
import {
  CellTargetJsonSchema,
  CreateCellJsonSchema,
  DeleteCellJsonSchema,
  EditCellJsonSchema,
  InstallPackagesJsonSchema,
  MoveCellJsonSchema,
  OperationListJsonSchema,
  RemovePackagesJsonSchema,
  RunCellJsonSchema,
  SetUiValueJsonSchema,
} from "../schemas/operations.js";
import { NotebookTargetSchema } from "./target.js";

const [CellByString, CellById, CellByName] = CellTargetJsonSchema.options;

/**
 * A cell named by a single-operation tool: a cell id or name, `{ "id" }` or `{ "name" }`
 * (the `{ "ref" }` form of `apply` lists needs a list, so it is left out here).
 */
export const CellInputSchema = z
  .union([CellByString, CellById, CellByName])
  .describe('A cell: its id (e.g. "Hbol") or name, or {"id": ...} / {"name": ...}. read_cells lists ids and names.');

const target = NotebookTargetSchema.shape;

const run = z
  .boolean()
  .optional()
  .describe("Run the cell right away (its descendants run too, as in marimo) and report its output. Default false.");

const code = z.string().describe("The cell's Python code.");

/** `create_cell`. */
export const CreateCellInput = CreateCellJsonSchema.omit({ op: true, ref: true }).extend({
  ...target,
  code,
  before: CellInputSchema.optional().describe("Insert before this cell."),
  after: CellInputSchema.optional().describe("Insert after this cell (default: at the end)."),
  hide_code: CreateCellJsonSchema.shape.hide_code.describe("Hide the code in the editor (marimo's default for new cells: true)."),
  run,
});

/** `edit_cell`. */
export const EditCellInput = EditCellJsonSchema.omit({ op: true }).extend({
  ...target,
  cell: CellInputSchema,
  code: EditCellJsonSchema.shape.code.describe("The new code (the whole cell). Omit to change only the configuration."),
  run,
});

/** `run_cell`. */
export const RunCellInput = RunCellJsonSchema.omit({ op: true }).extend({ ...target, cell: CellInputSchema });

/** `delete_cell`. */
export const DeleteCellInput = DeleteCellJsonSchema.omit({ op: true }).extend({ ...target, cell: CellInputSchema });

/** `move_cell`. */
export const MoveCellInput = MoveCellJsonSchema.omit({ op: true }).extend({
  ...target,
  cell: CellInputSchema,
  before: CellInputSchema.optional().describe("Move before this cell (give before or after)."),
  after: CellInputSchema.optional().describe("Move after this cell (give before or after)."),
});

/** `install_packages`. */
export const InstallPackagesInput = InstallPackagesJsonSchema.omit({ op: true }).extend({
  ...target,
  packages: InstallPackagesJsonSchema.shape.packages.describe('pip-style specifiers, e.g. ["polars", "altair>=5"].'),
});

/** `remove_packages`. */
export const RemovePackagesInput = RemovePackagesJsonSchema.omit({ op: true }).extend({
  ...target,
  packages: RemovePackagesJsonSchema.shape.packages.describe('Package names, e.g. ["polars"].'),
});

/** `set_ui_value`. */
export const SetUiValueInput = SetUiValueJsonSchema.omit({ op: true }).extend({
  ...target,
  variable: SetUiValueJsonSchema.shape.variable.describe("The notebook variable holding the UI element (e.g. slider)."),
  value: SetUiValueJsonSchema.shape.value.describe("The new value, as the element takes it (a number for a slider, a list for a multiselect)."),
});

/** `apply_operations`: a whole list, exactly as `marimo-pair apply` reads it. */
export const ApplyOperationsInput = NotebookTargetSchema.extend({
  operations: OperationListJsonSchema.describe(
    'Operations applied as one atomic batch, in order, e.g. [{"op": "create_cell", "code": "x = 1", "ref": "a"}, {"op": "run_cell", "cell": {"ref": "a"}}]. ' +
      "ops: create_cell, edit_cell, delete_cell, move_cell, run_cell, install_packages, remove_packages, set_ui_value.",
  ),
});

/** `execute_code`. */
export const ExecuteCodeInput = NotebookTargetSchema.extend({
  code: z.string().describe("Python to run in the notebook's kernel (its scratchpad)."),
  timeout_ms: z
    .int()
    .min(1)
    .max(86_400_000)
    .optional()
    .describe("Stop (and interrupt the kernel) after this many ms. Default: the server's setting (5 minutes)."),
});

/** `read_cells`. */
export const ReadCellsInput = NotebookTargetSchema.extend({
  cells: z.array(CellInputSchema).optional().describe("Only these cells (default: all)."),
  outputs: z.boolean().optional().describe("Include each cell's output and console, shortened (default true)."),
});

/** Tools that only name a notebook. */
export const NotebookInput = NotebookTargetSchema;

/** `get_cell_output`. */
export const CellOutputInput = NotebookTargetSchema.extend({ cell: CellInputSchema });

/** `list_sessions`. */
export const ListSessionsInput = z.strictObject({
  url: NotebookTargetSchema.shape.url.describe("Only this server (default: the bound one, else every discovered server)."),
});

/** Tools without input. */
export const NoInput = z.strictObject({});
