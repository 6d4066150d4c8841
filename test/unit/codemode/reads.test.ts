import { describe, expect, it } from "vitest";

import { ancestors, descendants, InvalidPlanError, type NotebookGraph, readCell, readCells, readGraph, readPackages, readVariables } from "../../../src/codemode.js";
import { definingCells } from "../../../src/codemode/graph.js";
import { ExecutionError, ProtocolError, UnsupportedVersionError } from "../../../src/errors.js";
import { fakeExecutor } from "./fake-executor.js";

const CELL = {
  id: "Hbol",
  name: "_",
  status: "idle",
  errors: [],
  config: { hide_code: true, disabled: false, column: null, expand_output: false },
  code: "x = 1",
  output: { channel: "output", mimetype: "text/html", data: "<pre>1</pre>", timestamp: 1.5 },
  console: [{ channel: "stdout", mimetype: "text/plain", data: "hi\n", timestamp: 1.4 }],
};

describe("readCells and readCell", () => {
  it("parses snapshots and maps marimo's unnamed markers to null", async () => {
    const executor = fakeExecutor(() => ({ document: { ok: true, value: [CELL, { ...CELL, id: "MJUe", name: "load", code: undefined, output: undefined, console: undefined }] } }));
    const cells = await readCells(executor);
    expect(cells[0]).toEqual({
      id: "Hbol",
      name: null,
      code: "x = 1",
      config: { hideCode: true, disabled: false, column: null, expandOutput: false },
      status: "idle",
      errors: [],
      output: { channel: "output", mimetype: "text/html", data: "<pre>1</pre>", timestamp: 1.5 },
      console: [{ channel: "stdout", mimetype: "text/plain", data: "hi\n", timestamp: 1.4 }],
    });
    expect(cells[1]).toEqual({
      id: "MJUe",
      name: "load",
      config: { hideCode: true, disabled: false, column: null, expandOutput: false },
      status: "idle",
      errors: [],
    });
  });

  it("asks for code and outputs unless told not to", async () => {
    const executor = fakeExecutor(() => ({ document: { ok: true, value: [] } }));
    await readCells(executor);
    await readCells(executor, { code: false, outputs: false });
    expect(executor.codes[0]).toContain("_mp_snapshot(_mp_ctx.cells[_mp_i], True, True)");
    expect(executor.codes[1]).toContain("_mp_snapshot(_mp_ctx.cells[_mp_i], False, False)");
  });

  it("returns undefined for a cell that does not exist, and resolves id, name or either", async () => {
    const executor = fakeExecutor((code) => ({ document: { ok: true, value: code.includes("'id', 'Hbol'") ? CELL : null } }));
    expect(await readCell(executor, { id: "Hbol" })).toMatchObject({ id: "Hbol" });
    expect(await readCell(executor, { name: "Hbol" })).toBeUndefined();
    expect(await readCell(executor, "nope")).toBeUndefined();
    await expect(readCell(executor, "")).rejects.toBeInstanceOf(InvalidPlanError);
    await expect(readCell(executor, 3 as never)).rejects.toBeInstanceOf(InvalidPlanError);
  });

  it("turns a Python failure into ExecutionError and a missing document into ProtocolError", async () => {
    const failing = fakeExecutor(() => ({ document: { ok: false, type: "RuntimeError", message: "no kernel", traceback: "Traceback\nRuntimeError: no kernel" } }));
    await expect(readCells(failing)).rejects.toBeInstanceOf(ExecutionError);
    const crashed = fakeExecutor(() => ({ stderr: "ModuleNotFoundError: No module named 'marimo._code_mode'", success: false }));
    await expect(readCells(crashed)).rejects.toBeInstanceOf(ExecutionError);
    const silent = fakeExecutor(() => ({ before: "nothing" }));
    await expect(readCells(silent)).rejects.toBeInstanceOf(ProtocolError);
    const wrong = fakeExecutor(() => ({ document: { ok: true, value: [{ id: 1 }] } }));
    await expect(readCells(wrong)).rejects.toBeInstanceOf(ProtocolError);
  });
});

describe("readGraph and graph walks", () => {
  const graph: NotebookGraph = {
    cells: [
      { id: "a", name: null, registered: true, defs: ["x"], refs: [], parents: [], children: ["b", "c"] },
      { id: "b", name: null, registered: true, defs: ["y"], refs: ["x"], parents: ["a"], children: ["d"] },
      { id: "c", name: null, registered: true, defs: ["z"], refs: ["x"], parents: ["a"], children: ["d"] },
      { id: "d", name: "end", registered: true, defs: ["w"], refs: ["y", "z"], parents: ["b", "c"], children: [] },
      { id: "e", name: null, registered: true, defs: ["x"], refs: [], parents: [], children: [] },
    ],
    multiplyDefined: ["x"],
    cycles: [],
  };

  it("walks ancestors and descendants in notebook order", () => {
    expect(descendants(graph, "a")).toEqual(["b", "c", "d"]);
    expect(ancestors(graph, "d")).toEqual(["a", "b", "c"]);
    expect(descendants(graph, "unknown")).toEqual([]);
    expect(definingCells(graph, "x")).toEqual(["a", "e"]);
  });

  it("parses the graph document", async () => {
    const executor = fakeExecutor(() => ({
      document: {
        ok: true,
        value: {
          cells: [{ id: "a", name: "__", registered: true, defs: ["x"], refs: [], parents: [], children: [] }],
          multiply_defined: [],
          cycles: [[["a", "b"], ["b", "a"]]],
        },
      },
    }));
    expect(await readGraph(executor)).toEqual({
      cells: [{ id: "a", name: null, registered: true, defs: ["x"], refs: [], parents: [], children: [] }],
      multiplyDefined: [],
      cycles: [[["a", "b"], ["b", "a"]]],
    });
  });
});

describe("readVariables and readPackages", () => {
  it("parses variables", async () => {
    const executor = fakeExecutor(() => ({
      document: { ok: true, value: [{ name: "df", cells: ["a"], defined: true, type: "pandas.core.frame.DataFrame", repr: "   a\n0  1" }, { name: "y", cells: ["b"], defined: false }] },
    }));
    expect(await readVariables(executor)).toEqual([
      { name: "df", cells: ["a"], defined: true, type: "pandas.core.frame.DataFrame", repr: "   a\n0  1" },
      { name: "y", cells: ["b"], defined: false },
    ]);
  });

  it("lists packages on marimo >= 0.23.2 and refuses older versions", async () => {
    const executor = fakeExecutor(() => ({ document: { ok: true, value: [{ name: "marimo", version: "0.25.2" }] } }));
    expect(await readPackages(executor)).toEqual([{ name: "marimo", version: "0.25.2" }]);
    const old = fakeExecutor(() => ({ document: { ok: true, value: [] } }), "0.23.1");
    await expect(readPackages(old)).rejects.toBeInstanceOf(UnsupportedVersionError);
  });
});
