/**
 * Turns validated JSON operations into a code-mode plan through the builder, so they get
 * exactly the builder's checks and escaping.
 *
 * @module
 */
import type { CodeModeBuilder } from "./builder.js";
import { InvalidPlanError } from "./errors.js";
import type { CellConfigFields, CodeModeOptions, PlanOperation } from "./operations.js";
import { codeMode, type CodeModePlan } from "./plan.js";
import type { JsonValue } from "./python-literal.js";
import type { CellRef, CellTarget, ResolvedTarget } from "./targets.js";
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

type Config = {
  hide_code?: boolean | undefined;
  disabled?: boolean | undefined;
  column?: number | undefined;
  expand_output?: boolean | undefined;
  name?: string | null | undefined;
  allow_duplicate_name?: boolean | undefined;
};

function config(op: Config): Omit<CellConfigFields, "name"> & { name?: string | null; allowDuplicateName?: boolean } {
  const out: { hideCode?: boolean; disabled?: boolean; column?: number; expandOutput?: boolean; name?: string | null; allowDuplicateName?: boolean } = {};
  if (op.hide_code !== undefined) out.hideCode = op.hide_code;
  if (op.disabled !== undefined) out.disabled = op.disabled;
  if (op.column !== undefined) out.column = op.column;
  if (op.expand_output !== undefined) out.expandOutput = op.expand_output;
  if (op.name !== undefined) out.name = op.name;
  if (op.allow_duplicate_name !== undefined) out.allowDuplicateName = op.allow_duplicate_name;
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
      const { name, ...rest } = config(op);
      const cell = builder.createCell(op.code, {
        ...rest,
        ...(name === undefined || name === null ? {} : { name }),
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
    case "expect_cell": {
      const { op: _op, cell, hide_code, expand_output, ...same } = op;
      builder.expectCell(target(cell, "cell"), {
        ...same,
        ...(hide_code === undefined ? {} : { hideCode: hide_code }),
        ...(expand_output === undefined ? {} : { expandOutput: expand_output }),
      });
      return;
    }
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

function targetJson(target: ResolvedTarget): CellTargetJson {
  switch (target.kind) {
    case "ref":
      return { ref: target.ref.key };
    case "any":
      return target.value;
    case "id":
      return { id: target.value };
    case "name":
      return { name: target.value };
  }
}

function configJson(op: Omit<CellConfigFields, "name">): Record<string, unknown> {
  return {
    ...(op.hideCode === undefined ? {} : { hide_code: op.hideCode }),
    ...(op.disabled === undefined ? {} : { disabled: op.disabled }),
    ...(op.column === undefined ? {} : { column: op.column }),
    ...(op.expandOutput === undefined ? {} : { expand_output: op.expandOutput }),
  };
}

function operationJson(op: PlanOperation): OperationJson {
  switch (op.kind) {
    case "createCell":
      return {
        op: "create_cell",
        code: op.code,
        ref: op.ref.key,
        ...(op.before === undefined ? {} : { before: targetJson(op.before) }),
        ...(op.after === undefined ? {} : { after: targetJson(op.after) }),
        ...configJson(op),
        ...(op.name === undefined ? {} : { name: op.name }),
        ...(op.allowDuplicateName === true ? { allow_duplicate_name: true } : {}),
      };
    case "editCell":
      return {
        op: "edit_cell",
        cell: targetJson(op.target),
        ...(op.code === undefined ? {} : { code: op.code }),
        ...configJson(op),
        ...(op.name === undefined ? {} : { name: op.name === "" ? null : op.name }),
        ...(op.allowDuplicateName === true ? { allow_duplicate_name: true } : {}),
      };
    case "expectCell":
      return {
        op: "expect_cell",
        cell: targetJson(op.target),
        ...(op.code === undefined ? {} : { code: op.code }),
        ...(op.name === undefined ? {} : { name: op.name === "" ? null : op.name }),
        ...(op.hideCode === undefined ? {} : { hide_code: op.hideCode }),
        ...(op.disabled === undefined ? {} : { disabled: op.disabled }),
        ...(op.column === undefined ? {} : { column: op.column }),
        ...(op.expandOutput === undefined ? {} : { expand_output: op.expandOutput }),
        ...(op.index === undefined ? {} : { index: op.index }),
      };
    case "deleteCell":
      return { op: "delete_cell", cell: targetJson(op.target) };
    case "moveCell":
      return { op: "move_cell", cell: targetJson(op.target), [op.anchor]: targetJson(op.to) };
    case "runCell":
      return { op: "run_cell", cell: targetJson(op.target) };
    case "installPackages":
      return { op: "install_packages", packages: [...op.specs] };
    case "removePackages":
      return { op: "remove_packages", packages: [...op.specs] };
    case "setUiValue":
      return { op: "set_ui_value", variable: op.variableName, value: op.value } as OperationJson;
  }
}

/**
 * The JSON operations of a plan (what `marimo-pair apply` reads): `planFromOperations` of
 * them builds the same plan. Created cells carry their ref key as `ref` label.
 */
export function operationsFromPlan(plan: { readonly operations: readonly PlanOperation[] }): OperationJson[] {
  return plan.operations.map(operationJson);
}
