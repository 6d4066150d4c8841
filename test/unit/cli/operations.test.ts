import { describe, expect, it } from "vitest";
import { parseOperations } from "../../../src/cli/commands/apply.js";
import { planFromOperations } from "../../../src/codemode/json-operations.js";
import { InvalidPlanError } from "../../../src/codemode/errors.js";

const parse = (value: unknown) => parseOperations(JSON.stringify(value), "ops.json");

describe("parseOperations", () => {
  it("accepts every operation kind", () => {
    const ops = parse([
      { op: "create_cell", code: "x = 1", ref: "a", hide_code: false, name: "x_cell", column: 0, disabled: false, expand_output: true },
      { op: "create_cell", code: "y = x", after: { ref: "a" } },
      { op: "edit_cell", cell: "x_cell", code: "x = 2" },
      { op: "move_cell", cell: { id: "Hbol" }, before: { name: "x_cell" } },
      { op: "run_cell", cell: "x_cell" },
      { op: "install_packages", packages: ["polars>=1"] },
      { op: "remove_packages", packages: ["pandas"] },
      { op: "set_ui_value", variable: "slider", value: { nested: [1, "two", null, true] } },
      { op: "delete_cell", cell: "MJUe" },
    ]);
    expect(ops.map((o) => o.op)).toEqual([
      "create_cell",
      "create_cell",
      "edit_cell",
      "move_cell",
      "run_cell",
      "install_packages",
      "remove_packages",
      "set_ui_value",
      "delete_cell",
    ]);
  });

  it("names each problem by its path", () => {
    const attempt = () =>
      parse([{ op: "create_cell" }, { op: "run_cell", cell: "" }, { op: "install_packages", packages: [] }, { op: "nope" }]);
    expect(attempt).toThrow(/ops.json does not hold a valid list of operations/);
    expect(attempt).toThrow(/\[0\]\.code: /);
    expect(attempt).toThrow(/\[1\]\.cell: /);
    expect(attempt).toThrow(/\[2\]\.packages: /);
    expect(attempt).toThrow(/\[3\]\.op: Invalid discriminator value/);
  });

  it("refuses misspelt fields, non-arrays, empty lists and bad JSON", () => {
    expect(() => parse([{ op: "create_cell", code: "1", hideCode: true }])).toThrow(/Unrecognized key: "hideCode"/);
    expect(() => parse({ op: "create_cell", code: "1" })).toThrow(/\(document\): Invalid input: expected array/);
    expect(() => parse([])).toThrow(/\(document\): /);
    expect(() => parseOperations("[{", "stdin")).toThrow(/stdin is not valid JSON/);
  });
});

describe("planFromOperations", () => {
  it("records the builder's operations in order, resolving refs to the cells created earlier", () => {
    const plan = planFromOperations(
      parse([
        { op: "create_cell", code: "import polars as pl", ref: "imports", hide_code: false },
        { op: "create_cell", code: "df = pl.DataFrame()", after: { ref: "imports" }, ref: "data" },
        { op: "run_cell", cell: { ref: "data" } },
        { op: "edit_cell", cell: "Hbol", disabled: true },
        { op: "set_ui_value", variable: "slider", value: 3 },
      ]),
    );
    expect(plan.operations.map((o) => o.kind)).toEqual(["createCell", "createCell", "runCell", "editCell", "setUiValue"]);
    const [imports, data] = plan.refs;
    expect(plan.value.map((c) => [c.index, c.ref, c.cell])).toEqual([
      [0, "imports", imports],
      [1, "data", data],
    ]);
    expect(plan.operations[0]).toMatchObject({ hideCode: false, code: "import polars as pl" });
    expect(plan.operations[1]).toMatchObject({ after: { kind: "ref", ref: imports } });
    expect(plan.operations[2]).toMatchObject({ target: { kind: "ref", ref: data } });
    expect(plan.operations[3]).toMatchObject({ target: { kind: "any", value: "Hbol" }, disabled: true });
  });

  it("passes the skip options to the plan", () => {
    const plan = planFromOperations(parse([{ op: "run_cell", cell: "a" }]), { skipValidation: true, skipStalenessCheck: true });
    expect(plan.options).toEqual({ skipValidation: true, skipStalenessCheck: true });
  });

  it("names the operation of a mistake the builder refuses", () => {
    const cases: [unknown[], RegExp][] = [
      [[{ op: "run_cell", cell: { ref: "later" } }], /operation 1 \(run_cell\): cell: no create_cell earlier in the list has ref 'later'/],
      [[{ op: "create_cell", code: "1", ref: "a" }, { op: "create_cell", code: "2", ref: "a" }], /operation 2 \(create_cell\): ref 'a' is already used/],
      [[{ op: "move_cell", cell: "a" }], /operation 1 \(move_cell\): give exactly one of before or after/],
      [[{ op: "delete_cell", cell: "a" }, { op: "run_cell", cell: "a" }], /operation 2 \(run_cell\): .*deleted/],
      [[{ op: "create_cell", code: "1", before: "a", after: "b" }], /operation 1 \(create_cell\): /],
    ];
    for (const [ops, message] of cases) {
      const attempt = () => planFromOperations(parse(ops));
      expect(attempt).toThrow(InvalidPlanError);
      expect(attempt).toThrow(message);
    }
  });

  it("reaches Python only as escaped literals", () => {
    const code = "s = '''\\u0000 \" ` ${x} $(y) \\\\'''\n";
    const python = planFromOperations(parse([{ op: "create_cell", code }])).toPython({ nonce: "fixednonce1" });
    expect(python).not.toContain(code);
    expect(python).toContain("_code_mode");
  });
});
