/**
 * Typed notebook events, as yielded by `nb.events()`. Each event has a `type` to switch on
 * and marimo's own `op` name.
 *
 * @module
 */

/** A cell's run state. marimo sends `idle`, `queued`, `running`, `stale`, `disabled-transitively`. @inline */
export type CellEventStatus = "idle" | "queued" | "running" | "stale" | "disabled-transitively" | (string & {});

/** One output of a cell: its channel (`output`, `stdout`, `stderr`, `marimo-error`, `media`, …), mimetype and data. @inline */
export interface CellEventOutput {
  /** `output` for the cell's value; `stdout`/`stderr`/`stdin`/`pdb`/`media` for console entries; `marimo-error` for errors. */
  channel: string;
  /** e.g. `text/html`, `text/plain`, `image/png`, `application/vnd.marimo+mimebundle`, `application/vnd.marimo+error`. */
  mimetype: string;
  /** Text for most mimetypes; a list for `marimo-error`; an object for mimebundles. */
  data: unknown;
  /** When marimo produced it (seconds since the epoch), when known. */
  timestamp: number | null;
}

/** A change of a cell's status, output or console (a partial update: `null` means unchanged). @inline */
export interface CellEvent {
  type: "cell";
  op: "cell-op";
  /** The cell (`__scratch__` for executions, shown only with `includeScratch`). */
  cellId: string;
  /** The new status, or null when unchanged. */
  status: CellEventStatus | null;
  /** The new output, or null when unchanged (an empty `text/plain` output clears it). */
  output: CellEventOutput | null;
  /** Console entries to append, `[]` to clear the console, null when unchanged. */
  console: CellEventOutput[] | null;
  /** Whether the cell's inputs changed since it last ran, null when unchanged. */
  staleInputs: boolean | null;
  /** The run this update belongs to. */
  runId: string | null;
}

/** An attempt to run a cell (marimo ≥ 0.25.2): `planned`, then `running`, then `completed`. @inline */
export interface ExecutionEvent {
  type: "execution";
  op: "execution";
  cellId: string;
  /** `planned`, `running` or `completed`. */
  phase: "planned" | "running" | "completed" | (string & {});
  executionId: string;
  runId: string | null;
  /** The code being run (on `planned`), else null. */
  code: string | null;
}

/** One change in a document transaction. Fields present depend on `type`. @inline */
export interface DocumentChange {
  /** `create-cell`, `delete-cell`, `move-cell`, `reorder-cells`, `set-code`, `set-name` or `set-config`. */
  type: string;
  /** The cell changed (all but `reorder-cells`). */
  cellId?: string;
  /** The new order (`reorder-cells`). */
  cellIds?: string[];
  /** The cell's code (`create-cell`, `set-code`). */
  code?: string;
  /** The cell's name (`create-cell`, `set-name`). */
  name?: string;
  /** The cell's config (`create-cell`, `set-config`): `column`, `disabled`, `hideCode`/`hide_code`, … */
  config?: Record<string, unknown>;
  /** Placement (`create-cell`, `move-cell`). */
  before?: string | null;
  /** Placement (`create-cell`, `move-cell`). */
  after?: string | null;
}

/** Cells were created, edited, renamed, moved or deleted — by the person in the browser, by code mode, or by a file reload. @inline */
export interface DocumentEvent {
  type: "document";
  op: "notebook-document-transaction";
  /** Who changed it: `frontend` (a browser or the HTTP document API), `kernel`, `code-mode`, `file-watch`, … */
  source: string | null;
  /** The document version after the change. */
  version: number | null;
  changes: DocumentChange[];
}

/** The session's state at (re)connection: its cells in order. Replayed cell events follow. @inline */
export interface KernelReadyEvent {
  type: "kernel_ready";
  op: "kernel-ready";
  cellIds: string[];
  /** Code of each cell, in the same order. */
  codes: string[];
  /** Name of each cell, in the same order. */
  names: string[];
}

/** A toast (`alert`) or a persistent banner (`banner`, e.g. "Kernel stopped"). @inline */
export interface NoticeEvent {
  type: "alert" | "banner";
  op: "alert" | "banner";
  title: string;
  /** May contain HTML. */
  description: string;
  /** e.g. `danger`, or null. */
  variant: string | null;
  /** A suggested action (banners: `restart`), or null. */
  action: string | null;
}

/** One command's reactive run ended (its console flushed). @inline */
export interface CompletedRunEvent {
  type: "completed_run";
  op: "completed-run";
  runId: string | null;
  /** `succeeded`, `failed` or `interrupted` (marimo ≥ 0.25.2), else null. */
  outcome: string | null;
  error: string | null;
}

/** The kernel was interrupted. @inline */
export interface InterruptedEvent {
  type: "interrupted";
  op: "interrupted";
  runId: string | null;
}

/** The kernel failed to start. @inline */
export interface KernelStartupErrorEvent {
  type: "kernel_startup_error";
  op: "kernel-startup-error";
  error: string;
}

/** The server ended the stream (the last event): e.g. 1000 `MARIMO_SHUTDOWN` after a restart. @inline */
export interface ClosedEvent {
  type: "closed";
  op: "close";
  code: number;
  reason: string;
}

/** Any other notification, passed through as marimo sent it. @inline */
export interface OtherEvent {
  type: "other";
  op: string;
  data: Record<string, unknown>;
}

/** An event of `nb.events()`. */
export type NotebookEvent =
  | CellEvent
  | ExecutionEvent
  | DocumentEvent
  | KernelReadyEvent
  | NoticeEvent
  | CompletedRunEvent
  | InterruptedEvent
  | KernelStartupErrorEvent
  | ClosedEvent
  | OtherEvent;
