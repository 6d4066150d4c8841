/**
 * `codeMode()` and {@link CodeModePlan}: an immutable description of one code-mode batch,
 * which renders to Python for any marimo version that supports it.
 *
 * @module
 */
import { CodeModeBuilder } from "./builder.js";
import { InvalidPlanError } from "./errors.js";
import type { CodeModeOptions, PlanOperation } from "./operations.js";
import { renderPlan, type ToPythonOptions } from "./render.js";
import type { CellRef } from "./targets.js";
import { checkBoolean } from "./validate.js";

/** The options a plan was built with, normalized. @inline */
export interface PlanOptions {
  /** See {@link CodeModeOptions.skipValidation}. */
  readonly skipValidation: boolean;
  /** See {@link CodeModeOptions.skipStalenessCheck}. */
  readonly skipStalenessCheck: boolean;
}

/**
 * One code-mode batch: operations applied atomically by marimo (all or nothing) when the
 * plan runs. Build it with {@link codeMode}; apply it with `nb.apply(plan)` or embed
 * {@link CodeModePlan.toPython} in your own tooling.
 *
 * @typeParam T - what the build callback returned (for example the refs it created).
 */
export class CodeModePlan<T = void> {
  /** @internal The recorded operations, in call order. */
  readonly operations: readonly PlanOperation[];
  /** The refs of the cells the plan creates, in creation order. */
  readonly refs: readonly CellRef[];
  /** How marimo checks the batch. */
  readonly options: PlanOptions;
  /** What the build callback returned. */
  readonly value: T;

  /** @internal Use {@link codeMode}. */
  constructor(operations: readonly PlanOperation[], refs: readonly CellRef[], options: PlanOptions, value: T) {
    this.operations = operations;
    this.refs = refs;
    this.options = options;
    this.value = value;
    Object.freeze(this);
  }

  /**
   * The Python text of the batch, for marimo's scratchpad (`POST /api/kernel/execute`). After
   * the batch it prints one JSON result document between marker lines carrying a fresh random nonce.
   *
   * @throws {UnsupportedVersionError} when `marimoVersion` lacks something the plan uses.
   */
  toPython(options: ToPythonOptions = {}): string {
    return renderPlan(this, options);
  }
}

/**
 * Build a code-mode plan. The callback records operations on the builder; it must be
 * synchronous. Mistakes marimo would refuse are refused here, with {@link InvalidPlanError}.
 *
 * @param build - records the operations; its return value is kept as `plan.value`.
 * @param options - how marimo checks the batch.
 * @throws {InvalidPlanError} for any malformed operation or option, or an async callback.
 * @example
 * ```ts
 * const plan = codeMode((b) => {
 *   b.installPackages("pandas");
 *   const setup = b.createCell("import marimo as mo\nimport pandas as pd", { name: "setup" });
 *   const intro = b.createCell('mo.md("# Sales")', { hideCode: true });
 *   const load = b.createCell("df = pd.read_csv('sales.csv')", { after: intro, hideCode: false });
 *   b.runCell(setup);
 *   b.runCell(load);
 *   return { load };
 * });
 * const result = await nb.apply(plan);
 * result.idOf(plan.value.load); // the new cell's id
 * ```
 */
export function codeMode<T = void>(build: (builder: CodeModeBuilder) => T, options: CodeModeOptions = {}): CodeModePlan<T> {
  if (typeof build !== "function") throw new InvalidPlanError("codeMode: the first argument must be a function.");
  if (typeof options !== "object" || options === null) throw new InvalidPlanError("codeMode: options must be an object.");
  const planOptions: PlanOptions = Object.freeze({
    skipValidation: checkBoolean(options.skipValidation, "codeMode: skipValidation") ?? false,
    skipStalenessCheck: checkBoolean(options.skipStalenessCheck, "codeMode: skipStalenessCheck") ?? false,
  });
  const builder = new CodeModeBuilder();
  let value: T;
  try {
    value = build(builder);
  } finally {
    builder.seal();
  }
  if (typeof (value as { then?: unknown } | null)?.then === "function") {
    throw new InvalidPlanError("codeMode: the build callback must be synchronous (it returned a promise).");
  }
  const { operations, refs } = builder.seal();
  return new CodeModePlan(operations, refs, planOptions, value);
}
