/**
 * The bridge from a selected notebook to the code-mode functions (`readCells`,
 * `applyPlan`), which take anything that can execute Python and tell the marimo version.
 *
 * @module
 */
import type { CodeModeExecutor } from "../codemode/executor.js";
import type { ResolvedNotebook } from "./target.js";

/** A code-mode executor over a resolved notebook. */
export function executorOf(resolved: Pick<ResolvedNotebook, "client" | "notebook">): CodeModeExecutor {
  return {
    execute: (code, options) => resolved.notebook.execute(code, options),
    marimoVersion: (options) => resolved.client.version(options),
  };
}
