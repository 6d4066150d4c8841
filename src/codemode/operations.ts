/**
 * The operations a plan records, and the options of the builder methods that record them.
 * Operations are plain frozen data, in the order the builder was called.
 *
 * @module
 */
import type { JsonValue } from "./python-literal.js";
import type { CellRef, CellTarget, ResolvedTarget } from "./targets.js";

/** Options of {@link CodeModeBuilder.createCell}. */
export interface CreateCellOptions {
  /** Insert before this cell. Exclusive with `after`. @default undefined (append at the end) */
  before?: CellTarget | undefined;
  /** Insert after this cell. Exclusive with `before`. @default undefined (append at the end) */
  after?: CellTarget | undefined;
  /** Collapse the code editor. @default marimo's default, which is `true` (code hidden) */
  hideCode?: boolean | undefined;
  /** Keep the cell (and its descendants) from running. @default false */
  disabled?: boolean | undefined;
  /** Column index in multi-column layouts (an integer ≥ 0). @default undefined */
  column?: number | undefined;
  /** Show the whole output instead of clamping it to a fixed height (marimo ≥ 0.25.1). @default false */
  expandOutput?: boolean | undefined;
  /**
   * Name of the cell: a Python identifier that is not a keyword, not `_`/`__`, and in NFKC
   * form. `"setup"` makes the setup cell (it runs first and may not use other cells'
   * variables). @default undefined (unnamed)
   */
  name?: string | undefined;
  /**
   * Give the cell its name even when another cell already holds it. Without this, such a
   * batch is refused with `DuplicateNameError` (checked in the kernel, in the same batch).
   * @default false
   */
  allowDuplicateName?: boolean | undefined;
}

/** Options of {@link CodeModeBuilder.editCell}; fields left out keep their current value. */
export interface EditCellOptions {
  /** New code. Refused by marimo if the cell changed since its code was last read. */
  code?: string | undefined;
  /** Collapse the code editor. */
  hideCode?: boolean | undefined;
  /** Keep the cell from running. */
  disabled?: boolean | undefined;
  /** Column index in multi-column layouts (an integer ≥ 0). */
  column?: number | undefined;
  /** Show the whole output instead of clamping it (marimo ≥ 0.25.1). */
  expandOutput?: boolean | undefined;
  /**
   * New name (rules as in {@link CreateCellOptions.name}; `"setup"` turns it into the setup
   * cell); `null` makes the cell unnamed.
   */
  name?: string | null | undefined;
  /** Rename even when another cell already holds the name (see {@link CreateCellOptions.allowDuplicateName}). @default false */
  allowDuplicateName?: boolean | undefined;
}

/**
 * What {@link CodeModeBuilder.expectCell} requires of a cell; fields left out are not checked.
 * Config fields compare with marimo's values (`hideCode` of a new cell is `true` unless set).
 * @inline
 */
export interface ExpectCellOptions {
  /** The cell's whole code. */
  code?: string | undefined;
  /** Its name; `null` for an unnamed cell. */
  name?: string | null | undefined;
  /** Its code editor is collapsed. */
  hideCode?: boolean | undefined;
  /** It is disabled. */
  disabled?: boolean | undefined;
  /** Its column; `null` when it has none. */
  column?: number | null | undefined;
  /** Its output is shown in full. */
  expandOutput?: boolean | undefined;
  /** Its 0-based position in the notebook, before this batch. */
  index?: number | undefined;
}

/** Where {@link CodeModeBuilder.moveCell} puts the cell: exactly one anchor. @inline */
export type MoveCellOptions = { before: CellTarget; after?: undefined } | { after: CellTarget; before?: undefined };

/** Options of `codeMode()`: how marimo checks the batch. */
export interface CodeModeOptions {
  /**
   * Skip marimo's dry run on exit (syntax, multiply-defined names, cycles). Only for code that
   * is meant to be invalid for now.
   * @default false
   */
  skipValidation?: boolean | undefined;
  /**
   * Edit cells even if they changed since their code was last read (marimo ≥ 0.23.7 guards
   * edits; older versions have no guard, so the option changes nothing there).
   * @default false
   */
  skipStalenessCheck?: boolean | undefined;
}

/** Config fields shared by create and edit operations. */
export interface CellConfigFields {
  readonly hideCode?: boolean;
  readonly disabled?: boolean;
  readonly column?: number;
  readonly expandOutput?: boolean;
  readonly name?: string;
}

/** `createCell`. */
export interface CreateCellOperation extends CellConfigFields {
  readonly kind: "createCell";
  /** Skip the in-kernel check that no other cell holds the name. */
  readonly allowDuplicateName?: boolean;
  readonly ref: CellRef;
  readonly code: string;
  readonly before?: ResolvedTarget;
  readonly after?: ResolvedTarget;
}

/** `editCell`. */
export interface EditCellOperation extends Omit<CellConfigFields, "name"> {
  readonly kind: "editCell";
  readonly target: ResolvedTarget;
  readonly code?: string;
  /** New name; `""` makes the cell unnamed. */
  readonly name?: string;
  /** Skip the in-kernel check that no other cell holds the name. */
  readonly allowDuplicateName?: boolean;
}

/** `expectCell`: a check, refused with `CellChangedError` when the cell differs. */
export interface ExpectCellOperation {
  readonly kind: "expectCell";
  readonly target: ResolvedTarget;
  readonly code?: string;
  /** `""` for an unnamed cell. */
  readonly name?: string;
  readonly hideCode?: boolean;
  readonly disabled?: boolean;
  readonly column?: number | null;
  readonly expandOutput?: boolean;
  readonly index?: number;
}

/** `deleteCell`. */
export interface DeleteCellOperation {
  readonly kind: "deleteCell";
  readonly target: ResolvedTarget;
}

/** `moveCell`. */
export interface MoveCellOperation {
  readonly kind: "moveCell";
  readonly target: ResolvedTarget;
  readonly anchor: "before" | "after";
  readonly to: ResolvedTarget;
}

/** `runCell`. */
export interface RunCellOperation {
  readonly kind: "runCell";
  readonly target: ResolvedTarget;
}

/** `installPackages` / `removePackages`. */
export interface PackagesOperation {
  readonly kind: "installPackages" | "removePackages";
  readonly specs: readonly string[];
}

/** `setUiValue`. */
export interface SetUiValueOperation {
  readonly kind: "setUiValue";
  readonly variableName: string;
  readonly value: JsonValue;
}

/** One recorded operation of a plan. */
export type PlanOperation =
  | CreateCellOperation
  | EditCellOperation
  | DeleteCellOperation
  | MoveCellOperation
  | RunCellOperation
  | ExpectCellOperation
  | PackagesOperation
  | SetUiValueOperation;
