/**
 * {@link CodeModeBuilder}: records the operations of a plan and refuses, while building,
 * the mistakes marimo would refuse when applying it.
 *
 * @module
 */
import { InvalidPlanError } from "./errors.js";
import type {
  CellConfigFields,
  CreateCellOptions,
  EditCellOptions,
  ExpectCellOptions,
  MoveCellOptions,
  PlanOperation,
} from "./operations.js";
import { pyValue, type JsonValue } from "./python-literal.js";
import { CellRef, type CellTarget, describeTarget, resolveTarget, type ResolvedTarget, targetKey } from "./targets.js";
import { checkBoolean, checkCellName, checkCode, checkColumn, checkPackageSpec, checkVariableName } from "./validate.js";

function optionsObject(value: unknown, what: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InvalidPlanError(`${what} must be an options object.`);
  }
  return value as Record<string, unknown>;
}

/**
 * Records the operations of one plan. Obtained inside `codeMode((b) => …)`; its methods may
 * not be called after that callback returned. Operations are sent to marimo in the order
 * called, except that marimo installs/removes packages before cell operations and sets UI
 * values after running cells.
 */
export class CodeModeBuilder {
  readonly #operations: PlanOperation[] = [];
  readonly #refs: CellRef[] = [];
  readonly #deleted = new Set<string>();
  readonly #edited = new Set<string>();
  readonly #moved = new Set<string>();
  readonly #run = new Set<string>();
  readonly #names = new Set<string>();
  #sealed = false;

  /** @internal Use `codeMode()`. */
  constructor() {}

  /** @internal The recorded operations; seals the builder. */
  seal(): { operations: readonly PlanOperation[]; refs: readonly CellRef[] } {
    this.#sealed = true;
    return { operations: Object.freeze([...this.#operations]), refs: Object.freeze([...this.#refs]) };
  }

  #open(method: string): void {
    if (this.#sealed) throw new InvalidPlanError(`${method}: this plan is already built; call codeMode() again for a new one.`);
  }

  #target(value: unknown, what: string, usage: string): ResolvedTarget {
    const target = resolveTarget(value, this, what);
    if (this.#deleted.has(targetKey(target))) {
      throw new InvalidPlanError(`${what}: cannot ${usage} ${describeTarget(target)}; it is deleted earlier in this plan.`);
    }
    return target;
  }

  #config(options: Record<string, unknown>, method: string): CellConfigFields & { allowDuplicateName?: boolean } {
    const config: { hideCode?: boolean; disabled?: boolean; column?: number; expandOutput?: boolean; name?: string; allowDuplicateName?: boolean } = {};
    const allow = checkBoolean(options["allowDuplicateName"], `${method}: allowDuplicateName`);
    const hideCode = checkBoolean(options["hideCode"], `${method}: hideCode`);
    const disabled = checkBoolean(options["disabled"], `${method}: disabled`);
    const column = checkColumn(options["column"], `${method}: column`);
    const expandOutput = checkBoolean(options["expandOutput"], `${method}: expandOutput`);
    if (hideCode !== undefined) config.hideCode = hideCode;
    if (disabled !== undefined) config.disabled = disabled;
    if (column !== undefined) config.column = column;
    if (expandOutput !== undefined) config.expandOutput = expandOutput;
    if (options["name"] === null && method === "editCell") {
      config.name = "";
    } else if (options["name"] !== undefined) {
      const name = checkCellName(options["name"], `${method}: name`);
      if (this.#names.has(name) && allow !== true) {
        throw new InvalidPlanError(
          `${method}: the name '${name}' is already given to another cell in this plan; choose another name, or pass allowDuplicateName: true.`,
        );
      }
      this.#names.add(name);
      config.name = name;
    }
    if (allow === true) config.allowDuplicateName = true;
    return config;
  }

  /**
   * Create a cell (appended at the end unless `before`/`after` is given). It is not run:
   * call {@link runCell} for that.
   *
   * @returns a ref usable as a target or anchor later in this plan.
   * @throws {InvalidPlanError} for both `before` and `after`, an anchor deleted in this plan,
   *   an invalid or repeated name, a non-string code, or a bad config value.
   */
  createCell(code: string, options: CreateCellOptions = {}): CellRef {
    this.#open("createCell");
    const opts = optionsObject(options, "createCell: options");
    const checkedCode = checkCode(code, "createCell: code");
    if (opts["before"] !== undefined && opts["after"] !== undefined) {
      throw new InvalidPlanError("createCell: give either `before` or `after`, not both.");
    }
    const before = opts["before"] === undefined ? undefined : this.#target(opts["before"], "createCell: before", "insert next to");
    const after = opts["after"] === undefined ? undefined : this.#target(opts["after"], "createCell: after", "insert next to");
    const config = this.#config(opts, "createCell");
    const ref = new CellRef(this, `c${this.#refs.length + 1}`);
    this.#refs.push(ref);
    this.#operations.push(
      Object.freeze({
        kind: "createCell" as const,
        ref,
        code: checkedCode,
        ...config,
        ...(before === undefined ? {} : { before }),
        ...(after === undefined ? {} : { after }),
      }),
    );
    return ref;
  }

  /**
   * Change a cell's code and/or config; fields left out keep their value. It is not run.
   * marimo refuses a code edit of a cell that changed since its code was last read
   * (`StaleCellsError` when applying) unless the plan skips that check.
   *
   * @throws {InvalidPlanError} when nothing would change, the target is deleted in this plan,
   *   or a value is invalid.
   */
  editCell(target: CellTarget, options: EditCellOptions): void {
    this.#open("editCell");
    const resolved = this.#target(target, "editCell: target", "edit");
    const opts = optionsObject(options, "editCell: options");
    const code = opts["code"] === undefined ? undefined : checkCode(opts["code"], "editCell: code");
    const config = this.#config(opts, "editCell");
    if (code === undefined && Object.keys(config).filter((k) => k !== "allowDuplicateName").length === 0) {
      throw new InvalidPlanError("editCell: nothing to change; give code, hideCode, disabled, column, expandOutput or name.");
    }
    this.#edited.add(targetKey(resolved));
    this.#operations.push(
      Object.freeze({ kind: "editCell" as const, target: resolved, ...config, ...(code === undefined ? {} : { code }) }),
    );
  }

  /**
   * Delete a cell (its variables are removed from the kernel).
   *
   * @throws {InvalidPlanError} when the cell is already deleted, or is also edited, moved or
   *   run in this plan (marimo refuses such batches).
   */
  deleteCell(target: CellTarget): void {
    this.#open("deleteCell");
    const resolved = this.#target(target, "deleteCell: target", "delete");
    const key = targetKey(resolved);
    for (const [set, verb] of [[this.#edited, "edited"], [this.#moved, "moved"], [this.#run, "run"]] as const) {
      if (set.has(key)) {
        throw new InvalidPlanError(`deleteCell: ${describeTarget(resolved)} is ${verb} earlier in this plan; marimo refuses to delete it in the same batch.`);
      }
    }
    this.#deleted.add(key);
    this.#operations.push(Object.freeze({ kind: "deleteCell" as const, target: resolved }));
  }

  /**
   * Move a cell before or after another (display order only; nothing re-runs).
   *
   * @throws {InvalidPlanError} without exactly one anchor, when the anchor is the cell itself,
   *   or when either is deleted in this plan.
   */
  moveCell(target: CellTarget, options: MoveCellOptions): void {
    this.#open("moveCell");
    const resolved = this.#target(target, "moveCell: target", "move");
    const opts = optionsObject(options, "moveCell: options");
    const hasBefore = opts["before"] !== undefined;
    if (hasBefore === (opts["after"] !== undefined)) {
      throw new InvalidPlanError("moveCell: give exactly one of `before` or `after`.");
    }
    const anchor = hasBefore ? "before" : "after";
    const to = this.#target(opts[anchor], `moveCell: ${anchor}`, "move next to");
    if (targetKey(to) === targetKey(resolved)) throw new InvalidPlanError("moveCell: a cell cannot be moved next to itself.");
    this.#moved.add(targetKey(resolved));
    this.#operations.push(Object.freeze({ kind: "moveCell" as const, target: resolved, anchor, to }));
  }

  /**
   * Require that a cell is as described when the batch runs; otherwise the whole batch is
   * refused with `CellChangedError` and nothing is applied. Checked in the kernel, in the
   * same batch as the changes, so nothing can slip in between. Every `undo` plan starts
   * with these checks, which is how an undo never overwrites a newer edit.
   *
   * @throws {InvalidPlanError} without any field to check, or for a value of the wrong type.
   */
  expectCell(target: CellTarget, expected: ExpectCellOptions): void {
    this.#open("expectCell");
    const resolved = this.#target(target, "expectCell: target", "check");
    const opts = optionsObject(expected, "expectCell: expected");
    const out: { code?: string; name?: string; hideCode?: boolean; disabled?: boolean; column?: number | null; expandOutput?: boolean; index?: number } = {};
    if (opts["code"] !== undefined) out.code = checkCode(opts["code"], "expectCell: code");
    if (opts["name"] === null) out.name = "";
    else if (opts["name"] !== undefined) out.name = checkCellName(opts["name"], "expectCell: name");
    for (const key of ["hideCode", "disabled", "expandOutput"] as const) {
      const value = checkBoolean(opts[key], `expectCell: ${key}`);
      if (value !== undefined) out[key] = value;
    }
    if (opts["column"] === null) out.column = null;
    else {
      const column = checkColumn(opts["column"], "expectCell: column");
      if (column !== undefined) out.column = column;
    }
    const index = checkColumn(opts["index"], "expectCell: index");
    if (index !== undefined) out.index = index;
    if (Object.keys(out).length === 0) {
      throw new InvalidPlanError("expectCell: nothing to check; give code, name, hideCode, disabled, column, expandOutput or index.");
    }
    this.#operations.push(Object.freeze({ kind: "expectCell" as const, target: resolved, ...out }));
  }

  /**
   * Run a cell after the plan's structural changes are applied. In marimo's default
   * `autorun` mode its descendants run too.
   *
   * @throws {InvalidPlanError} when the cell is deleted in this plan.
   */
  runCell(target: CellTarget): void {
    this.#open("runCell");
    const resolved = this.#target(target, "runCell: target", "run");
    this.#run.add(targetKey(resolved));
    this.#operations.push(Object.freeze({ kind: "runCell" as const, target: resolved }));
  }

  /**
   * Install packages with the notebook's package manager (pip-style specifiers, one per
   * argument), before the plan's cell operations so new cells can import them.
   *
   * @throws {InvalidPlanError} without specifiers, or for an empty or unsafe specifier.
   */
  installPackages(...specs: string[]): void {
    this.#packages("installPackages", specs);
  }

  /**
   * Uninstall packages (needs marimo ≥ 0.23.2).
   *
   * @throws {InvalidPlanError} without specifiers, or for an empty or unsafe specifier.
   */
  removePackages(...specs: string[]): void {
    this.#packages("removePackages", specs);
  }

  #packages(kind: "installPackages" | "removePackages", specs: readonly unknown[]): void {
    this.#open(kind);
    if (specs.length === 0) throw new InvalidPlanError(`${kind}: give at least one package.`);
    const checked = specs.map((spec, i) => checkPackageSpec(spec, `${kind}: package #${i + 1}`));
    this.#operations.push(Object.freeze({ kind, specs: Object.freeze(checked) }));
  }

  /**
   * Set the value of the UI element bound to a notebook variable (for example a
   * `mo.ui.slider` assigned to `slider`), as if the person had used it: cells that use it
   * re-run. The value is what the element's front end would send (a number for a slider, a
   * list of strings for a multiselect, …). The element must exist before the plan runs.
   *
   * @throws {InvalidPlanError} for a name that is not an identifier or a value that is not JSON.
   */
  setUiValue(variableName: string, value: JsonValue): void {
    this.#open("setUiValue");
    const name = checkVariableName(variableName);
    pyValue(value, `setUiValue(${name})`);
    const frozen = structuredClone(value) as JsonValue;
    this.#operations.push(Object.freeze({ kind: "setUiValue" as const, variableName: name, value: frozen }));
  }
}
