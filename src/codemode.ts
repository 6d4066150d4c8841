/**
 * `marimo-pair/codemode`: the typed code-mode builder, the Python it generates, the result
 * envelope and the read queries. Pure: no I/O of its own and no Node-only import, so it
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
export { codeMode, CodeModePlan, type PlanOptions } from "./codemode/plan.js";
export { CodeModeBuilder } from "./codemode/builder.js";
export { CellRef, type CellTarget, type ResolvedTarget } from "./codemode/targets.js";
export type {
  CellConfigFields,
  CodeModeOptions,
  CreateCellOperation,
  CreateCellOptions,
  DeleteCellOperation,
  EditCellOperation,
  EditCellOptions,
  MoveCellOperation,
  MoveCellOptions,
  PackagesOperation,
  PlanOperation,
  RunCellOperation,
  SetUiValueOperation,
} from "./codemode/operations.js";
export { renderPlan, recoveryPython, CODE_MODE_SINCE, EXPAND_OUTPUT_SINCE, SKIP_VALIDATION_SINCE, type RenderablePlan, type ToPythonOptions } from "./codemode/render.js";
export { pyBool, pyNumber, pyStr, pyStrBlock, pyValue, MAX_VALUE_DEPTH, type JsonValue } from "./codemode/python-literal.js";
export {
  ApplyFailedError,
  BatchFailedError,
  InvalidPlanError,
  NotebookValidationError,
  StaleCellsError,
  type ApplyFailureKind,
  type BatchFailureDetails,
  type BatchPhase,
  type ValidationDetails,
  type ValidationReason,
} from "./codemode/errors.js";
export {
  checkNonce,
  createNonce,
  endMarker,
  EnvelopeFilter,
  extractEnvelope,
  startMarker,
  type ExtractedEnvelope,
} from "./codemode/envelope.js";
export {
  applyPlan,
  interpretBatch,
  type ApplyOptions,
  type ApplyResult,
  type CellError,
  type CellRunState,
  type CellStatus,
  type InterpretOptions,
  type PackageChange,
} from "./codemode/apply.js";
export type {
  CodeModeCallOptions,
  CodeModeEvent,
  CodeModeExecuteOptions,
  CodeModeExecution,
  CodeModeExecutor,
} from "./codemode/executor.js";
export {
  readCell,
  readCells,
  readGraph,
  readPackages,
  readVariables,
  type CellOutput,
  type CellSnapshot,
  type PackageInfo,
  type ReadCellsOptions,
  type VariableInfo,
} from "./codemode/reads.js";
export {
  cellQuery,
  cellsQuery,
  graphQuery,
  packagesQuery,
  variablesQuery,
  type CellQueryOptions,
} from "./codemode/read-queries.js";
export { ancestors, definingCells, descendants, type GraphCell, type NotebookGraph } from "./codemode/graph.js";
export { compareMarimoVersions, FEATURE_SINCE, isAtLeast, parseMarimoVersion, type MarimoVersion } from "./version.js";
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
export type { ExpectCellOperation, ExpectCellOptions } from "./codemode/operations.js";
export type { ApplyResultJson } from "./codemode/apply.js";
