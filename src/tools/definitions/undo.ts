/**
 * The `undo_last_batch` tool: puts back the last batch this connection applied, unless a
 * cell it touched changed since (then nothing is applied and the batch can no longer be
 * undone).
 *
 * @module
 */
import { CellChangedError } from "../../codemode/refusals.js";
import { defineTool, ok } from "../define.js";
import type { ToolEnv } from "../env.js";
import { NoInput } from "../inputs.js";
import type { ToolDefinition } from "../types.js";
import { applyAndDescribe } from "./changes.js";

/** The `undo_last_batch` tool. */
export function undoLastBatchTool(env: ToolEnv): ToolDefinition {
  return defineTool({
    name: "undo_last_batch",
    description:
      "Undo the last change this connection applied (create/edit/delete/move cells, set UI values, apply_operations): " +
      "created cells are deleted, edited cells get their code, name and config back, deleted cells come back in place, " +
      "the order is restored, and restored cells that had run run again. Refused, with nothing applied, when a cell it " +
      "would touch changed since (a person's newer edit is never overwritten). Packages are not uninstalled. Call it " +
      "again to undo the batch before.",
    input: NoInput,
    annotations: { title: "Undo the last batch", readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    async run(_input, context) {
      const entry = env.undo.peek();
      if (entry === undefined) {
        return ok("Nothing to undo: this connection has applied no batch that can be undone (or all were undone).", { undone: false });
      }
      try {
        const result = await applyAndDescribe(
          env,
          entry.target,
          entry.plan,
          {
            console: true,
            summary: (r) =>
              `Undid: ${entry.summary}\nDeleted ${r.deleted.join(", ") || "none"}; restored ${r.edited.join(", ") || "none"}; ` +
              `re-created ${Object.values(r.created).join(", ") || "none"}; moved ${r.moved.join(", ") || "none"}; ran ${r.ran.join(", ") || "none"}; ` +
              `UI values set back: ${r.uiUpdated.join(", ") || "none"}.`,
          },
          context,
          false,
        );
        env.undo.drop(entry);
        return result;
      } catch (error) {
        // A stale undo can never apply: forget it so the batch before can still be undone.
        if (error instanceof CellChangedError) env.undo.drop(entry);
        throw error;
      }
    },
  });
}
