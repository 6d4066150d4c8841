/**
 * Errors of code-mode plans: a plan rejected while building, and the ways marimo can
 * refuse a batch (nothing applied). A cell that raises while running is not an error:
 * it is reported as data in the apply result.
 *
 * @module
 */
import { ErrorCode, MarimoPairError, type MarimoPairErrorOptions } from "../errors.js";
import { hintFor, WORDS } from "../hints.js";
import { staleCellsText } from "./refusal-words.js";

/** A plan is malformed; detected while building it, before anything is sent to marimo. */
export class InvalidPlanError extends MarimoPairError {
  constructor(message: string, options: MarimoPairErrorOptions = {}) {
    super(ErrorCode.InvalidPlan, message, options);
  }
}

/** Where marimo raised: while the batch was being queued, or while applying it on exit. @inline */
export type BatchPhase = "queue" | "apply";

/** What every refused batch reports, whatever the reason. @inline */
export interface BatchFailureDetails {
  /** The Python exception class, e.g. `StaleCellError`, `RuntimeError`, `SyntaxError`. */
  pythonType: string;
  /** The exception's message as marimo wrote it. */
  pythonMessage: string;
  /**
   * `queue`: raised by a builder call inside the batch, nothing was changed. `apply`: raised
   * by marimo while applying on exit; cell changes were not applied, but queued package
   * installs and removals run before marimo validates the cells, so they may have happened.
   */
  phase: BatchPhase;
  /** The Python traceback of the failure. */
  traceback: string;
  /** What the batch printed to stdout (the result document removed). */
  stdout: string;
  /** What the batch printed to stderr. */
  stderr: string;
}

/** The base of the errors of a batch marimo refused; carries what marimo reported: the Python exception, its traceback, the batch's output and the `phase`. */
export class BatchFailedError extends MarimoPairError implements BatchFailureDetails {
  /** The Python exception class. */
  readonly pythonType: string;
  /** The exception's message as marimo wrote it. */
  readonly pythonMessage: string;
  /**
   * `queue`: raised by a builder call inside the batch, nothing was changed. `apply`: raised
   * by marimo while applying; cell changes were not applied, but package installs and
   * removals run first, so they may have happened.
   */
  readonly phase: BatchPhase;
  /** The Python traceback. */
  readonly traceback: string;
  /** What the batch printed to stdout (the result document removed). */
  readonly stdout: string;
  /** What the batch printed to stderr. */
  readonly stderr: string;

  constructor(code: ErrorCode, message: string, details: BatchFailureDetails, options: MarimoPairErrorOptions = {}) {
    super(code, message, options);
    this.pythonType = details.pythonType;
    this.pythonMessage = details.pythonMessage;
    this.phase = details.phase;
    this.traceback = details.traceback;
    this.stdout = details.stdout;
    this.stderr = details.stderr;
  }
}

/**
 * marimo refused the batch because a cell it edits changed since this client (or any agent
 * of the kernel) last read its code. Read the cells again (`nb.cells()`), then retry, or
 * build the plan with `skipStalenessCheck: true` to overwrite on purpose. Nothing was applied.
 */
export class StaleCellsError extends BatchFailedError {
  /** The cell whose edit was refused. */
  readonly cellId: string;
  /** Every cell of the notebook whose current code has not been read (sorted). */
  readonly staleCells: readonly string[];

  constructor(cellId: string, staleCells: readonly string[], details: BatchFailureDetails) {
    super(
      ErrorCode.StaleCells,
      staleCellsText(cellId, staleCells, WORDS.library),
      details,
    );
    this.cellId = cellId;
    this.staleCells = staleCells;
  }
}

/** Why marimo's dry run rejected the batch. @inline */
export type ValidationReason = "multiply_defined" | "cycles" | "syntax";

/** Extra facts of a {@link NotebookValidationError}. @inline */
export interface ValidationDetails {
  /** Names defined by more than one cell (reason `multiply_defined`). */
  names?: readonly string[] | undefined;
  /** The plan's cell whose code does not compile (reason `syntax`): its `CellRef.key` or cell id. */
  cell?: string | undefined;
  /** That cell as the caller knows it (its name, or its place among the new cells; an existing cell's id and name). */
  label?: string | undefined;
  /** For `cycles`: the cells of the cycle as the caller knows them. */
  cells?: readonly string[] | undefined;
  /** Line of the syntax error within that cell's code (1-based), when known. */
  line?: number | undefined;
  /** Column of the syntax error (1-based), when known. */
  column?: number | undefined;
}

/**
 * marimo's validation of the batch failed: a name would be defined by two cells, the cells
 * would form a cycle, or a cell's code does not compile. Nothing was applied (pass
 * `skipValidation: true` to insert such code deliberately).
 */
export class NotebookValidationError extends BatchFailedError {
  /** Which check failed. */
  readonly reason: ValidationReason;
  /** Names defined more than once, for `multiply_defined`; otherwise empty. */
  readonly names: readonly string[];
  /** For `syntax`: the offending cell of the plan (ref key or id), when it could be identified. */
  readonly cell: string | undefined;
  /** For `syntax`: line within the cell, when known. */
  readonly line: number | undefined;
  /** For `cycles`: the cells of the cycle as the caller knows them (names, or ids and names); otherwise empty. */
  readonly cells: readonly string[];
  /** For `syntax`: column within the line, when known. */
  readonly column: number | undefined;

  constructor(reason: ValidationReason, extra: ValidationDetails, details: BatchFailureDetails) {
    const cycle = extra.cells ?? [];
    const what =
      reason === "multiply_defined"
        ? `names defined by more than one cell: ${(extra.names ?? []).join(", ")}`
        : reason === "cycles"
          ? `the cells would form a cycle${cycle.length === 0 ? "" : `: ${cycle.join(" → ")}`}`
          : `syntax error${extra.label !== undefined ? ` in ${extra.label}` : extra.cell === undefined ? "" : ` in cell ${extra.cell}`}${
              extra.line === undefined ? "" : ` at line ${extra.line}`
            }`;
    // marimo's own text names cells of a cycle by ids that never came to exist; the cycle is named above.
    const marimoText = reason === "cycles" && cycle.length > 0 ? "" : (details.pythonMessage.split("\n\n")[0] ?? "");
    super(
      ErrorCode.NotebookValidation,
      `marimo rejected the batch (${what}); nothing was applied. ${marimoText}`.trim() + ` ${hintFor("notebook_validation", "library")}`,
      details,
    );
    this.reason = reason;
    this.names = extra.names ?? [];
    this.cell = extra.cell;
    this.line = extra.line;
    this.column = extra.column;
    this.cells = extra.cells ?? [];
  }
}

/** Why an {@link ApplyFailedError} happened. @inline */
export type ApplyFailureKind =
  /** marimo refused an operation (both anchors, invalid name, a second setup cell, conflicting ops). */
  | "invalid"
  /** A target cell, or the variable of `setUiValue`, does not exist. */
  | "not_found"
  /** Any other Python exception. */
  | "error"
  /** The batch printed no result document (interrupted, kernel died, or output lost). */
  | "no_result";

/**
 * A batch failed for another reason than staleness or validation. For kinds other than
 * `no_result`, nothing was applied (see {@link BatchFailedError.phase} for packages);
 * for `no_result` the outcome is unknown: read the notebook to find out.
 */
export class ApplyFailedError extends BatchFailedError {
  /** The kind of failure. */
  readonly kind: ApplyFailureKind;

  constructor(kind: ApplyFailureKind, details: BatchFailureDetails, options: MarimoPairErrorOptions = {}) {
    const summary =
      kind === "no_result"
        ? "the batch ended without its result document, so whether it was applied is unknown; read the notebook"
        : `${details.pythonType}: ${details.pythonMessage.replace(/\.$/, "")}; nothing was applied`;
    super(ErrorCode.ApplyFailed, `Code-mode batch failed (${kind}): ${summary}.`, details, options);
    this.kind = kind;
  }
}
