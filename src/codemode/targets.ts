/**
 * How a plan names cells: {@link CellRef}s for cells the plan creates, and
 * {@link CellTarget}s for any cell.
 *
 * @module
 */
import { InvalidPlanError } from "./errors.js";

const PLAN_OF = Symbol("marimo-pair.plan");

/**
 * A cell created by a plan (returned by `createCell`). Usable as a target or an anchor
 * later in the same plan; after applying, `result.idOf(ref)` gives marimo's cell id.
 * Opaque: build it only through the builder.
 */
export class CellRef {
  /** Identifies the ref within its plan (`c1`, `c2`, …); the key of `created` in results. */
  readonly key: string;
  /** @internal Which builder made this ref. */
  readonly [PLAN_OF]: object;

  /** @internal Use `builder.createCell()`. */
  constructor(plan: object, key: string) {
    this.key = key;
    this[PLAN_OF] = plan;
    Object.freeze(this);
  }

  /** For logs: `CellRef(c1)`. */
  toString(): string {
    return `CellRef(${this.key})`;
  }
}

/** True when `ref` was made by the builder identified by `plan`. */
export function belongsTo(ref: CellRef, plan: object): boolean {
  return ref[PLAN_OF] === plan;
}

/**
 * A cell to act on:
 * - a {@link CellRef} from this plan;
 * - a string: a cell id **or** name, resolved the way marimo resolves targets (an id of an
 *   existing cell first, then a name, then names given earlier in the same batch);
 * - `{ id }`: only a cell id of the notebook (fails if no cell has it);
 * - `{ name }`: only a cell name (a cell of the notebook with that name, else a name given
 *   earlier in the same batch).
 */
export type CellTarget = CellRef | string | { readonly id: string } | { readonly name: string };

/** A target after validation: what the Python generator needs. */
export type ResolvedTarget =
  | { readonly kind: "ref"; readonly ref: CellRef }
  | { readonly kind: "any" | "id" | "name"; readonly value: string };

/** A stable identity for a target within one plan (same string → same key). */
export function targetKey(target: ResolvedTarget): string {
  return target.kind === "ref" ? `ref:${target.ref.key}` : `${target.kind}:${target.value}`;
}

/** How a target reads in messages. */
export function describeTarget(target: ResolvedTarget): string {
  switch (target.kind) {
    case "ref":
      return target.ref.toString();
    case "any":
      return `'${target.value}'`;
    default:
      return `{ ${target.kind}: '${target.value}' }`;
  }
}

function nonEmpty(value: unknown, what: string): string {
  if (typeof value !== "string") throw new InvalidPlanError(`${what} must be a string, got ${typeof value}.`);
  if (value === "") throw new InvalidPlanError(`${what} must not be empty.`);
  return value;
}

/**
 * Validate a caller's target.
 *
 * @param plan - the builder's identity, to reject refs of other plans.
 * @param what - names the argument in messages.
 * @throws {InvalidPlanError} for refs of another plan, empty strings, and other values.
 */
export function resolveTarget(target: unknown, plan: object, what: string): ResolvedTarget {
  if (target instanceof CellRef) {
    if (!belongsTo(target, plan)) {
      throw new InvalidPlanError(`${what}: ${target.toString()} belongs to another plan; refs are valid only in the plan that created them.`);
    }
    return { kind: "ref", ref: target };
  }
  if (typeof target === "string") return { kind: "any", value: nonEmpty(target, what) };
  if (typeof target === "object" && target !== null) {
    const hasId = Object.hasOwn(target, "id");
    const hasName = Object.hasOwn(target, "name");
    if (hasId && !hasName) return { kind: "id", value: nonEmpty((target as { id: unknown }).id, `${what}.id`) };
    if (hasName && !hasId) return { kind: "name", value: nonEmpty((target as { name: unknown }).name, `${what}.name`) };
  }
  throw new InvalidPlanError(`${what} must be a CellRef, a cell id or name, { id } or { name }.`);
}
