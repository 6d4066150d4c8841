/**
 * Renders a plan to Python for a given marimo version. Caller values reach the text only
 * through `python-literal.ts`.
 *
 * @module
 */
import { UnsupportedVersionError } from "../errors.js";
import { checkNonce, createNonce } from "./envelope.js";
import type { CellConfigFields, ExpectCellOperation, PlanOperation } from "./operations.js";
import { PY_BATCH_HELPERS, PY_EMIT, PY_RECOVER } from "./python-prelude.js";
import { pyBool, pyNumber, pyStr, pyStrBlock, pyValue } from "./python-literal.js";
import type { ResolvedTarget } from "./targets.js";
import { FEATURE_SINCE, isAtLeast } from "../version.js";

/** Options of `plan.toPython()`. @inline */
export interface ToPythonOptions {
  /**
   * The marimo version that will run the code; features it lacks are refused and older
   * spellings are used where they exist.
   * @default undefined (the newest marimo this SDK knows)
   */
  marimoVersion?: string | undefined;
  /**
   * @internal The nonce of the result markers (8–128 characters of `A-Za-z0-9_-`). Give a fixed one only
   * for reproducible output (tests); a reused nonce lets printed text forge the result.
   * @default a fresh random nonce per call
   */
  nonce?: string | undefined;
}

/** What {@link renderPlan} needs of a plan. */
export interface RenderablePlan {
  readonly operations: readonly PlanOperation[];
  readonly options: { readonly skipValidation: boolean; readonly skipStalenessCheck: boolean };
}

/**
 * The first marimo release whose code mode this SDK drives (cells no longer run on creation).
 * Checked against real 0.21.1, 0.22.0, 0.23.1 and 0.25.2. Some of those deliver output printed
 * after cells ran to the next request; `applyPlan` then fetches the copy of the result the
 * batch kept in the kernel. Cell statuses need marimo ≥ 0.22.5 (`null` before).
 */
export const CODE_MODE_SINCE = FEATURE_SINCE.runCell;
/** The `expand_output` option of `create_cell` / `edit_cell`. */
export const EXPAND_OUTPUT_SINCE = FEATURE_SINCE.expandOutput;
/** `get_context(skip_validation=...)`; earlier releases spelled it `check=False`. */
export const SKIP_VALIDATION_SINCE = FEATURE_SINCE.skipValidationArg;

const INDENT = "        ";

function supports(version: string | undefined, since: string): boolean {
  return version === undefined || isAtLeast(version, since);
}

function requireVersion(version: string | undefined, since: string, feature: string): void {
  if (version !== undefined && !isAtLeast(version, since)) throw new UnsupportedVersionError(feature, version, since);
}

const CHANGES_CELLS = new Set<PlanOperation["kind"]>(["createCell", "editCell", "deleteCell", "moveCell"]);
const CHANGES_EXISTING = new Set<PlanOperation["kind"]>(["editCell", "deleteCell", "moveCell"]);

/**
 * Refuse, before anything runs, plans that older marimo would apply wrongly: before
 * `runRegistersCells` running a cell no browser has run fails with `KeyError`; before
 * `codeModeSaves` cell changes never reach the notebook file; before `stalenessCheck` an
 * edit, move or delete of an existing cell would overwrite a change made since it was read
 * (unless the caller opted out of the guard with `skipStalenessCheck`).
 */
function requireCellGuards(plan: RenderablePlan, version: string | undefined): void {
  if (plan.operations.some((op) => CHANGES_CELLS.has(op.kind))) {
    requireVersion(version, FEATURE_SINCE.codeModeSaves, "Changing cells through code mode (saved to the notebook file)");
  }
  if (plan.operations.some((op) => op.kind === "runCell")) {
    requireVersion(version, FEATURE_SINCE.runRegistersCells, "Running cells through code mode");
  }
  if (!plan.options.skipStalenessCheck && plan.operations.some((op) => CHANGES_EXISTING.has(op.kind))) {
    requireVersion(
      version,
      FEATURE_SINCE.stalenessCheck,
      "Editing, moving or deleting existing cells with the staleness guard (or set skipStalenessCheck)",
    );
  }
}

function target(t: ResolvedTarget): string {
  if (t.kind === "ref") return `_mp_doc["created"][${pyStr(t.ref.key)}]`;
  return `_mp_target(_mp_ctx, _mp_st, ${pyStr(t.kind)}, ${pyStr(t.value)})`;
}

/** The target as the caller wrote it, for messages. */
function label(t: ResolvedTarget): string {
  return t.kind === "ref" ? t.ref.key : t.value;
}

function claim(name: string | undefined, own: string, allow: boolean | undefined): string[] {
  if (name === undefined || name === "") return [];
  return [`_mp_claim(_mp_st, ${pyStr(name)}, ${own}, ${pyBool(allow === true)})`];
}

function expected(op: ExpectCellOperation): string {
  const pairs: string[] = [];
  if (op.code !== undefined) pairs.push(`"code": ${pyStr(op.code)}`);
  if (op.name !== undefined) pairs.push(`"name": ${pyStr(op.name)}`);
  if (op.hideCode !== undefined) pairs.push(`"hide_code": ${pyBool(op.hideCode)}`);
  if (op.disabled !== undefined) pairs.push(`"disabled": ${pyBool(op.disabled)}`);
  if (op.column !== undefined) pairs.push(`"column": ${op.column === null ? "None" : pyNumber(op.column)}`);
  if (op.expandOutput !== undefined) pairs.push(`"expand_output": ${pyBool(op.expandOutput)}`);
  if (op.index !== undefined) pairs.push(`"index": ${pyNumber(op.index)}`);
  return `{${pairs.join(", ")}}`;
}

function configArgs(op: CellConfigFields, version: string | undefined): string[] {
  const args: string[] = [];
  if (op.hideCode !== undefined) args.push(`hide_code=${pyBool(op.hideCode)}`);
  if (op.disabled !== undefined) args.push(`disabled=${pyBool(op.disabled)}`);
  if (op.column !== undefined) args.push(`column=${pyNumber(op.column)}`);
  if (op.expandOutput !== undefined) {
    requireVersion(version, EXPAND_OUTPUT_SINCE, "expandOutput");
    args.push(`expand_output=${pyBool(op.expandOutput)}`);
  }
  if (op.name !== undefined) args.push(`name=${pyStr(op.name)}`);
  return args;
}

/**
 * How messages name a cell the plan creates, in the caller's terms: the name it was given,
 * else its place among the plan's new cells and the start of its code (never the ref key).
 */
function createdLabel(op: Extract<PlanOperation, { kind: "createCell" }>, created: number): string {
  if (op.name !== undefined) return `new cell '${op.name}'`;
  const first = op.code.split("\n").find((line) => line.trim() !== "")?.trim() ?? "";
  const start = first.length > 40 ? `${first.slice(0, 39)}…` : first;
  return `new cell #${created}${start === "" ? " (empty)" : ` (${start})`}`;
}

function renderOperation(op: PlanOperation, index: number, version: string | undefined, created: number): string[] {
  const comment = `# ${index + 1}. ${op.kind}`;
  switch (op.kind) {
    case "createCell": {
      const args = ["_mp_code"];
      if (op.before !== undefined) args.push(`before=${target(op.before)}`);
      if (op.after !== undefined) args.push(`after=${target(op.after)}`);
      args.push(...configArgs(op, version));
      return [
        `${comment} ${op.ref.key}`,
        ...claim(op.name, "None", op.allowDuplicateName),
        `_mp_code = ${pyStrBlock(op.code, `${INDENT}    `)}`,
        `_mp_sources.append((${pyStr(op.ref.key)}, ${pyStr(createdLabel(op, created))}, _mp_code))`,
        `_mp_id = _mp_doc["created"][${pyStr(op.ref.key)}] = _mp_ctx.create_cell(${args.join(", ")})`,
        `_mp_labels[_mp_id] = ${pyStr(createdLabel(op, created))}`,
        `_mp_created(_mp_st, _mp_id, ${op.name === undefined ? "None" : pyStr(op.name)})`,
      ];
    }
    case "editCell": {
      const lines = [comment, `_mp_id = ${target(op.target)}`, "_mp_touch(_mp_ctx, _mp_st, _mp_id)", ...claim(op.name, "_mp_id", op.allowDuplicateName)];
      const args = ["_mp_id"];
      if (op.code !== undefined) {
        lines.push(
          `_mp_code = ${pyStrBlock(op.code, `${INDENT}    `)}`,
          "_mp_labels[_mp_id] = _mp_label(_mp_ctx, _mp_id)",
          "_mp_sources.append((_mp_id, _mp_labels[_mp_id], _mp_code))",
        );
        args.push("code=_mp_code");
      }
      args.push(...configArgs(op, version));
      lines.push(`_mp_ctx.edit_cell(${args.join(", ")})`, `_mp_doc["edited"].append(_mp_id)`);
      if (op.name !== undefined) lines.push(`_mp_renamed(_mp_st, _mp_id, ${pyStr(op.name)})`);
      return lines;
    }
    case "expectCell":
      return [
        comment,
        op.target.kind === "ref"
          ? `_mp_expect(_mp_ctx, _mp_st, "id", ${target(op.target)}, ${pyStr(label(op.target))}, ${expected(op)})`
          : `_mp_expect(_mp_ctx, _mp_st, ${pyStr(op.target.kind)}, ${pyStr(op.target.value)}, ${pyStr(label(op.target))}, ${expected(op)})`,
      ];
    case "deleteCell":
      return [
        comment,
        `_mp_id = ${target(op.target)}`,
        "_mp_touch(_mp_ctx, _mp_st, _mp_id)",
        "_mp_ctx.delete_cell(_mp_id)",
        `_mp_st["gone"].add(_mp_id)`,
        `_mp_doc["deleted"].append(_mp_id)`,
      ];
    case "moveCell":
      return [
        comment,
        `_mp_id = ${target(op.target)}`,
        "_mp_touch(_mp_ctx, _mp_st, _mp_id)",
        `_mp_ctx.move_cell(_mp_id, ${op.anchor}=${target(op.to)})`,
        `_mp_doc["moved"].append(_mp_id)`,
      ];
    case "runCell":
      return [comment, `_mp_id = ${target(op.target)}`, "_mp_ctx.run_cell(_mp_id)", `_mp_doc["ran"].append(_mp_id)`];
    case "installPackages": {
      const specs = op.specs.map(pyStr).join(", ");
      const call = supports(version, FEATURE_SINCE.packagesNamespace) ? "_mp_ctx.packages.add" : "_mp_ctx.install_packages";
      return [comment, `${call}(${specs})`];
    }
    case "removePackages":
      requireVersion(version, FEATURE_SINCE.packagesNamespace, "Removing packages in code mode");
      return [comment, `_mp_ctx.packages.remove(${op.specs.map(pyStr).join(", ")})`];
    case "setUiValue":
      return [
        comment,
        `_mp_ui_set(_mp_ctx, _mp_st, ${pyStr(op.variableName)}, ${pyValue(op.value, `setUiValue(${op.variableName})`)})`,
        `_mp_doc["ui"].append(${pyStr(op.variableName)})`,
      ];
  }
}

/**
 * Before `batchRegistersCells`, a batch that also changes cells leaves the cells it runs that
 * no browser has run yet `stale`, and an edited never-run cell's old code waits in the kernel
 * to be registered again by the next run: the batch retires that code and runs those cells in
 * a second, run-only batch (`_mp_finish_runs`).
 */
function finishRuns(plan: RenderablePlan, version: string | undefined): string[] {
  if (supports(version, FEATURE_SINCE.batchRegistersCells)) return [];
  if (!plan.operations.some((op) => op.kind === "runCell" || op.kind === "editCell")) return [];
  return [
    "    try:",
    "        await _mp_finish_runs(_mp_ctx, _mp_doc)",
    "    except Exception as _mp_exc:",
    `        _mp_doc["report_error"] = "running the cells marimo left unrun failed: " + type(_mp_exc).__name__ + ": " + str(_mp_exc)`,
  ];
}

function contextArgs(plan: RenderablePlan, version: string | undefined): string {
  const args: string[] = [];
  if (plan.options.skipValidation) {
    args.push(supports(version, SKIP_VALIDATION_SINCE) ? "skip_validation=True" : "check=False");
  }
  // Releases before the staleness guard never refuse an edit, so there is nothing to skip.
  if (plan.options.skipStalenessCheck && supports(version, FEATURE_SINCE.stalenessCheck)) {
    args.push("skip_staleness_check=True");
  }
  return args.join(", ");
}

function packageOps(operations: readonly PlanOperation[]): string {
  const pairs: string[] = [];
  for (const op of operations) {
    if (op.kind !== "installPackages" && op.kind !== "removePackages") continue;
    const action = op.kind === "installPackages" ? "add" : "remove";
    for (const spec of op.specs) pairs.push(`(${pyStr(action)}, ${pyStr(spec)})`);
  }
  return `[${pairs.join(", ")}]`;
}

/**
 * Render a plan as a complete scratchpad program (see `CodeModePlan.toPython`).
 *
 * @throws {UnsupportedVersionError} when the version lacks a feature the plan uses.
 * @throws {InvalidPlanError} for a malformed nonce.
 */
export function renderPlan(plan: RenderablePlan, options: ToPythonOptions = {}): string {
  const version = options.marimoVersion;
  requireVersion(version, CODE_MODE_SINCE, "Code mode (marimo._code_mode with run_cell)");
  requireCellGuards(plan, version);
  const nonce = checkNonce(options.nonce ?? createNonce());
  let created = 0;
  const body = plan.operations.flatMap((op, i) => {
    if (op.kind === "createCell") created += 1;
    return [...renderOperation(op, i, version, created), ""];
  });
  const uiNames = [...new Set(plan.operations.flatMap((op) => (op.kind === "setUiValue" ? [op.variableName] : [])))];
  return [
    "# marimo-pair code-mode batch (generated). Caller values appear only as escaped literals.",
    "import marimo._code_mode as _mp_cm",
    PY_EMIT + PY_BATCH_HELPERS,
    `_mp_doc = {"ok": False, "created": {}, "edited": [], "deleted": [], "moved": [], "ran": [], "ui": [], "packages": [], "cells": []}`,
    "_mp_sources = []",
    "_mp_labels = {}",
    `_mp_phase = "queue"`,
    "try:",
    `    async with _mp_cm.get_context(${contextArgs(plan, version)}) as _mp_ctx:`,
    `${INDENT}_mp_st = _mp_begin(_mp_ctx)`,
    ...body.map((line) => (line === "" ? "" : `${INDENT}${line}`)),
    `${INDENT}_mp_phase = "apply"`,
    `    _mp_doc["ok"] = True`,
    "except Exception as _mp_exc:",
    `    _mp_doc["error"] = _mp_failure(_mp_exc, _mp_phase, _mp_sources, _mp_labels, globals().get("_mp_ctx"))`,
    "else:",
    ...finishRuns(plan, version),
    "    try:",
    `        _mp_report(_mp_ctx, _mp_doc, [${uiNames.map(pyStr).join(", ")}], ${packageOps(plan.operations)})`,
    "    except Exception as _mp_exc:",
    `        _mp_doc["report_error"] = type(_mp_exc).__name__ + ": " + str(_mp_exc)`,
    "    try:",
    "        _mp_after(_mp_ctx, _mp_st, _mp_doc)",
    "    except Exception as _mp_exc:",
    `        _mp_doc["undo_error"] = type(_mp_exc).__name__ + ": " + str(_mp_exc)`,
    `_mp_emit(${pyStr(nonce)}, _mp_doc, keep=True)`,
    "",
  ].join("\n");
}

/**
 * Python that prints the result of an earlier batch again, from the copy the batch kept in the
 * kernel (the last 16 results are kept). For a batch whose result document did not arrive.
 *
 * @throws {InvalidPlanError} for a malformed nonce.
 */
export function recoveryPython(nonce: string): string {
  return PY_RECOVER.replace("NONCE", pyStr(checkNonce(nonce)));
}
