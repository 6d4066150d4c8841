/**
 * Turns validated JSON operations into a code-mode plan through the builder, so they get
 * exactly the builder's checks and escaping.
 *
 * @module
 */
import type { CodeModeBuilder } from "./builder.js";
import { InvalidPlanError } from "./errors.js";
import type { CellConfigFields, CodeModeOptions } from "./operations.js";
import { codeMode, type CodeModePlan } from "./plan.js";
import type { JsonValue } from "./python-literal.js";
import type { CellRef, CellTarget } from "./targets.js";
import type { CellTargetJson, OperationJson } from "../schemas/operations.js";

/** A cell created by the list: which operation made it, its `ref` label, and its ref in the plan. */
export interface CreatedByOperation {
  /** 0-based position of the `create_cell` in the list. */
  index: number;
  /** The operation's `ref` label, or null. */
  ref: string | null;
  /** The builder's ref (resolve it with `result.idOf`). */
  cell: CellRef;
}

type Config = { hide_code?: boolean | undefined; disabled?: boolean | undefined; column?: number | undefined; expand_output?: boolean | undefined; name?: string | undefined };

function config(op: Config): CellConfigFields & { expandOutput?: boolean } {
  const out: { hideCode?: boolean; disabled?: boolean; column?: number; expandOutput?: boolean; name?: string } = {};
  if (op.hide_code !== undefined) out.hideCode = op.hide_code;
  if (op.disabled !== undefined) out.disabled = op.disabled;
  if (op.column !== undefined) out.column = op.column;
  if (op.expand_output !== undefined) out.expandOutput = op.expand_output;
  if (op.name !== undefined) out.name = op.name;
  return out;
}

function record(builder: CodeModeBuilder, op: OperationJson, index: number, refs: Map<string, CellRef>, created: CreatedByOperation[]): void {
  const target = (t: CellTargetJson, field: string): CellTarget => {
    if (typeof t === "string" || !("ref" in t)) return t;
    const ref = refs.get(t.ref);
    if (ref === undefined) throw new InvalidPlanError(`${field}: no create_cell earlier in the list has ref '${t.ref}'.`);
    return ref;
  };
  switch (op.op) {
    case "create_cell": {
      if (op.ref !== undefined && refs.has(op.ref)) throw new InvalidPlanError(`ref '${op.ref}' is already used by an earlier create_cell.`);
      const cell = builder.createCell(op.code, {
        ...config(op),
        ...(op.before === undefined ? {} : { before: target(op.before, "before") }),
        ...(op.after === undefined ? {} : { after: target(op.after, "after") }),
      });
      if (op.ref !== undefined) refs.set(op.ref, cell);
      created.push({ index, ref: op.ref ?? null, cell });
      return;
    }
    case "edit_cell":
      builder.editCell(target(op.cell, "cell"), { ...config(op), ...(op.code === undefined ? {} : { code: op.code }) });
      return;
    case "delete_cell":
      builder.deleteCell(target(op.cell, "cell"));
      return;
    case "move_cell":
      if ((op.before === undefined) === (op.after === undefined)) throw new InvalidPlanError("give exactly one of before or after.");
      builder.moveCell(
        target(op.cell, "cell"),
        op.before !== undefined ? { before: target(op.before, "before") } : { after: target(op.after as CellTargetJson, "after") },
      );
      return;
    case "run_cell":
      builder.runCell(target(op.cell, "cell"));
      return;
    case "install_packages":
      builder.installPackages(...op.packages);
      return;
    case "remove_packages":
      builder.removePackages(...op.packages);
      return;
    case "set_ui_value":
      builder.setUiValue(op.variable, op.value as JsonValue);
      return;
  }
}

/**
 * Build the plan of a list of operations, in order.
 *
 * @throws {InvalidPlanError} for a mistake marimo would refuse, naming the operation
 *   (`operation 3 (move_cell): …`).
 */
export function planFromOperations(operations: readonly OperationJson[], options: CodeModeOptions = {}): CodeModePlan<CreatedByOperation[]> {
  return codeMode((builder) => {
    const refs = new Map<string, CellRef>();
    const created: CreatedByOperation[] = [];
    operations.forEach((op, index) => {
      try {
        record(builder, op, index, refs, created);
      } catch (error) {
        if (error instanceof InvalidPlanError) {
          throw new InvalidPlanError(`operation ${index + 1} (${op.op}): ${error.message}`, { cause: error });
        }
        throw error;
      }
    });
    return created;
  }, options);
}
