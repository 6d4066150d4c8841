/**
 * The undo plan built from a batch's capture, the JSON form of plans, and the builder's
 * safe-edit options (expectCell, allowDuplicateName, name: null). Against real marimo in
 * test/integration/safe-edits.test.ts.
 */
import { describe, expect, it } from "vitest";
import { codeMode, InvalidPlanError } from "../../../src/codemode.js";
import { operationsFromPlan, planFromOperations } from "../../../src/codemode/json-operations.js";
import { buildUndo } from "../../../src/codemode/undo.js";
import type { BatchDocument, CellSnapshotData } from "../../../src/schemas/codemode.js";

const CONFIG = { hide_code: false, disabled: false, column: null, expand_output: false };

function snap(id: string, index: number, code: string, extra: Partial<CellSnapshotData> = {}): CellSnapshotData {
  return { id, index, code, name: "", config: CONFIG, ...extra };
}

function doc(fields: Partial<BatchDocument>): BatchDocument {
  return { ok: true, created: {}, edited: [], deleted: [], moved: [], ran: [], ui: [], packages: [], cells: [], ...fields };
}

describe("buildUndo", () => {
  it("checks every touched cell, deletes created cells, restores edits, re-creates deleted cells in place and re-runs what had run", () => {
    const { plan, cannotUndo } = buildUndo(
      doc({
        created: { c1: "NEW1" },
        edited: ["B"],
        deleted: ["C"],
        moved: ["D"],
        ran: ["B"],
        undo: {
          before: [snap("B", 1, "b = 1", { name: "bee", had_run: true }), snap("C", 2, "c = 1", { had_run: true }), snap("D", 3, "d = 1")],
          after: [snap("NEW1", 1, "n = 1"), snap("B", 2, "b = 2", { name: "bea" }), snap("D", 0, "d = 1")],
          order_before: ["A", "B", "C", "D"],
          order_after: ["D", "A", "NEW1", "B"],
          ui_before: {},
        },
      }),
    );
    expect(operationsFromPlan(plan)).toEqual([
      { op: "expect_cell", cell: { id: "NEW1" }, code: "n = 1", name: null, hide_code: false, disabled: false, column: null, expand_output: false, index: 1 },
      { op: "expect_cell", cell: { id: "B" }, code: "b = 2", name: "bea", hide_code: false, disabled: false, column: null, expand_output: false, index: 2 },
      { op: "expect_cell", cell: { id: "D" }, code: "d = 1", name: null, hide_code: false, disabled: false, column: null, expand_output: false, index: 0 },
      { op: "delete_cell", cell: { id: "NEW1" } },
      { op: "edit_cell", cell: { id: "B" }, code: "b = 1", name: "bee" },
      { op: "create_cell", code: "c = 1", ref: "c1", after: { id: "B" }, hide_code: false, disabled: false },
      { op: "move_cell", cell: { id: "A" }, before: { id: "D" } },
      { op: "move_cell", cell: { id: "B" }, after: { id: "A" } },
      { op: "move_cell", cell: { ref: "c1" }, after: { id: "B" } },
      { op: "run_cell", cell: { id: "B" } },
      { op: "run_cell", cell: { ref: "c1" } },
    ]);
    expect(cannotUndo).toEqual(["what running cells did outside the notebook (files written, data sent, …) is not undone"]);
  });

  it("sets UI values back, and lists packages and values it cannot put back", () => {
    const { plan, cannotUndo } = buildUndo(
      doc({
        ui: ["sl", "up"],
        packages: [{ action: "add", spec: "polars", name: "polars", version: "1.0" }],
        undo: { before: [], after: [], order_before: [], order_after: [], ui_before: { sl: { value: 3 }, up: { value: null, unsupported: "bytes" } } },
      }),
    );
    expect(operationsFromPlan(plan)).toEqual([{ op: "set_ui_value", variable: "sl", value: 3 }]);
    expect(cannotUndo).toEqual([
      "installed package 'polars': packages are not uninstalled",
      "what running cells did outside the notebook (files written, data sent, …) is not undone",
      "UI element 'up': its old value (a bytes) cannot be set again",
    ]);
  });

  it("is empty for a batch that only ran cells, and says why when the capture is missing", () => {
    expect(buildUndo(doc({ ran: ["A"], undo: { before: [], after: [], order_before: ["A"], order_after: ["A"], ui_before: {} } })).plan.operations).toEqual([]);
    const missing = buildUndo(doc({ edited: ["A"], undo_error: "KeyError: 'x'" }));
    expect(missing.plan.operations).toEqual([]);
    expect(missing.cannotUndo).toEqual(["nothing: reading the notebook after the batch failed (KeyError: 'x')"]);
  });

  it("cannot clear a column again, and says so", () => {
    const { plan, cannotUndo } = buildUndo(
      doc({
        edited: ["A"],
        undo: {
          before: [snap("A", 0, "a = 1")],
          after: [snap("A", 0, "a = 1", { config: { ...CONFIG, column: 2 } })],
          order_before: ["A"],
          order_after: ["A"],
          ui_before: {},
        },
      }),
    );
    expect(plan.operations.map((op) => op.kind)).toEqual(["expectCell"]);
    expect(cannotUndo).toEqual(["cell 'A': its column cannot be cleared again"]);
  });
});

describe("plans as JSON operations", () => {
  it("round-trips through planFromOperations to the same Python", () => {
    const plan = codeMode((b) => {
      const made = b.createCell("x = 1", { name: "mp_x", after: "load", allowDuplicateName: true, hideCode: false });
      b.expectCell({ name: "mp_y" }, { code: "y = 1", name: null, column: null, index: 2 });
      b.editCell({ id: "Hbol" }, { name: null, code: "y = 2" });
      b.moveCell(made, { before: { id: "Hbol" } });
      b.runCell(made);
      b.setUiValue("mp_slider", [1, "two"]);
    });
    const json = operationsFromPlan(plan);
    const again = planFromOperations(JSON.parse(JSON.stringify(json)));
    expect(again.toPython({ marimoVersion: "0.25.2", nonce: "roundtrip-1" })).toBe(plan.toPython({ marimoVersion: "0.25.2", nonce: "roundtrip-1" }));
  });
});

describe("builder options of safe edits", () => {
  it("refuses a name repeated in one plan unless duplicates are allowed", () => {
    expect(() => codeMode((b) => (b.createCell("a = 1", { name: "mp_n" }), b.createCell("b = 1", { name: "mp_n" })))).toThrow(/allowDuplicateName/);
    expect(() => codeMode((b) => (b.createCell("a = 1", { name: "mp_n" }), b.createCell("b = 1", { name: "mp_n", allowDuplicateName: true })))).not.toThrow();
  });

  it("expectCell needs something to check and well-typed values", () => {
    expect(() => codeMode((b) => b.expectCell("a", {}))).toThrow(InvalidPlanError);
    expect(() => codeMode((b) => b.expectCell("a", { index: -1 }))).toThrow(/index/);
    expect(() => codeMode((b) => b.expectCell("a", { name: "class" }))).toThrow(/identifier/);
  });

  it("renders the in-kernel checks with escaped literals", () => {
    const python = codeMode((b) => {
      b.createCell("a = 1", { name: "mp_a" });
      b.editCell("it's", { name: "mp_b" });
      b.setUiValue("mp_slider", 3);
    }).toPython({ marimoVersion: "0.25.2", nonce: "render-check-1" });
    expect(python).toContain(`_mp_claim(_mp_st, 'mp_a', None, False)`);
    expect(python).toContain(String.raw`_mp_target(_mp_ctx, _mp_st, 'any', 'it\'s')`);
    expect(python).toContain(`_mp_ui_set(_mp_ctx, _mp_st, 'mp_slider', 3)`);
  });
});
