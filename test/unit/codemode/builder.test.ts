import { describe, expect, it } from "vitest";

import { CellRef, codeMode, type CodeModeBuilder, InvalidPlanError } from "../../../src/codemode.js";
import { isMarimoPairError } from "../../../src/errors.js";

function rejects(build: (b: CodeModeBuilder) => unknown, message: RegExp): void {
  let caught: unknown;
  try {
    codeMode(build);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(InvalidPlanError);
  expect(isMarimoPairError(caught, "invalid_plan")).toBe(true);
  expect((caught as Error).message).toMatch(message);
}

describe("codeMode builder", () => {
  it("records operations in order with refs keyed c1, c2, …", () => {
    const plan = codeMode((b) => {
      const a = b.createCell("x = 1", { hideCode: false, name: "first" });
      const c = b.createCell("y = x", { after: a, column: 1, disabled: true });
      b.editCell("other", { code: "z = 3" });
      b.moveCell({ id: "abcd" }, { before: a });
      b.runCell(c);
      b.installPackages("pandas", "numpy>=1.26");
      b.removePackages("old-pkg");
      b.setUiValue("slider", 5);
      b.deleteCell({ name: "scratch" });
      return { a, c };
    });
    expect(plan.refs.map((r) => r.key)).toEqual(["c1", "c2"]);
    expect(plan.value.a).toBe(plan.refs[0]);
    expect(plan.operations.map((op) => op.kind)).toEqual([
      "createCell",
      "createCell",
      "editCell",
      "moveCell",
      "runCell",
      "installPackages",
      "removePackages",
      "setUiValue",
      "deleteCell",
    ]);
    expect(plan.operations[1]).toMatchObject({ kind: "createCell", code: "y = x", column: 1, disabled: true, after: { kind: "ref" } });
    expect(plan.operations[3]).toMatchObject({ target: { kind: "id", value: "abcd" }, anchor: "before" });
    expect(plan.options).toEqual({ skipValidation: false, skipStalenessCheck: false });
    expect(Object.isFrozen(plan.operations)).toBe(true);
  });

  it("keeps options", () => {
    const plan = codeMode(() => undefined, { skipValidation: true, skipStalenessCheck: true });
    expect(plan.options).toEqual({ skipValidation: true, skipStalenessCheck: true });
    expect(plan.operations).toEqual([]);
  });

  it("refuses both anchors, and a move without exactly one anchor", () => {
    rejects((b) => b.createCell("x", { before: "a", after: "b" }), /either `before` or `after`/);
    rejects((b) => b.moveCell("a", {} as never), /exactly one/);
    rejects((b) => b.moveCell("a", { before: "b", after: "c" } as never), /exactly one/);
    rejects((b) => b.moveCell("a", { after: "a" }), /next to itself/);
  });

  it("refuses running, editing, moving or anchoring on a cell deleted earlier in the plan", () => {
    rejects((b) => (b.deleteCell("a"), b.runCell("a")), /runCell.*deleted earlier/);
    rejects((b) => (b.deleteCell("a"), b.editCell("a", { code: "x" })), /editCell.*deleted earlier/);
    rejects((b) => (b.deleteCell("a"), b.moveCell("a", { after: "b" })), /moveCell.*deleted earlier/);
    rejects((b) => (b.deleteCell("a"), b.moveCell("b", { after: "a" })), /moveCell: after.*deleted earlier/);
    rejects((b) => (b.deleteCell("a"), b.createCell("x", { before: "a" })), /createCell: before.*deleted earlier/);
    rejects((b) => {
      const r = b.createCell("x");
      b.deleteCell(r);
      b.runCell(r);
    }, /CellRef\(c1\).*deleted earlier/);
  });

  it("refuses deleting twice, or deleting a cell also edited, moved or run in the plan", () => {
    rejects((b) => (b.deleteCell("a"), b.deleteCell("a")), /deleteCell.*deleted earlier/);
    rejects((b) => (b.editCell("a", { hideCode: true }), b.deleteCell("a")), /edited earlier/);
    rejects((b) => (b.moveCell("a", { after: "b" }), b.deleteCell("a")), /moved earlier/);
    rejects((b) => (b.runCell({ id: "a" }), b.deleteCell({ id: "a" })), /run earlier/);
  });

  it("refuses refs of another plan", () => {
    let foreign: CellRef | undefined;
    codeMode((b) => {
      foreign = b.createCell("x = 1");
    });
    rejects((b) => b.runCell(foreign as CellRef), /belongs to another plan/);
    rejects((b) => b.createCell("y", { after: foreign as CellRef }), /belongs to another plan/);
  });

  it("refuses invalid names, targets, config values and code", () => {
    rejects((b) => b.createCell("x", { name: "1abc" }), /identifier/);
    rejects((b) => b.createCell("x", { name: "class" }), /identifier/);
    rejects((b) => b.createCell("x", { name: "_" }), /reserved/);
    rejects((b) => b.createCell("x", { name: "ﬁle" }), /NFKC/);
    rejects((b) => (b.createCell("x", { name: "dup" }), b.createCell("y", { name: "dup" })), /already given/);
    rejects((b) => b.runCell(""), /must not be empty/);
    rejects((b) => b.runCell({ id: "" }), /must not be empty/);
    rejects((b) => b.runCell({ id: "a", name: "b" } as never), /CellRef, a cell id or name/);
    rejects((b) => b.runCell(42 as never), /CellRef, a cell id or name/);
    rejects((b) => b.createCell("x", { column: -1 }), /integer >= 0/);
    rejects((b) => b.createCell("x", { column: 1.5 }), /integer >= 0/);
    rejects((b) => b.createCell("x", { hideCode: "yes" as never }), /boolean/);
    rejects((b) => b.createCell(null as never), /code must be a string/);
    rejects((b) => b.editCell("a", {}), /nothing to change/);
    expect(() => codeMode(() => undefined, { skipValidation: 1 as never })).toThrow(InvalidPlanError);
  });

  it("accepts names marimo accepts, including setup and non-ASCII identifiers", () => {
    const plan = codeMode((b) => {
      b.createCell("import marimo as mo", { name: "setup" });
      b.createCell("x = 1", { name: "données" });
      b.editCell("abc", { name: "match" });
    });
    expect(plan.operations).toHaveLength(3);
  });

  it("refuses empty or option-like package specifiers", () => {
    rejects((b) => b.installPackages(), /at least one/);
    rejects((b) => b.installPackages(""), /empty/);
    rejects((b) => b.installPackages("   "), /empty/);
    rejects((b) => b.installPackages("--index-url=https://example.invalid pkg"), /starting with '-'/);
    rejects((b) => b.installPackages("pkg -e ."), /starting with '-'/);
    rejects((b) => b.removePackages("pkg\nother"), /control character/);
    rejects((b) => b.installPackages(3 as never), /must be a string/);
    const plan = codeMode((b) => b.installPackages('pkg[extra]>=1.0; python_version >= "3.10"', "name @ https://example.invalid/x.whl"));
    expect(plan.operations[0]).toMatchObject({ specs: ['pkg[extra]>=1.0; python_version >= "3.10"', "name @ https://example.invalid/x.whl"] });
  });

  it("refuses UI values that are not JSON and variable names that are not identifiers", () => {
    rejects((b) => b.setUiValue("not a name", 1), /identifier/);
    rejects((b) => b.setUiValue("slider", Number.NaN), /finite/);
    rejects((b) => b.setUiValue("slider", new Date() as never), /plain/);
    const value = { a: [1, 2] };
    const plan = codeMode((b) => b.setUiValue("form", value));
    value.a.push(3);
    expect(plan.operations[0]).toMatchObject({ value: { a: [1, 2] } });
  });

  it("refuses use of the builder after the plan is built, and async callbacks", () => {
    let kept: CodeModeBuilder | undefined;
    codeMode((b) => {
      kept = b;
    });
    expect(() => kept?.createCell("x")).toThrow(/already built/);
    expect(() => codeMode(async () => undefined)).toThrow(/synchronous/);
    expect(() => codeMode("nope" as never)).toThrow(InvalidPlanError);
  });
});
