/**
 * Representative plans and queries with their golden Python files
 * (`test/fixtures/golden/<name>.py`, fixed nonce).
 */
import { codeMode } from "../../../src/codemode.js";
import { cellQuery, cellsQuery, graphQuery, packagesQuery, variablesQuery } from "../../../src/codemode/read-queries.js";

/** The nonce of every golden file. */
export const GOLDEN_NONCE = "golden-nonce-0001";

/** name → the Python it must render to. */
export const GOLDEN_CASES: Record<string, () => string> = {
  "build-notebook": () =>
    codeMode((b) => {
      const setup = b.createCell("import marimo as mo\nimport statistics", { name: "setup" });
      const intro = b.createCell('mo.md("""\n# Weekly sales\nIt\'s a "draft" \\N{BULLET} 2024 – €\n""")');
      const data = b.createCell("sales = [3, 1, 4, 1, 5]\nprint('loaded', len(sales))", { after: intro, hideCode: false });
      const mean = b.createCell("mean = statistics.mean(sales)\nmean", { after: data, hideCode: false, expandOutput: true });
      b.runCell(setup);
      b.runCell(intro);
      b.runCell(data);
      b.runCell(mean);
    }).toPython({ marimoVersion: "0.25.2", nonce: GOLDEN_NONCE }),

  "edit-move-delete": () =>
    codeMode(
      (b) => {
        b.editCell("load", { code: "df = load('2024.csv')" });
        b.editCell({ id: "Hbol" }, { hideCode: true, disabled: false, column: 2 });
        b.editCell({ name: "old_name" }, { name: "new_name" });
        const summary = b.createCell("summary = df.describe()", { before: { name: "new_name" } });
        b.moveCell("plot", { after: summary });
        b.deleteCell({ id: "MJUe" });
        b.runCell("load");
      },
      { skipValidation: true, skipStalenessCheck: true },
    ).toPython({ marimoVersion: "0.25.2", nonce: GOLDEN_NONCE }),

  "packages-and-ui": () =>
    codeMode((b) => {
      b.installPackages("inflection==0.5.1", 'humanize>=4; python_version >= "3.10"');
      b.removePackages("old-package");
      b.setUiValue("threshold", 7);
      b.setUiValue("choices", ["a", "b's", "ü"]);
      b.setUiValue("form", { name: "Zoë", size: 1.5, ok: true, note: null });
    }).toPython({ marimoVersion: "0.25.2", nonce: GOLDEN_NONCE }),

  "legacy-0.23.0": () =>
    codeMode(
      (b) => {
        // marimo 0.23.0 saves no cell changes to the file (refused), so only packages and runs.
        b.installPackages("inflection");
        b.runCell("abcd");
      },
      { skipStalenessCheck: true },
    ).toPython({ marimoVersion: "0.23.0", nonce: GOLDEN_NONCE }),

  "read-cells": () => cellsQuery(GOLDEN_NONCE),
  "read-cell": () => cellQuery(GOLDEN_NONCE, "name", "load", { outputs: false }),
  "read-graph": () => graphQuery(GOLDEN_NONCE),
  "read-variables": () => variablesQuery(GOLDEN_NONCE),
  "read-packages": () => packagesQuery(GOLDEN_NONCE),
};
