/**
 * The JSON operations `marimo-pair apply` reads. They live in `src/schemas/operations.ts`
 * (the agent tools derive their input schemas from them too); this module re-exports them.
 *
 * @module
 */
export {
  CellTargetJsonSchema,
  CreateCellJsonSchema,
  DeleteCellJsonSchema,
  EditCellJsonSchema,
  InstallPackagesJsonSchema,
  MoveCellJsonSchema,
  OperationJsonSchema,
  OperationListJsonSchema,
  RemovePackagesJsonSchema,
  RunCellJsonSchema,
  SetUiValueJsonSchema,
  type CellTargetJson,
  type OperationJson,
  type OperationListJson,
} from "../schemas/operations.js";
