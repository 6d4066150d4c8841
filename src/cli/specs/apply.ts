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
  options: { ...TARGET_OPTIONS },
  maxPositionals: 1,
  help: `Usage: marimo-pair apply [--url URL] [--file PATH | --session ID] OPS.json | -

Change a live notebook: create, edit, move, delete and run cells, install or remove
packages, set UI values. The operations are a JSON array, read from OPS.json or (with -
or when piped) standard input. They are checked before anything is sent, turned into
marimo code-mode Python with every string escaped, and applied as one batch: either all
structural changes happen, or none.

Operations (fields other than "op" as the SDK's builder names them):
  {"op": "create_cell", "code": "x = 1", "after": "<cell id>"}
  {"op": "edit_cell", "cell": "<cell id>", "code": "x = 2"}
  {"op": "delete_cell", "cell": "<cell id>"}
  {"op": "move_cell", "cell": "<cell id>", "after": "<cell id>"}
  {"op": "run_cell", "cell": "<cell id>"}
  {"op": "install_packages", "packages": ["pandas"]}
  {"op": "remove_packages", "packages": ["polars"]}
  {"op": "set_ui_value", "cell": "<cell id>", "value": 3}
Run \`marimo-pair cells\` to see cell ids.

${TARGET_HELP}

Output: the result as JSON on stdout (created cell ids, what ran, each cell's status
and errors).

Exit status: 0 applied, 1 the operations were refused or failed (stderr says why), or no
server or session could be reached or chosen, 2 wrong usage or invalid operations.

Examples:
  marimo-pair apply --file analysis.py ops.json
  echo '[{"op": "create_cell", "code": "import polars as pl"}]' | marimo-pair apply -
`,
};
