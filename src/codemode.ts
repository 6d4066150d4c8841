/**
 * `marimo-pair/codemode`: the typed code-mode builder, the Python it generates, applying a
 * plan and the typed reads. Pure: no I/O of its own and no Node-only import, so it
 * runs in any JavaScript runtime. `applyPlan` and the `read*` functions take any executor
 * (a `NotebookSession`, or your own).
 *
 * @example
 * ```ts
 * import { codeMode } from "marimo-pair/codemode";
 * const plan = codeMode((b) => {
 *   const cell = b.createCell("x = 1");
 *   b.runCell(cell);
 * });
 * const python = plan.toPython({ marimoVersion: "0.25.2" });
 * ```
 *
 * @module
 */
export { codeMode, CodeModePlan } from "./codemode/plan.js";
export { CodeModeBuilder } from "./codemode/builder.js";
export { CellRef, type CellTarget } from "./codemode/targets.js";
export type { CodeModeOptions, CreateCellOptions, EditCellOptions } from "./codemode/operations.js";
export {
  ApplyFailedError,
  BatchFailedError,
  InvalidPlanError,
  NotebookValidationError,
  StaleCellsError,
} from "./codemode/errors.js";
export { applyPlan, type ApplyOptions, type ApplyResult } from "./codemode/apply.js";
export type { CodeModeCallOptions, CodeModeExecutor } from "./codemode/executor.js";
export {
  readCell,
  readCells,
  readGraph,
  readPackages,
  readVariables,
  type CellSnapshot,
  type VariableInfo,
} from "./codemode/reads.js";
export { ancestors, descendants, type NotebookGraph } from "./codemode/graph.js";
// Safe edits: refusals checked in the kernel, the expectCell check, and the JSON of a result.
export {
  AmbiguousCellError,
  CellChangedError,
  CellNotFoundError,
  DuplicateNameError,
  NotUiElementError,
  UiValueRejectedError,
  UnknownVariableError,
} from "./codemode/refusals.js";
