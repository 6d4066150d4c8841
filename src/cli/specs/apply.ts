/**
 * Options and help of `marimo-pair apply`.
 *
 * @module
 */
import { type CommandSpec, TARGET_HELP, TARGET_OPTIONS } from "../spec.js";

/** `marimo-pair apply`: change a notebook with a JSON list of code-mode operations. */
export const APPLY_SPEC: CommandSpec = {
  name: "apply",
  summary: "change a notebook's cells with a JSON list of operations",
  options: {
    ...TARGET_OPTIONS,
    "skip-validation": { type: "boolean" },
    "skip-staleness-check": { type: "boolean" },
    python: { type: "boolean" },
    "marimo-version": { type: "string" },
  },
  maxPositionals: 1,
  help: `Usage: marimo-pair apply [--url URL] [--file PATH | --session ID] OPS.json | -

Change a live notebook: create, edit, move, delete and run cells, install or remove
packages, set UI values. The operations are a JSON array read from OPS.json, or from
standard input (- or a pipe). They are checked before anything is sent, turned into
marimo code-mode Python with every string escaped, and applied as one batch: marimo
applies all the cell changes, or none.

Operations (names as in marimo's _code_mode API; misspelt fields are errors):
  {"op": "create_cell", "code": "x = 1"}           appended; not run
      optional: "after" | "before": CELL, "ref": LABEL, "name": NAME,
                "hide_code": true|false (marimo hides new cells' code by default),
                "disabled", "column", "expand_output"
  {"op": "edit_cell", "cell": CELL, "code": "x = 2"}  and/or the config fields above
  {"op": "delete_cell", "cell": CELL}
  {"op": "move_cell", "cell": CELL, "after": CELL}    or "before"
  {"op": "run_cell", "cell": CELL}                    its descendants run too
  {"op": "install_packages", "packages": ["pandas>=2"]}
  {"op": "remove_packages", "packages": ["polars"]}
  {"op": "set_ui_value", "variable": "slider", "value": 3}
CELL is a cell id or name ("Hbol", "load"), {"id": ...}, {"name": ...}, or {"ref": LABEL}
for a cell created earlier in the same list. \`marimo-pair cells\` shows ids and names.

marimo refuses to edit a cell whose code changed since it was last read: run
\`marimo-pair cells\` first (it reads every cell), or pass --skip-staleness-check.

${TARGET_HELP}

Options:
  --skip-validation       apply even if marimo's dry run finds multiply-defined names,
                          cycles or syntax errors
  --skip-staleness-check  edit cells even if they changed since they were last read
  --python                print the generated Python instead of applying it (no server
                          needed); --marimo-version VERSION targets an older marimo

Output: JSON on stdout.
  applied:  {"applied": true, "success": ..., "created": [{"index", "ref", "id"}],
             "edited", "deleted", "moved", "ran", "uiUpdated", "cells" (status and errors
             of every touched cell), "failed", "packages", "stdout", "stderr"}
  refused:  {"applied": false, "error": {"code": "stale_cells" | "notebook_validation" |
             "apply_failed", "message", ...}, "stdout", "stderr"}

Exit status:
  0  applied, and every cell that ran succeeded
  1  applied but a cell raised ("failed" lists it), or marimo refused the batch, or no
     server or session could be reached or chosen
  2  wrong usage, or operations that are not valid JSON or break the rules above

Examples:
  marimo-pair apply --file analysis.py ops.json
  marimo-pair apply --file analysis.py - <<'EOF'
  [{"op": "install_packages", "packages": ["polars"]},
   {"op": "create_cell", "code": "import polars as pl", "ref": "imports", "hide_code": false},
   {"op": "create_cell", "code": "df = pl.DataFrame({'a': [1, 2]})", "after": {"ref": "imports"}, "ref": "data"},
   {"op": "run_cell", "cell": {"ref": "data"}}]
  EOF
  marimo-pair apply --python ops.json > batch.py
`,
};
