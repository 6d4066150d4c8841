/**
 * Refusals the SDK's own checks make inside the kernel, in the same batch as the changes
 * (the notebook can change between a read and an apply): a name another cell holds, a
 * target that is ambiguous or missing, a UI value no person could set, a cell that changed
 * since the batch an undo reverses. Nothing is applied in each case.
 *
 * @module
 */
import { ErrorCode } from "../errors.js";
import type { BatchErrorData } from "../schemas/codemode.js";
import { BatchFailedError, type BatchFailureDetails } from "./errors.js";
import { WORDS } from "../hints.js";
import {
  ambiguousCellText,
  cellChangedText,
  cellNotFoundText,
  duplicateNameText,
  notUiElementText,
  uiValueRejectedText,
  unknownVariableText,
} from "./refusal-words.js";

/** A `createCell`, or an `editCell` that renames, gives a name another cell holds. */
export class DuplicateNameError extends BatchFailedError {
  /** The name. */
  readonly cellName: string;
  /** The cell that holds it (the first, if several do). */
  readonly holderId: string;
  /** Every cell that holds it. */
  readonly holderIds: readonly string[];

  constructor(name: string, holderIds: readonly string[], details: BatchFailureDetails) {
    super(ErrorCode.DuplicateName, duplicateNameText(name, holderIds, WORDS.library), details);
    this.cellName = name;
    this.holderId = holderIds[0] ?? "";
    this.holderIds = holderIds;
  }
}

/** A target given by name matches two or more cells (a person can make such duplicates). */
export class AmbiguousCellError extends BatchFailedError {
  /** The target as given. */
  readonly target: string;
  /** The ids of the matching cells. */
  readonly cellIds: readonly string[];

  constructor(target: string, cellIds: readonly string[], details: BatchFailureDetails) {
    super(ErrorCode.AmbiguousCell, ambiguousCellText(target, cellIds, WORDS.library), details);
    this.target = target;
    this.cellIds = cellIds;
  }
}

/** A target id or name matches no cell of the notebook (nor one named earlier in the plan). */
export class CellNotFoundError extends BatchFailedError {
  /** The target as given. */
  readonly target: string;
  /** How it was looked up: `id`, `name`, or `any` (id, then name). */
  readonly by: "id" | "name" | "any";

  constructor(target: string, by: "id" | "name" | "any", details: BatchFailureDetails) {
    super(ErrorCode.CellNotFound, cellNotFoundText(target, by, WORDS.library), details);
    this.target = target;
    this.by = by;
  }
}

/** A UI value the element could never hold from a person's hands; the element keeps its value. */
export class UiValueRejectedError extends BatchFailedError {
  /** The notebook variable bound to the element. */
  readonly variable: string;
  /** The element's kind, e.g. `slider`, `dropdown`. */
  readonly element: string;
  /** The values it accepts, in words (e.g. `a number in [0, 10] in steps of 1 from 0`). */
  readonly domain: string;
  /** The refused value. */
  readonly value: unknown;
  /** Why it was refused (e.g. `above 10`, or the element's own conversion error). */
  readonly problem: string;

  constructor(facts: { variable: string; element: string; domain: string; value: unknown; problem: string }, details: BatchFailureDetails) {
    super(ErrorCode.UiValueRejected, uiValueRejectedText(facts.variable, facts.element, facts.domain, facts.value, facts.problem), details);
    this.variable = facts.variable;
    this.element = facts.element;
    this.domain = facts.domain;
    this.value = facts.value;
    this.problem = facts.problem;
  }
}

/** `setUiValue` names a variable the notebook does not define. */
export class UnknownVariableError extends BatchFailedError {
  /** The variable name. */
  readonly variable: string;

  constructor(variable: string, details: BatchFailureDetails) {
    super(ErrorCode.UnknownVariable, unknownVariableText(variable), details);
    this.variable = variable;
  }
}

/** `setUiValue` names a variable that is not a marimo UI element. */
export class NotUiElementError extends BatchFailedError {
  /** The variable name. */
  readonly variable: string;
  /** The Python type of its value. */
  readonly typeName: string;

  constructor(variable: string, typeName: string, details: BatchFailureDetails) {
    super(ErrorCode.NotUiElement, notUiElementText(variable, typeName), details);
    this.variable = variable;
    this.typeName = typeName;
  }
}

/**
 * A cell differs from what an `expectCell` check requires. Every undo plan starts with such
 * checks: this is the undo refused as stale, so it never overwrites a newer edit.
 */
export class CellChangedError extends BatchFailedError {
  /** The cell's id. */
  readonly cellId: string;
  /** The target as given. */
  readonly target: string;
  /** What differs: `code`, `name`, `hide_code`, `disabled`, `column`, `expand_output`, `index`; or `deleted` when the cell is gone. */
  readonly fields: readonly string[];

  constructor(cellId: string, target: string, fields: readonly string[], details: BatchFailureDetails) {
    super(ErrorCode.CellChanged, cellChangedText(target, fields, WORDS.library), details);
    this.cellId = cellId;
    this.target = target;
    this.fields = fields;
  }
}

function text(facts: Record<string, unknown>, key: string): string {
  const value = facts[key];
  return typeof value === "string" ? value : "";
}

function texts(facts: Record<string, unknown>, key: string): string[] {
  const value = facts[key];
  return Array.isArray(value) ? value.map(String) : [];
}

/** The typed error of a refusal the batch's own checks made, if it is one. */
export function refusalError(error: BatchErrorData, details: BatchFailureDetails): Error | undefined {
  const facts = error.refusal ?? {};
  switch (error.kind) {
    case "duplicate_name":
      return new DuplicateNameError(text(facts, "name"), texts(facts, "holder_ids"), details);
    case "ambiguous_cell":
      return new AmbiguousCellError(text(facts, "target"), texts(facts, "cell_ids"), details);
    case "cell_not_found": {
      const by = text(facts, "by");
      return new CellNotFoundError(text(facts, "target"), by === "id" || by === "name" ? by : "any", details);
    }
    case "ui_value_rejected":
      return new UiValueRejectedError(
        { variable: text(facts, "variable"), element: text(facts, "element"), domain: text(facts, "domain"), value: facts["value"], problem: text(facts, "problem") },
        details,
      );
    case "unknown_variable":
      return new UnknownVariableError(text(facts, "variable"), details);
    case "not_ui_element":
      return new NotUiElementError(text(facts, "variable"), text(facts, "type_name"), details);
    case "cell_changed":
      return new CellChangedError(text(facts, "cell_id"), text(facts, "target"), texts(facts, "fields"), details);
    default:
      return undefined;
  }
}
