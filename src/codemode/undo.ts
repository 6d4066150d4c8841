/**
 * The undo of an applied batch: a plan built from what the batch captured in the kernel
 * (the touched cells before and after it, the cell order, old UI values). The plan first
 * checks that every cell it touches is still as the batch left it (`expectCell`), so an undo
 * never overwrites a newer edit; then it deletes the cells the batch created, puts back
 * code, names and config, re-creates deleted cells, restores the order, re-runs restored
 * cells that had run, and sets UI values back.
 *
 * @module
 */
import type { BatchDocument, CellSnapshotData } from "../schemas/codemode.js";
import type { CodeModeBuilder } from "./builder.js";
import type { EditCellOptions } from "./operations.js";
import { codeMode, type CodeModePlan } from "./plan.js";
import type { JsonValue } from "./python-literal.js";
import type { CellRef, CellTarget } from "./targets.js";

/** An undo plan and what it cannot put back. */
export interface UndoBuild {
  /** The plan; empty when the batch changed nothing that can be undone. */
  plan: CodeModePlan;
  /** What the plan cannot put back, in words. */
  cannotUndo: string[];
}

function nameOrNull(name: string): string | null {
  return name === "" ? null : name;
}

function guard(b: CodeModeBuilder, snap: CellSnapshotData, withIndex: boolean): void {
  b.expectCell(
    { id: snap.id },
    {
      code: snap.code,
      name: nameOrNull(snap.name),
      hideCode: snap.config.hide_code,
      disabled: snap.config.disabled,
      column: snap.config.column,
      expandOutput: snap.config.expand_output,
      ...(withIndex ? { index: snap.index } : {}),
    },
  );
}

function restoreEdit(before: CellSnapshotData, after: CellSnapshotData, gaps: string[]): EditCellOptions | undefined {
  const options: EditCellOptions = {};
  if (before.code !== after.code) options.code = before.code;
  if (before.name !== after.name) options.name = nameOrNull(before.name);
  if (before.config.hide_code !== after.config.hide_code) options.hideCode = before.config.hide_code;
  if (before.config.disabled !== after.config.disabled) options.disabled = before.config.disabled;
  if (before.config.expand_output !== after.config.expand_output) options.expandOutput = before.config.expand_output;
  if (before.config.column !== after.config.column) {
    if (before.config.column === null) gaps.push(`cell '${before.id}': its column cannot be cleared again`);
    else options.column = before.config.column;
  }
  return Object.keys(options).length === 0 ? undefined : options;
}

function recreate(b: CodeModeBuilder, snap: CellSnapshotData, anchor: { before?: CellTarget; after?: CellTarget }): CellRef {
  return b.createCell(snap.code, {
    ...anchor,
    ...(snap.name === "" ? {} : { name: snap.name }),
    hideCode: snap.config.hide_code,
    disabled: snap.config.disabled,
    ...(snap.config.column === null ? {} : { column: snap.config.column }),
    ...(snap.config.expand_output ? { expandOutput: true } : {}),
  });
}

/** Put the cells back in their order: re-create deleted cells in place, then move the others. */
function restoreOrder(
  b: CodeModeBuilder,
  order: { before: readonly string[]; after: readonly string[] },
  created: ReadonlySet<string>,
  deleted: ReadonlyMap<string, CellSnapshotData>,
  toRun: CellTarget[],
): void {
  const wanted = order.before;
  const current = order.after.filter((id) => !created.has(id));
  const targets = new Map<string, CellTarget>(current.map((id) => [id, { id }]));
  wanted.forEach((id, position) => {
    const snap = deleted.get(id);
    if (snap === undefined) return;
    const previous = wanted.slice(0, position).reverse().find((p) => current.includes(p));
    const anchor =
      previous !== undefined ? { after: targets.get(previous) as CellTarget } : current.length > 0 ? { before: targets.get(current[0] as string) as CellTarget } : {};
    const ref = recreate(b, snap, anchor);
    targets.set(id, ref);
    current.splice(previous === undefined ? 0 : current.indexOf(previous) + 1, 0, id);
    if (snap.had_run === true) toRun.push(ref);
  });
  wanted.forEach((id, i) => {
    if (current[i] === id || !current.includes(id)) return;
    const target = targets.get(id) as CellTarget;
    if (i === 0) b.moveCell(target, { before: targets.get(current[0] as string) as CellTarget });
    else b.moveCell(target, { after: targets.get(wanted[i - 1] as string) as CellTarget });
    current.splice(current.indexOf(id), 1);
    current.splice(i, 0, id);
  });
}

/** Build the undo of an applied batch from its result document. */
export function buildUndo(doc: BatchDocument): UndoBuild {
  const gaps: string[] = [];
  for (const p of doc.packages) {
    gaps.push(`${p.action === "add" ? "installed" : "removed"} package '${p.spec}': packages are not ${p.action === "add" ? "uninstalled" : "reinstalled"}`);
  }
  if (doc.ran.length > 0 || doc.ui.length > 0) {
    gaps.push("what running cells did outside the notebook (files written, data sent, …) is not undone");
  }
  const capture = doc.undo;
  const changed = Object.keys(doc.created).length + doc.edited.length + doc.deleted.length + doc.moved.length + doc.ui.length > 0;
  if (capture === undefined) {
    if (changed) gaps.push(`nothing: reading the notebook after the batch failed (${doc.undo_error ?? "no capture"})`);
    return { plan: codeMode(() => undefined), cannotUndo: gaps };
  }
  const before = new Map(capture.before.map((s) => [s.id, s]));
  const after = new Map(capture.after.map((s) => [s.id, s]));
  const created = new Set(Object.values(doc.created));
  const deleted = new Map(doc.deleted.flatMap((id) => (before.has(id) ? [[id, before.get(id) as CellSnapshotData] as const] : [])));
  const structural = created.size > 0 || deleted.size > 0 || doc.moved.length > 0;
  const plan = codeMode((b) => {
    const guarded = new Set<string>();
    for (const id of [...created, ...doc.edited, ...doc.moved]) {
      const snap = after.get(id);
      if (snap === undefined || guarded.has(id)) continue;
      guarded.add(id);
      guard(b, snap, structural);
    }
    for (const id of created) if (after.has(id)) b.deleteCell({ id });
    const toRun: CellTarget[] = [];
    for (const id of new Set(doc.edited)) {
      if (created.has(id)) continue;
      const was = before.get(id);
      const now = after.get(id);
      if (was === undefined || now === undefined) {
        gaps.push(`cell '${id}': its state after the batch could not be read`);
        continue;
      }
      const options = restoreEdit(was, now, gaps);
      if (options !== undefined) b.editCell({ id }, options);
      if (options?.code !== undefined && was.had_run === true) toRun.push({ id });
    }
    if (structural) restoreOrder(b, { before: capture.order_before, after: capture.order_after }, created, deleted, toRun);
    for (const target of toRun) b.runCell(target);
    for (const [name, entry] of Object.entries(capture.ui_before)) {
      if (entry.unsupported !== undefined) gaps.push(`UI element '${name}': its old value (a ${entry.unsupported}) cannot be set again`);
      else b.setUiValue(name, entry.value as JsonValue);
    }
  });
  return { plan, cannotUndo: gaps };
}
