/**
 * Options and help of `marimo-pair cells`.
 *
 * @module
 */
import { type CommandSpec, TARGET_HELP, TARGET_OPTIONS } from "../spec.js";

/** `marimo-pair cells`: list a notebook's cells. */
export const CELLS_SPEC: CommandSpec = {
  name: "cells",
  summary: "list a notebook's cells with their status (table, or --json)",
  options: { ...TARGET_OPTIONS, json: { type: "boolean" } },
  maxPositionals: 0,
  help: `Usage: marimo-pair cells [--url URL] [--file PATH | --session ID] [--json]

List the cells of a live notebook, in notebook order, with their id, name, status and
errors, read from the running kernel (not from the .py file).

${TARGET_HELP}

Options:
  --json           print a JSON array instead of a table: per cell its id, name,
                   config, status, errors, code, and last output and console output
                   (outputs need marimo >= 0.23.7; images arrive as data: URLs)

Reading the cells this way also counts, for marimo, as having read their code, which
marimo requires before a cell may be edited.

Exit status: 0 listed, 1 no server or session could be reached or chosen, 2 wrong usage.

Examples:
  marimo-pair cells
  marimo-pair cells --file analysis.py --json | jq -r '.[] | select(.errors | length > 0) | .id'
`,
};
