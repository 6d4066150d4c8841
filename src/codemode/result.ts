/**
 * What an applied batch did ({@link ApplyResult}), built from the batch's result document,
 * with its undo plan and its JSON form.
 *
 * @module
 */
import type { BatchDocument } from "../schemas/codemode.js";
import type { OperationJson } from "../schemas/operations.js";
import { InvalidPlanError } from "./errors.js";
import type { CodeModeExecution } from "./executor.js";
import { operationsFromPlan } from "./json-operations.js";
import type { CodeModePlan } from "./plan.js";
import { CellRef } from "./targets.js";
import { buildUndo } from "./undo.js";

/** A cell status as marimo synthesizes it (new values may appear in later versions). @inline */
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

/** An error of a cell: `graph` (prevents running: multiply-defined, cycle, …) or `runtime` (it raised). @inline */
export interface CellError {
  /** `graph` or `runtime`. */
  kind: "graph" | "runtime" | (string & {});
  /** e.g. `ValueError: boom`. */
  message: string;
}

/** A cell the batch touched (or ran through reactivity), read after marimo applied and ran the batch. @inline */
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

/** A package operation of the batch and what the package manager lists afterwards. @inline */
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
  /**
   * Ids of cells the plan ran explicitly and marimo ran (descendants that ran reactively are
   * in `cells`). A cell marimo left unrun (`stale` or `disabled` afterwards) is not listed;
   * its status is in `cells`.
   */
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
  /**
   * Set when the batch was applied but a step after it failed: reading the cell states, or
   * (marimo < 0.25.2) running the cells marimo left unrun in a batch that changed cells.
   */
  reportError?: string;
  /**
   * A plan that puts back what this batch changed: `nb.apply(result.undo)`. It first checks
   * that every cell it touches is still as this batch left it, and is refused with
   * `CellChangedError` otherwise (nothing applied). Empty when nothing can be undone.
   */
  undo: CodeModePlan;
  /** What `undo` cannot put back (packages, effects of running cells, …), in words. */
  cannotUndo: string[];
  /** The result as a JSON document; `undo` as the JSON operations `marimo-pair apply` reads. */
  toJSON(): ApplyResultJson;
}

/**
 * {@link ApplyResult} as JSON (what the CLI prints and the MCP tools return): its data fields,
 * with `applied: true`, `created` as a plain record and `undo` as JSON operations.
 * @inline
 */
export type ApplyResultJson = Omit<ApplyResult, "created" | "idOf" | "undo" | "toJSON"> & {
  /** Always true: the batch was applied. */
  applied: true;
  /** `CellRef.key` → id of each created cell. */
  created: Record<string, string>;
  /** The undo plan as JSON operations. */
  undo: OperationJson[];
};

const ERROR_STATUSES: ReadonlySet<string> = new Set(["exception", "marimo-error", "interrupted", "cancelled"]);

function unnamed(name: string): string | null {
  return name === "" || name === "_" || name === "__" ? null : name;
}

/** Turn a successful batch's document into its {@link ApplyResult}. */
export function toResult(doc: BatchDocument, execution: CodeModeExecution, stdout: string, refs: readonly CellRef[] | undefined): ApplyResult {
  const created = Object.freeze({ ...doc.created });
  const cells: CellRunState[] = doc.cells.map((c) => ({
    id: c.id,
    name: unnamed(c.name),
    status: c.status,
    errors: c.errors.map((e) => ({ kind: e.kind, message: e.message })),
  }));
  const { plan: undo, cannotUndo } = buildUndo(doc);
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
    undo,
    cannotUndo,
    toJSON(): ApplyResultJson {
      return {
        applied: true,
        success: result.success,
        created: { ...result.created },
        edited: result.edited,
        deleted: result.deleted,
        moved: result.moved,
        ran: result.ran,
        uiUpdated: result.uiUpdated,
        cells: result.cells,
        failed: result.failed,
        packages: result.packages,
        packagesListed: result.packagesListed,
        stdout: result.stdout,
        stderr: result.stderr,
        ...(result.reportError === undefined ? {} : { reportError: result.reportError }),
        undo: operationsFromPlan(result.undo),
        cannotUndo: result.cannotUndo,
      };
    },
  };
  if (doc.report_error !== undefined) result.reportError = doc.report_error;
  return result;
}
