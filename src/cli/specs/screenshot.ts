/**
 * Options and help of `marimo-pair screenshot`.
 *
 * @module
 */
import { type CommandSpec, TARGET_HELP, TARGET_OPTIONS } from "../spec.js";

/** `marimo-pair screenshot`: PNGs of rendered cell outputs. */
export const SCREENSHOT_SPEC: CommandSpec = {
  name: "screenshot",
  summary: "save PNGs of cells' rendered outputs (charts, tables, widgets) as a person sees them",
  options: {
    ...TARGET_OPTIONS,
    cell: { type: "string", repeatable: true },
    out: { type: "string", short: "o" },
    all: { type: "string" },
    scale: { type: "string" },
    width: { type: "string" },
    full: { type: "boolean" },
    timeout: { type: "string" },
    browser: { type: "string" },
  },
  maxPositionals: 0,
  help: `Usage: marimo-pair screenshot [--url URL] [--file PATH | --session ID]
                              --cell ID|NAME [--cell ...] -o OUT
       marimo-pair screenshot [--url URL] [--file PATH | --session ID] --all DIR

Save a PNG of cells' rendered outputs as a person sees them in the notebook: an Altair or
Plotly chart once it has drawn, a table, a widget, or the error a cell raised. A local
headless Chromium or Chrome opens the notebook as a read-only viewer: the person's
browser keeps its session, and no cell runs. Nothing is downloaded; the optional package
playwright-core must be installed beside marimo-pair.

${TARGET_HELP}

Options:
  --cell ID|NAME   the cell to capture, by id or name; repeat for several cells
  -o, --out OUT    with one --cell: the PNG file to write; with several: a directory,
                   one <name or id>.png per cell
  --all DIR        save every cell that shows an output into DIR, as <name or id>.png
  --scale N        device pixels per CSS pixel, e.g. 2 for a sharper image (default 1)
  --width PX       the page's width in CSS pixels (default 1280)
  --full           the whole output, also what a person would scroll to inside it
  --timeout S      give up after S seconds (default 60; the first capture starts the browser)
  --browser PATH   the Chromium or Chrome executable. Without it: MARIMO_PAIR_CHROMIUM,
                   then the usual install paths, then playwright's own browsers

Prints one line per file written: the path, its size in pixels, and the cell.

Exit status: 0 written, 1 the cell has no output, is unknown, no browser was found, or no
server or session could be reached or chosen, 2 wrong usage.

Examples:
  marimo-pair screenshot --file analysis.py --cell revenue_chart -o chart.png
  marimo-pair screenshot --file analysis.py --all shots/
`,
};
