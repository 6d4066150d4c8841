/**
 * One home for describing a refused batch: its message in a face's words and its facts as
 * JSON. The CLI's `apply` and the MCP tools render refusals from here.
 *
 * @module
 */
import { type Face, inTermsOf, WORDS } from "../hints.js";
import { BatchFailedError, NotebookValidationError, StaleCellsError } from "./errors.js";
import {
  AmbiguousCellError,
  CellChangedError,
  CellNotFoundError,
  DuplicateNameError,
  NotUiElementError,
  UiValueRejectedError,
  UnknownVariableError,
} from "./refusals.js";
import {
  ambiguousCellText,
  cellChangedText,
  cellNotFoundText,
  duplicateNameText,
  staleCellsText,
} from "./refusal-words.js";

/** A refused batch, described for one face. */
export interface RefusalDescription {
  /** The error code. */
  code: string;
  /** What happened and what to do, in the face's words. */
  message: string;
  /** The refusal's facts (ids, names, domains, …) plus `pythonType` and `phase`. */
  facts: Record<string, unknown>;
}

function facts(error: BatchFailedError): Record<string, unknown> {
  if (error instanceof StaleCellsError) return { cellId: error.cellId, staleCells: error.staleCells };
  if (error instanceof NotebookValidationError) {
    return { reason: error.reason, names: error.names, cells: error.cells, cell: error.cell ?? null, line: error.line ?? null };
  }
  if (error instanceof DuplicateNameError) return { name: error.cellName, holderId: error.holderId, holderIds: error.holderIds };
  if (error instanceof AmbiguousCellError) return { target: error.target, cellIds: error.cellIds };
  if (error instanceof CellNotFoundError) return { target: error.target, by: error.by };
  if (error instanceof UiValueRejectedError) {
    return { variable: error.variable, element: error.element, domain: error.domain, value: error.value, problem: error.problem };
  }
  if (error instanceof UnknownVariableError) return { variable: error.variable };
  if (error instanceof NotUiElementError) return { variable: error.variable, typeName: error.typeName };
  if (error instanceof CellChangedError) return { cellId: error.cellId, target: error.target, fields: error.fields };
  return {};
}

function message(error: BatchFailedError, face: Face): string {
  const words = WORDS[face];
  if (error instanceof StaleCellsError) return staleCellsText(error.cellId, error.staleCells, words);
  if (error instanceof NotebookValidationError) return inTermsOf(error.message, error.code, face);
  if (error instanceof DuplicateNameError) return duplicateNameText(error.cellName, error.holderIds, words);
  if (error instanceof AmbiguousCellError) return ambiguousCellText(error.target, error.cellIds, words);
  if (error instanceof CellNotFoundError) return cellNotFoundText(error.target, error.by, words);
  if (error instanceof CellChangedError) return cellChangedText(error.target, error.fields, words);
  return error.message;
}

/** Describe a refused batch in a face's words. */
export function describeRefusal(error: BatchFailedError, face: Face): RefusalDescription {
  return { code: error.code, message: message(error, face), facts: { ...facts(error), pythonType: error.pythonType, phase: error.phase } };
}
