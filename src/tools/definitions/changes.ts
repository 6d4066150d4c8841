/**
 * The tools that change a notebook — create, edit, run, delete and move cells, install and
 * remove packages, set UI values, and whole operation lists. Each builds the same JSON
 * operations `marimo-pair apply` reads, turns them into a code-mode plan through the
 * builder, and applies it as one atomic batch.
 *
 * @module
 */
import type { z } from "zod";
import type { ApplyResult } from "../../codemode/apply.js";
import type { OperationJson } from "../../schemas/operations.js";
import { type CreatedByOperation, planFromOperations } from "../../codemode/json-operations.js";
import type { CodeModePlan } from "../../codemode/plan.js";
import { appliedDocument } from "../../codemode/result-json.js";
import { HeadTailCollector } from "../budget.js";
import { defineTool, ok, type RunContext } from "../define.js";
import type { ToolEnv } from "../env.js";
import {
  ApplyOperationsInput,
  CreateCellInput,
  DeleteCellInput,
  EditCellInput,
  InstallPackagesInput,
  MoveCellInput,
  RemovePackagesInput,
  RunCellInput,
  SetUiValueInput,
} from "../inputs.js";
import { cellData, cellText, CELL_PREVIEW_BUDGET, statesText } from "../render.js";
import type { NotebookTarget } from "../target.js";
import type { ToolAnnotations, ToolDefinition, ToolResult } from "../types.js";

const TARGET_KEYS = new Set(["url", "file", "session", "run"]);

/** The operation fields of a tool input (without the notebook target and `run`). */
function operationFields(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([k, v]) => !TARGET_KEYS.has(k) && v !== undefined));
}

function targetOf(input: NotebookTarget): NotebookTarget {
  const t: NotebookTarget = {};
  if (input.url !== undefined) t.url = input.url;
  if (input.file !== undefined) t.file = input.file;
  if (input.session !== undefined) t.session = input.session;
  return t;
}

/** What to apply and how to describe it. */
export interface ApplyRequest {
  /** The operations, in order. */
  operations: OperationJson[];
  /** Read these cells back after the batch (by op index of a create_cell, or by id/name) to show their output. */
  show?: ((result: ApplyResult, created: readonly string[]) => string[]) | undefined;
  /** Show the batch's stdout/stderr in the text (when no cell is shown). */
  console?: boolean | undefined;
  /** A first line describing the change. */
  summary(result: ApplyResult, created: readonly string[]): string;
}

/** Apply operations to the call's notebook and describe what happened; remember the undo. */
async function applyOperations(env: ToolEnv, target: NotebookTarget, request: ApplyRequest, context: RunContext): Promise<ToolResult> {
  const plan = planFromOperations(request.operations);
  return applyAndDescribe(env, target, plan, request, context, true);
}

/**
 * Apply a plan to the call's notebook and describe what happened. With `remember`, the
 * batch's undo goes on the connection's undo stack.
 */
export async function applyAndDescribe(
  env: ToolEnv,
  target: NotebookTarget,
  plan: CodeModePlan<readonly CreatedByOperation[]> | CodeModePlan,
  request: Omit<ApplyRequest, "operations">,
  context: RunContext,
  remember: boolean,
): Promise<ToolResult> {
  const { url, notebook } = await env.resolver.resolve(target, context.signal);
  const stdout = new HeadTailCollector(env.budget);
  const stderr = new HeadTailCollector(env.budget);
  const result = await notebook.apply(plan, {
    signal: context.signal,
    onEvent: (event) => {
      if (event.type === "done") return;
      (event.type === "stdout" ? stdout : stderr).push(event.data);
      const line = event.data.trim().split("\n").at(-1) ?? "";
      if (line !== "") context.progress(`${event.type}: ${line.slice(0, 200)}`);
    },
  });
  const made: readonly CreatedByOperation[] = plan.value ?? [];
  const created = made.map((c) => result.idOf(c.cell));
  const file = notebook.info.path;
  if (remember && result.undo.operations.length > 0) {
    env.undo.push({
      target: file === null ? { url, session: notebook.sessionId } : { url, file },
      plan: result.undo,
      cannotUndo: result.cannotUndo,
      summary: request.summary(result, created).split("\n")[0] ?? "",
    });
  }
  const lines = [request.summary(result, created)];
  if (!result.success) lines.push(`Applied, but ${result.failed.map((c) => `cell ${c.id}`).join(", ") || "a cell"} raised while running.`);
  const states = statesText(result.cells);
  if (states !== "") lines.push("cells:", states.trimEnd());
  const shown: Record<string, unknown>[] = [];
  const ids = request.show?.(result, created) ?? [];
  if (ids.length > 0) {
    const cells = await notebook.cells({ signal: context.signal });
    for (const id of ids) {
      const cell = cells.find((c) => c.id === id || c.name === id);
      if (cell === undefined) continue;
      lines.push(cellText(cell, CELL_PREVIEW_BUDGET));
      shown.push(cellData(cell, CELL_PREVIEW_BUDGET));
    }
  }
  const out = stdout.finish("stdout");
  const err = stderr.finish("stderr");
  // Cells shown above carry their own console output; otherwise the batch's console is
  // shown where cells ran (marimo's own summary lines are in it too).
  if (ids.length === 0 && request.console === true) {
    if (out.text.trim() !== "") lines.push("--- stdout ---", out.text.trimEnd());
    if (err.text.trim() !== "") lines.push("--- stderr ---", err.text.trimEnd());
  }
  if (result.reportError !== undefined) lines.push(`(Applied, but a step afterwards failed: ${result.reportError})`);
  if (result.cannotUndo.length > 0) lines.push(`(undo_last_batch cannot put back: ${result.cannotUndo.join("; ")})`);
  return ok(lines.join("\n"), {
    url,
    session: notebook.sessionId,
    file,
    ...appliedDocument(result, made),
    shown,
    stdout: out.text,
    stderr: err.text,
  });
}

const CHANGE: ToolAnnotations = { title: "", readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false };

function cellName(target: unknown): string {
  if (typeof target === "string") return target;
  const t = target as { id?: string; name?: string };
  return t.id ?? t.name ?? "";
}

/** How a summary says whether the cell was run: only what marimo did (`result.ran`). */
function runText(result: ApplyResult, run: boolean | undefined, notRun: string): string {
  if (run !== true) return notRun;
  return result.ran.length > 0 ? " and ran it" : "; marimo did not run it (its status is below)";
}

/** The `create_cell` tool. */
export function createCellTool(env: ToolEnv): ToolDefinition {
  return defineTool({
    name: "create_cell",
    description:
      "Add a cell to a live marimo notebook (appended, or placed before/after a cell). Pass run: true to run it at once " +
      "and see its output. marimo is reactive: a cell may not redefine a variable another cell defines (the batch is " +
      "refused and nothing changes); prefix cell-private names with _. Call read_cells first and give the cell a name no " +
      "cell has: a taken name is refused (duplicate_name). marimo saves the notebook file itself.",
    input: CreateCellInput,
    annotations: { ...CHANGE, title: "Create a cell" },
    run: (input: z.output<typeof CreateCellInput>, context) => {
      const operations: OperationJson[] = [{ op: "create_cell", ...operationFields(input), ref: "new" } as OperationJson];
      if (input.run === true) operations.push({ op: "run_cell", cell: { ref: "new" } });
      return applyOperations(env, targetOf(input), {
        operations,
        summary: (r, created) => `Created cell ${created[0] ?? "?"}${runText(r, input.run, " (not run; run_cell runs it)")}.`,
        show: (_r, created) => (input.run === true ? created.slice(0, 1) : []),
      }, context);
    },
  });
}

/** The `edit_cell` tool. */
export function editCellTool(env: ToolEnv): ToolDefinition {
  return defineTool({
    name: "edit_cell",
    description:
      "Replace a cell's code (the whole cell) and/or change its configuration. Read the cell first with read_cells: marimo " +
      "refuses to overwrite code the agent has not seen (a person may have changed it), and nothing is applied then. " +
      "Pass run: true to run it (and its descendants) and see the output.",
    input: EditCellInput,
    annotations: { ...CHANGE, title: "Edit a cell", idempotentHint: true },
    run: (input: z.output<typeof EditCellInput>, context) => {
      const operations: OperationJson[] = [{ op: "edit_cell", ...operationFields(input) } as OperationJson];
      if (input.run === true) operations.push({ op: "run_cell", cell: input.cell });
      return applyOperations(env, targetOf(input), {
        operations,
        summary: (r) => `Edited cell ${r.edited[0] ?? cellName(input.cell)}${runText(r, input.run, " (not run)")}.`,
        show: (r) => (input.run === true ? r.edited.slice(0, 1) : []),
      }, context);
    },
  });
}

/** The `run_cell` tool. */
export function runCellTool(env: ToolEnv): ToolDefinition {
  return defineTool({
    name: "run_cell",
    description: "Run a cell of the notebook (its descendants run too, as marimo's reactivity does) and report its status and output.",
    input: RunCellInput,
    annotations: { ...CHANGE, title: "Run a cell" },
    run: (input: z.output<typeof RunCellInput>, context) =>
      applyOperations(env, targetOf(input), {
        operations: [{ op: "run_cell", cell: input.cell }],
        summary: (r) => (r.ran[0] === undefined ? `marimo did not run cell ${cellName(input.cell)}; its status is below.` : `Ran cell ${r.ran[0]}.`),
        show: (r) => r.ran.slice(0, 1),
      }, context),
  });
}

/** The `delete_cell` tool. */
export function deleteCellTool(env: ToolEnv): ToolDefinition {
  return defineTool({
    name: "delete_cell",
    description: "Delete a cell from the notebook. Its code is gone from the notebook (and, once marimo saves, from the file). Confirm with the person first.",
    input: DeleteCellInput,
    annotations: { ...CHANGE, title: "Delete a cell", destructiveHint: true, idempotentHint: true },
    run: (input: z.output<typeof DeleteCellInput>, context) =>
      applyOperations(env, targetOf(input), {
        operations: [{ op: "delete_cell", cell: input.cell }],
        summary: (r) => `Deleted cell ${r.deleted[0] ?? cellName(input.cell)}.`,
      }, context),
  });
}

/** The `move_cell` tool. */
export function moveCellTool(env: ToolEnv): ToolDefinition {
  return defineTool({
    name: "move_cell",
    description: "Move a cell before or after another cell (give exactly one of before/after). Order is for people: marimo runs cells by their dependencies.",
    input: MoveCellInput,
    annotations: { ...CHANGE, title: "Move a cell", idempotentHint: true },
    run: (input: z.output<typeof MoveCellInput>, context) =>
      applyOperations(env, targetOf(input), {
        operations: [{ op: "move_cell", ...operationFields(input) } as OperationJson],
        summary: (r) => `Moved cell ${r.moved[0] ?? cellName(input.cell)}.`,
      }, context),
  });
}

/** The `install_packages` tool. */
export function installPackagesTool(env: ToolEnv): ToolDefinition {
  return defineTool({
    name: "install_packages",
    description:
      "Install Python packages into the notebook's environment through marimo's package manager (so the notebook records " +
      "them, e.g. in its script metadata under --sandbox). Use this instead of pip in a shell.",
    input: InstallPackagesInput,
    annotations: { ...CHANGE, title: "Install packages", idempotentHint: true, openWorldHint: true },
    run: (input: z.output<typeof InstallPackagesInput>, context) =>
      applyOperations(env, targetOf(input), {
        operations: [{ op: "install_packages", packages: input.packages }],
        summary: (r) =>
          r.packages.map((p) => `${p.spec}: ${p.version === null ? (r.packagesListed ? "NOT installed" : "version unknown") : `installed ${p.version}`}`).join("\n"),
      }, context),
  });
}

/** The `remove_packages` tool. */
export function removePackagesTool(env: ToolEnv): ToolDefinition {
  return defineTool({
    name: "remove_packages",
    description: "Uninstall Python packages from the notebook's environment through marimo's package manager. Cells that import them will fail. Confirm with the person first.",
    input: RemovePackagesInput,
    annotations: { ...CHANGE, title: "Remove packages", destructiveHint: true, idempotentHint: true, openWorldHint: true },
    run: (input: z.output<typeof RemovePackagesInput>, context) =>
      applyOperations(env, targetOf(input), {
        operations: [{ op: "remove_packages", packages: input.packages }],
        summary: (r) => r.packages.map((p) => `${p.spec}: ${p.version === null ? "removed" : `still installed (${p.version})`}`).join("\n"),
      }, context),
  });
}

/** The `set_ui_value` tool. */
export function setUiValueTool(env: ToolEnv): ToolDefinition {
  return defineTool({
    name: "set_ui_value",
    description: "Set the value of a UI element (slider, dropdown, text, …) bound to a notebook variable, as if the person used it; cells that read it run again.",
    input: SetUiValueInput,
    annotations: { ...CHANGE, title: "Set a UI element's value", idempotentHint: true },
    run: (input: z.output<typeof SetUiValueInput>, context) =>
      applyOperations(env, targetOf(input), {
        operations: [{ op: "set_ui_value", variable: input.variable, value: input.value }],
        console: true,
        summary: () => `Set ${input.variable}.`,
      }, context),
  });
}

/** The `apply_operations` tool. */
export function applyOperationsTool(env: ToolEnv): ToolDefinition {
  return defineTool({
    name: "apply_operations",
    description:
      "Apply several changes as one atomic batch (marimo applies all cell changes or none): the same JSON operations as " +
      "`marimo-pair apply`. A create_cell may carry a ref label that later operations use as {\"ref\": label}. May delete " +
      "cells or remove packages.",
    input: ApplyOperationsInput,
    annotations: { ...CHANGE, title: "Apply a list of operations", destructiveHint: true },
    run: (input: z.output<typeof ApplyOperationsInput>, context) =>
      applyOperations(env, targetOf(input), {
        operations: input.operations,
        console: true,
        summary: (r, created) =>
          `Applied ${input.operations.length} operation(s): created ${created.join(", ") || "none"}; edited ${r.edited.join(", ") || "none"}; ` +
          `deleted ${r.deleted.join(", ") || "none"}; moved ${r.moved.join(", ") || "none"}; ran ${r.ran.join(", ") || "none"}.`,
      }, context),
  });
}
