/**
 * Errors of code-mode plans: a plan rejected while building, and the ways marimo can
 * refuse a batch (nothing applied). A cell that raises while running is not an error:
 * it is reported as data in the apply result.
 *
 * @module
 */
import { ErrorCode, MarimoPairError, type MarimoPairErrorCode, type MarimoPairErrorOptions } from "../errors.js";

/** A plan is malformed; detected while building it, before anything is sent to marimo. */
export class InvalidPlanError extends MarimoPairError {
  constructor(message: string, options: MarimoPairErrorOptions = {}) {
    super(ErrorCode.InvalidPlan, message, options);
  }
}

/** Where marimo raised: while the batch was being queued, or while applying it on exit. */
export type BatchPhase = "queue" | "apply";

/** What every refused batch reports, whatever the reason. */
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

/** The base of the errors of a batch marimo refused; carries the {@link BatchFailureDetails}. */
export class BatchFailedError extends MarimoPairError implements BatchFailureDetails {
  /** The Python exception class. */
  readonly pythonType: string;
  /** The exception's message as marimo wrote it. */
  readonly pythonMessage: string;
  /** Where marimo raised; see {@link BatchFailureDetails.phase}. */
  readonly phase: BatchPhase;
  /** The Python traceback. */
  readonly traceback: string;
  /** What the batch printed to stdout (the result document removed). */
  readonly stdout: string;
  /** What the batch printed to stderr. */
  readonly stderr: string;

  constructor(code: MarimoPairErrorCode, message: string, details: BatchFailureDetails, options: MarimoPairErrorOptions = {}) {
    super(code, message, options);
    this.pythonType = details.pythonType;
    this.pythonMessage = details.pythonMessage;
    this.phase = details.phase;
    this.traceback = details.traceback;
    this.stdout = details.stdout;
    this.stderr = details.stderr;
  }
}

/** How a face (library, CLI, MCP tools) names the ways out of a stale-cells refusal. */
export interface StaleCellsTerms {
  /** How to read the cells again, e.g. `nb.cells()`. */
  reread: string;
  /** How to overwrite anyway, e.g. `skipStalenessCheck: true`; undefined where the face offers no way. */
  overwrite?: string | undefined;
}

/**
 * The advice for a stale-cells refusal, in the caller's terms: what happened, which cells,
 * why marimo refuses, and what to do. The library, the CLI and the MCP tools all use it.
 */
export function staleCellsAdvice(cellId: string, staleCells: readonly string[], terms: StaleCellsTerms): string {
  const overwrite = terms.overwrite === undefined ? "." : `, or pass ${terms.overwrite} to overwrite.`;
  return (
    `Cell '${cellId}' changed since its code was last read; nothing was applied. Stale cells: ` +
    `${staleCells.join(", ") || cellId}. marimo only lets a caller overwrite code it has read, so a person's ` +
    `edits are not lost. Read the cells again (${terms.reread}) and retry${overwrite}`
  );
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
      staleCellsAdvice(cellId, staleCells, { reread: "nb.cells()", overwrite: "skipStalenessCheck: true" }),
      details,
    );
    this.cellId = cellId;
    this.staleCells = staleCells;
  }
}

/** Why marimo's dry run rejected the batch. */
export type ValidationReason = "multiply_defined" | "cycles" | "syntax";

/** Extra facts of a {@link NotebookValidationError}. */
export interface ValidationDetails {
  /** Names defined by more than one cell (reason `multiply_defined`). */
  names?: readonly string[] | undefined;
  /** The plan's cell whose code does not compile (reason `syntax`): its `CellRef.key` or cell id. */
  cell?: string | undefined;
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
  /** For `syntax`: column within the line, when known. */
  readonly column: number | undefined;

  constructor(reason: ValidationReason, extra: ValidationDetails, details: BatchFailureDetails) {
    const what =
      reason === "multiply_defined"
        ? `names defined by more than one cell: ${(extra.names ?? []).join(", ")}`
        : reason === "cycles"
          ? "the cells would form a cycle"
          : `syntax error${extra.cell === undefined ? "" : ` in cell ${extra.cell}`}${
              extra.line === undefined ? "" : ` at line ${extra.line}`
            }`;
    super(
      ErrorCode.NotebookValidation,
      `marimo rejected the batch (${what}); nothing was applied. ${details.pythonMessage.split("\n\n")[0] ?? ""}`.trim(),
      details,
    );
    this.reason = reason;
    this.names = extra.names ?? [];
    this.cell = extra.cell;
    this.line = extra.line;
    this.column = extra.column;
  }
}

/** Why an {@link ApplyFailedError} happened. */
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
 * `no_result`, nothing was applied (see {@link BatchFailureDetails.phase} for packages);
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
