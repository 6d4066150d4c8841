/**
 * Applying a plan: render it for the server's marimo version, execute it, take the result
 * document out of the stdout and turn it into an {@link ApplyResult} or a typed error.
 *
 * @module
 */
import { parseWire } from "../schemas/parse.js";
import { type BatchErrorData, BatchDocumentSchema } from "../schemas/codemode.js";
import { createNonce, EnvelopeFilter, extractEnvelope } from "./envelope.js";
import {
  ApplyFailedError,
  type ApplyFailureKind,
  type BatchFailureDetails,
  NotebookValidationError,
  StaleCellsError,
} from "./errors.js";
import { type CodeModeCallOptions, type CodeModeEvent, type CodeModeExecution, type CodeModeExecutor, versionFor } from "./executor.js";
import type { CodeModePlan } from "./plan.js";
import { refusalError } from "./refusals.js";
import { recoveryPython } from "./render.js";
import { type ApplyResult, toResult } from "./result.js";
import type { CellRef } from "./targets.js";

export type { ApplyResult, ApplyResultJson, CellError, CellRunState, CellStatus, PackageChange } from "./result.js";

/** Options of {@link applyPlan}. */
export interface ApplyOptions extends CodeModeCallOptions {
  /**
   * Called with each event as it arrives (console output of the cells that run streams
   * here); the result document is filtered out of the stdout events.
   */
  onEvent?: ((event: CodeModeEvent) => void) | undefined;
}

const VALIDATION_KINDS = { multiply_defined: "multiply_defined", cycles: "cycles", syntax: "syntax" } as const;
const APPLY_KINDS: ReadonlySet<string> = new Set(["invalid", "not_found", "error"]);

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
  const refused = refusalError(error, details);
  if (refused !== undefined) return refused;
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
