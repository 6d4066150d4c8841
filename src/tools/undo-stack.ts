/**
 * The undo plans of the batches one agent connection applied, newest last, so that
 * `undo_last_batch` can put back the last one. Bounded: the oldest are forgotten.
 *
 * @module
 */
import type { CodeModePlan } from "../codemode/plan.js";
import type { NotebookTarget } from "./target.js";

/** One applied batch that can be undone. */
export interface UndoEntry {
  /** The notebook the batch was applied to. */
  target: NotebookTarget;
  /** Its undo plan. */
  plan: CodeModePlan;
  /** What the undo cannot put back. */
  cannotUndo: readonly string[];
  /** A short description of the batch, for messages. */
  summary: string;
}

/** How many batches a connection can undo. */
export const UNDO_DEPTH = 20;

/** The undo plans of one connection, newest last. */
export class UndoStack {
  readonly #entries: UndoEntry[] = [];

  /** Remember a batch's undo. */
  push(entry: UndoEntry): void {
    this.#entries.push(entry);
    if (this.#entries.length > UNDO_DEPTH) this.#entries.shift();
  }

  /** The newest entry, without removing it. */
  peek(): UndoEntry | undefined {
    return this.#entries.at(-1);
  }

  /** Remove the newest entry. */
  drop(entry: UndoEntry): void {
    const at = this.#entries.lastIndexOf(entry);
    if (at !== -1) this.#entries.splice(at, 1);
  }
}
