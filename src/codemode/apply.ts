/**
 * Applying a plan: render it for the server's marimo version, execute it, take the result
 * document out of the stdout and turn it into an {@link ApplyResult} or a typed error.
 *
 * @module
 */
import { parseWire } from "../schemas/parse.js";
import { type BatchDocument, type BatchErrorData, BatchDocumentSchema } from "../schemas/codemode.js";
import { createNonce, EnvelopeFilter, extractEnvelope } from "./envelope.js";
import {
  ApplyFailedError,
  type ApplyFailureKind,
  type BatchFailureDetails,
  InvalidPlanError,
  NotebookValidationError,
  StaleCellsError,
} from "./errors.js";
import { type CodeModeCallOptions, type CodeModeEvent, type CodeModeExecution, type CodeModeExecutor, versionFor } from "./executor.js";
import type { CodeModePlan } from "./plan.js";
import { recoveryPython } from "./render.js";
import { CellRef } from "./targets.js";

/** A cell status as marimo synthesizes it (new values may appear in later versions). */
export type CellStatus =
  | "idle"
  | "exception"
  | "stale"
  | "cancelled"
  | "interrupted"
  | "marimo-error"
  | "disabled"
  | "queued"
  | "running"
  | (string & {});

/** An error of a cell: `graph` (prevents running: multiply-defined, cycle, …) or `runtime` (it raised). */
export interface CellError {
  /** `graph` or `runtime`. */
  kind: "graph" | "runtime" | (string & {});
  /** e.g. `ValueError: boom`. */
  message: string;
}

/** A cell the batch touched (or ran through reactivity), read after marimo applied and ran the batch. */
export interface CellRunState {
  /** The cell id. */
  id: string;
  /** The cell name, `null` when unnamed. */
  name: string | null;
  /** Its status; `null` for an empty cell, or on marimo < 0.22.5. */
  status: CellStatus | null;
  /** Its errors (empty when healthy). */
  errors: CellError[];
}

/** A package operation of the batch and what the package manager lists afterwards. */
export interface PackageChange {
  /** `add` (installPackages) or `remove` (removePackages). */
  action: "add" | "remove";
  /** The specifier as given. */
  spec: string;
  /** The distribution name parsed from it, `null` if unparseable. */
  name: string | null;
  /**
   * The installed version after the batch; `null` when not installed. After `add`, `null`
   * means the install failed (when `packagesListed` is true); after `remove`, it means success.
   */
  version: string | null;
}

/** What an applied batch did. A cell that raised while running is reported here, not thrown. */
export interface ApplyResult {
  /** `CellRef.key` → the new cell's id. */
  created: Readonly<Record<string, string>>;
  /**
   * The id of a cell the plan created.
   * @throws {InvalidPlanError} when the ref is not one of this plan's.
   */
  idOf(ref: CellRef): string;
  /** Ids of edited cells, in plan order. */
  edited: string[];
  /** Ids of deleted cells. */
  deleted: string[];
  /** Ids of moved cells. */
  moved: string[];
  /** Ids of cells the plan ran explicitly (descendants that ran reactively are in `cells`). */
  ran: string[];
  /** Variables whose UI elements were set. */
  uiUpdated: string[];
  /** Status and errors of every touched cell and of the descendants of run cells, in notebook order. */
  cells: CellRunState[];
  /** The cells of `cells` that have errors or an error status (exception, marimo-error, interrupted, cancelled). */
  failed: CellRunState[];
  /** Package operations and the versions listed afterwards. */
  packages: PackageChange[];
  /** False when the package manager could not be listed (all versions are then null). */
  packagesListed: boolean;
  /** False when a cell that ran raised (marimo's `done.success`). */
  success: boolean;
  /** stdout of the batch (cells' prints and marimo's summary lines), without the result document. */
  stdout: string;
  /** stderr of the batch (tracebacks of cells that raised). */
  stderr: string;
  /** Set when the batch was applied but reading the cell states afterwards failed. */
  reportError?: string;
}

/** Options of {@link applyPlan}. */
export interface ApplyOptions extends CodeModeCallOptions {
  /**
   * Called with each event as it arrives (console output of the cells that run streams
   * here); the result document is filtered out of the stdout events.
   */
  onEvent?: ((event: CodeModeEvent) => void) | undefined;
}

const ERROR_STATUSES: ReadonlySet<string> = new Set(["exception", "marimo-error", "interrupted", "cancelled"]);
const VALIDATION_KINDS = { multiply_defined: "multiply_defined", cycles: "cycles", syntax: "syntax" } as const;
const APPLY_KINDS: ReadonlySet<string> = new Set(["invalid", "not_found", "error"]);

function unnamed(name: string): string | null {
  return name === "" || name === "_" || name === "__" ? null : name;
}

function failure(error: BatchErrorData, execution: CodeModeExecution, stdout: string): Error {
  const details: BatchFailureDetails = {
    pythonType: error.type,
    pythonMessage: error.message,
    phase: error.phase,
    traceback: error.traceback,
    stdout,
    stderr: execution.stderr,
  };
  if (error.kind === "stale") return new StaleCellsError(error.cell_id ?? "", error.stale_cells ?? [], details);
  if (Object.hasOwn(VALIDATION_KINDS, error.kind)) {
    return new NotebookValidationError(
      VALIDATION_KINDS[error.kind as keyof typeof VALIDATION_KINDS],
      {
        names: error.names,
        cell: error.cell ?? undefined,
        label: error.cell_label ?? undefined,
        cells: error.cells,
        line: error.line ?? undefined,
        column: error.column ?? undefined,
      },
      details,
    );
  }
  return new ApplyFailedError((APPLY_KINDS.has(error.kind) ? error.kind : "error") as ApplyFailureKind, details);
}

function toResult(doc: BatchDocument, execution: CodeModeExecution, stdout: string, refs: readonly CellRef[] | undefined): ApplyResult {
  const created = Object.freeze({ ...doc.created });
  const cells: CellRunState[] = doc.cells.map((c) => ({
    id: c.id,
    name: unnamed(c.name),
    status: c.status,
    errors: c.errors.map((e) => ({ kind: e.kind, message: e.message })),
  }));
  const result: ApplyResult = {
    created,
    idOf(ref: CellRef): string {
      const mine = ref instanceof CellRef && (refs === undefined || refs.includes(ref));
      const id = mine && Object.hasOwn(created, ref.key) ? created[ref.key] : undefined;
      if (id === undefined) throw new InvalidPlanError(`${String(ref)} is not a cell this plan created.`);
      return id;
    },
    edited: [...doc.edited],
    deleted: [...doc.deleted],
    moved: [...doc.moved],
    ran: [...new Set(doc.ran)],
    uiUpdated: [...doc.ui],
    cells,
    failed: cells.filter((c) => c.errors.length > 0 || (c.status !== null && ERROR_STATUSES.has(c.status))),
    packages: doc.packages.map((p) => ({ action: p.action, spec: p.spec, name: p.name, version: p.version })),
    packagesListed: doc.packages_listed ?? doc.packages.length === 0,
    success: execution.success,
    stdout,
    stderr: execution.stderr,
  };
  if (doc.report_error !== undefined) result.reportError = doc.report_error;
  return result;
}

/** Options of {@link interpretBatch}. */
export interface InterpretOptions {
  /** The plan that was run: `idOf` then accepts only its refs (without it, any ref with a known key). */
  plan?: { readonly refs: readonly CellRef[] } | undefined;
  /** The document's JSON text when it was already taken out of a stream (used if stdout lacks it). */
  rawDocument?: string | undefined;
}

/**
 * Interpret the execution of a plan's Python (`plan.toPython({ nonce })`): find the result
 * document and return the {@link ApplyResult}, or throw the typed error of the failure.
 * For tools that run the Python themselves.
 *
 * @throws {StaleCellsError} a cell changed since it was read (nothing applied).
 * @throws {NotebookValidationError} multiply-defined names, cycles, syntax errors (nothing applied).
 * @throws {ApplyFailedError} any other refusal, or no result document (`kind: "no_result"`).
 * @throws {ProtocolError} when the document does not have the expected shape.
 */
export function interpretBatch(execution: CodeModeExecution, nonce: string, options: InterpretOptions = {}): ApplyResult {
  const extracted = extractEnvelope(execution.stdout, nonce);
  let document = extracted.document;
  if (document === undefined && options.rawDocument !== undefined) {
    try {
      document = JSON.parse(options.rawDocument);
    } catch {
      document = undefined;
    }
  }
  if (document === undefined) {
    throw new ApplyFailedError("no_result", {
      pythonType: "",
      pythonMessage: execution.stderr.trimEnd().split("\n").at(-1) ?? "",
      phase: "apply",
      traceback: execution.stderr,
      stdout: extracted.stdout,
      stderr: execution.stderr,
    });
  }
  const doc = parseWire(BatchDocumentSchema, document, "code-mode result document");
  if (!doc.ok) {
    if (doc.error === undefined) {
      throw new ApplyFailedError("error", {
        pythonType: "",
        pythonMessage: "the batch reported a failure without details",
        phase: "apply",
        traceback: "",
        stdout: extracted.stdout,
        stderr: execution.stderr,
      });
    }
    throw failure(doc.error, execution, extracted.stdout);
  }
  return toResult(doc, execution, extracted.stdout, options.plan?.refs);
}

/**
 * Apply a plan to a notebook: one atomic code-mode batch. Usually called as `nb.apply(plan)`.
 *
 * @param executor - the session (anything with `execute` and `marimoVersion`).
 * @throws {UnsupportedVersionError} when the server's marimo lacks a feature the plan uses.
 * @throws {StaleCellsError} a cell the plan edits changed since its code was last read.
 * @throws {NotebookValidationError} multiply-defined names, cycles or syntax errors.
 * @throws {ApplyFailedError} other refusals (unknown target, marimo refused an operation),
 *   or no result document.
 * @example
 * ```ts
 * const result = await applyPlan(nb, codeMode((b) => b.runCell("load")));
 * for (const cell of result.failed) console.log(cell.id, cell.errors);
 * ```
 */
export async function applyPlan(executor: CodeModeExecutor, plan: CodeModePlan<unknown>, options: ApplyOptions = {}): Promise<ApplyResult> {
  const version = await versionFor(executor, options);
  const nonce = options.nonce ?? createNonce();
  const code = plan.toPython({ marimoVersion: version, nonce });
  const filter = new EnvelopeFilter(nonce);
  const forward = options.onEvent;
  const execution = await executor.execute(code, {
    signal: options.signal,
    timeoutMs: options.timeoutMs,
    idleTimeoutMs: options.idleTimeoutMs,
    onEvent: (event) => {
      if (event.type === "stdout") {
        const visible = filter.push(event.data);
        if (visible !== "") forward?.({ type: "stdout", data: visible });
        return;
      }
      if (event.type === "done") {
        const rest = filter.end();
        if (rest !== "") forward?.({ type: "stdout", data: rest });
      }
      forward?.(event);
    },
  });
  let rawDocument = filter.raw;
  if (rawDocument === undefined && extractEnvelope(execution.stdout, nonce).document === undefined) {
    rawDocument = await recover(executor, nonce, options);
  }
  return interpretBatch(execution, nonce, { plan, rawDocument });
}

/**
 * Fetch the copy of the result the batch kept in the kernel. Some marimo versions (seen on
 * 0.21.x and 0.23.x) deliver output printed after cells ran to a later request, so the
 * document can be missing from a batch that was applied.
 */
async function recover(executor: CodeModeExecutor, nonce: string, options: ApplyOptions): Promise<string | undefined> {
  try {
    const again = await executor.execute(recoveryPython(nonce), {
      signal: options.signal,
      timeoutMs: options.timeoutMs,
      idleTimeoutMs: options.idleTimeoutMs,
    });
    return extractEnvelope(again.stdout, nonce).raw;
  } catch (error) {
    if (options.signal?.aborted === true) throw error;
    return undefined;
  }
}
