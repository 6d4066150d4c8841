/**
 * One home for the JSON documents of a batch: the applied result (with `created` listed per
 * operation and `undo` as JSON operations) and the refused batch (its code, message in the
 * face's words, and facts). The CLI's `apply` prints them; the MCP tools return them.
 *
 * @module
 */
import type { ApplyResult, ApplyResultJson } from "./apply.js";
import type { BatchFailedError } from "./errors.js";
import type { CreatedByOperation } from "./json-operations.js";
import { describeRefusal } from "./refusal-text.js";
import type { Face } from "../hints.js";

/** A created cell in the document of a JSON operation list. */
export interface CreatedJson {
  /** 0-based position of the `create_cell` in the list. */
  index: number;
  /** Its `ref` label, or null. */
  ref: string | null;
  /** The new cell's id. */
  id: string;
}

/** The document of an applied operation list. */
export type AppliedDocument = Omit<ApplyResultJson, "created"> & { created: CreatedJson[] };

/** The document of an applied operation list: `result.toJSON()` with `created` per operation. */
export function appliedDocument(result: ApplyResult, created: readonly CreatedByOperation[]): AppliedDocument {
  return {
    ...result.toJSON(),
    created: created.map((c) => ({ index: c.index, ref: c.ref, id: result.idOf(c.cell) })),
  };
}

/** The document of a refused batch. */
export interface RefusedDocument {
  /** Always false: nothing was applied. */
  applied: false;
  /** The code, the message in the face's words, and the refusal's facts. */
  error: { code: string; message: string } & Record<string, unknown>;
  /** What the batch printed to stdout. */
  stdout: string;
  /** What the batch printed to stderr. */
  stderr: string;
}

/** The document of a refused batch, its message in `face`'s terms. */
export function refusedDocument(error: BatchFailedError, face: Face): RefusedDocument {
  const described = describeRefusal(error, face);
  return {
    applied: false,
    error: { code: described.code, message: described.message, ...described.facts },
    stdout: error.stdout,
    stderr: error.stderr,
  };
}
