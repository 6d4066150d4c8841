/**
 * The built CLI's notebook commands against real marimo: `cells` and `apply`.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { has, itWhen } from "../helpers/feature.js";
import { makeTempDir, type MarimoServer, openRawSession, type RawSession, startMarimo, stopAll } from "../helpers/marimo-server.js";
import { prepareCli, runCli } from "./cli-helpers.js";

const NOTEBOOK = `import marimo

__generated_with = "0.25.2"
app = marimo.App()


@app.cell
def load():
    base = 20
    return (base,)


@app.cell
def _(base):
    # doubles the base
    doubled = base * 2
    return (doubled,)


if __name__ == "__main__":
    app.run()
`;

let server: MarimoServer;
let tmp: string;
let held: RawSession | undefined;

beforeAll(async () => {
  await prepareCli();
  tmp = await makeTempDir("cli-nb-");
  server = await startMarimo({ notebook: NOTEBOOK, notebookName: "pair.py" });
  held = await openRawSession(server);
});

afterAll(async () => {
  held?.close();
  await server?.stop();
  await stopAll();
});

interface Cell {
  id: string;
  name: string | null;
  code?: string;
  status: string | null;
  errors: { kind: string; message: string }[];
}

async function cellsJson(): Promise<Cell[]> {
  const run = await runCli(["cells", "--url", server.url, "--json"]);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as Cell[];
}

interface Applied {
  applied: boolean;
  success?: boolean;
  created?: { index: number; ref: string | null; id: string }[];
  edited?: string[];
  deleted?: string[];
  moved?: string[];
  ran?: string[];
  uiUpdated?: string[];
  cells?: { id: string; status: string | null; errors: { message: string }[] }[];
  failed?: { id: string }[];
  stdout: string;
  stderr: string;
  error?: { code: string; message: string; staleCells?: string[]; reason?: string; names?: string[]; holderId?: string };
  undo?: unknown[];
  cannotUndo?: string[];
}

const apply = (args: string[], stdin?: string) =>
  runCli(["apply", "--url", server.url, "--file", "pair.py", ...args], stdin === undefined ? {} : { stdin });

describe("apply before any read", () => {
  itWhen("stalenessCheck")("refuses to edit a cell whose code was never read: exit 1, JSON error, advice to read", async () => {
    const run = await apply(["-"], JSON.stringify([{ op: "edit_cell", cell: "load", code: "base = 21" }]));
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout) as Applied;
    expect(doc.applied).toBe(false);
    expect(doc.error?.code).toBe("stale_cells");
    expect(doc.error?.staleCells?.length).toBeGreaterThan(0);
    expect(run.stderr).toMatch(/changed since its code was last read; nothing was applied.*marimo-pair cells.*--skip-staleness-check/);
  });
});

describe("cells", () => {
  it("--json lists the cells in notebook order with code, status and errors", async () => {
    const cells = await cellsJson();
    // Before fileCellNames (0.22.0) the kernel never sees the names the file gives.
    const load = has("fileCellNames") ? "load" : null;
    expect(cells.map((c) => [c.name, c.code])).toEqual([
      [load, "base = 20"],
      [null, "# doubles the base\ndoubled = base * 2"],
    ]);
    for (const c of cells) {
      expect(c.id).toMatch(/^\S+$/);
      expect(c.errors).toEqual([]);
    }
  });

  it("prints a table for people, with the first line of code", async () => {
    const run = await runCli(["cells", "--url", server.url, "--file", "pair.py"]);
    expect(run.code).toBe(0);
    const [header, first, second] = run.stdout.trimEnd().split("\n");
    expect(header).toMatch(/^ID\s+NAME\s+STATUS\s+ERRORS\s+CODE$/);
    expect(first).toMatch(has("fileCellNames") ? /^\S+\s+load\s+\S+\s+base = 20$/ : /^\S+\s+base = 20$/);
    expect(second).toMatch(/# doubles the base$/);
  });

  it("exits 1 with guidance when the notebook is not open", async () => {
    const run = await runCli(["cells", "--url", server.url, "--file", "other.py"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no open notebook matches --file 'other.py'/);
  });
});

describe("apply", () => {
  itWhen(["codeModeSaves", "stalenessCheck", "runRegistersCells"])("applies a multi-op file: create with refs and anchors, run, edit, move; then set a UI value and delete", async () => {
    const ops = [
      { op: "create_cell", code: "import marimo as mo", ref: "imports", name: "imports", hide_code: false },
      { op: "create_cell", code: "slider = mo.ui.slider(1, 10, value=2)\nslider", ref: "ui", after: { ref: "imports" } },
      { op: "create_cell", code: "tripled = base * 3\nprint('tripled', tripled)", ref: "t" },
      { op: "run_cell", cell: "load" },
      { op: "run_cell", cell: { ref: "ui" } },
      { op: "run_cell", cell: { ref: "t" } },
      { op: "edit_cell", cell: "load", code: "base = 7" },
      { op: "move_cell", cell: { ref: "t" }, before: "load" },
    ];
    const file = join(tmp, "ops.json");
    await writeFile(file, JSON.stringify(ops));
    const run = await apply([file]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as Applied;
    expect(doc).toMatchObject({ applied: true, success: true });
    expect(doc.created?.map((c) => [c.index, c.ref])).toEqual([
      [0, "imports"],
      [1, "ui"],
      [2, "t"],
    ]);
    const ids = Object.fromEntries((doc.created ?? []).map((c) => [c.ref, c.id]));
    const cells = await cellsJson();
    const load = cells.find((c) => c.name === "load");
    expect(doc.edited).toEqual([load?.id]);
    expect(doc.moved).toEqual([ids["t"]]);
    expect(doc.failed).toEqual([]);
    expect(doc.stdout).toContain("tripled 21");
    // Order: the new cells after the import cell, and the moved cell before load.
    expect(cells.map((c) => c.id)).toEqual([ids["t"], load?.id, expect.any(String), ids["imports"], ids["ui"]]);
    expect(load?.code).toBe("base = 7");
    // marimo saved the changes to the notebook file.
    const saved = await readFile(server.notebookPath, "utf8");
    expect(saved).toContain("base = 7");
    expect(saved).toContain("slider = mo.ui.slider(1, 10, value=2)");

    const second = await apply(
      ["-"],
      JSON.stringify([
        { op: "set_ui_value", variable: "slider", value: 9 },
        { op: "delete_cell", cell: { id: ids["t"] } },
      ]),
    );
    expect(second.stderr).toBe("");
    expect(second.code).toBe(0);
    const doc2 = JSON.parse(second.stdout) as Applied;
    expect(doc2).toMatchObject({ applied: true, success: true, uiUpdated: ["slider"], deleted: [ids["t"]] });
    const value = await runCli(["exec", "--url", server.url, "--file", "pair.py", "-c", "print(slider.value)"]);
    expect(value).toMatchObject({ code: 0, stdout: "9\n" });
    expect((await cellsJson()).some((c) => c.id === ids["t"])).toBe(false);
  });

  itWhen(["codeModeSaves", "stalenessCheck", "runRegistersCells"])("creates a cell whose code is full of quotes, backticks, ${} and backslashes, byte for byte", async () => {
    const code = String.raw`note = "it's \"quoted\"" + '${"`"}tick${"`"}' + "${"${x}"} $(y) \\ \n"` + "\n# é ✓ 🐍\n";
    const run = await apply(["-"], JSON.stringify([{ op: "create_cell", code, name: "tricky" }]));
    expect(run.code).toBe(0);
    const cell = (await cellsJson()).find((c) => c.name === "tricky");
    expect(cell?.code).toBe(code);
  });

  itWhen(["codeModeSaves", "stalenessCheck", "runRegistersCells"])("a cell that raises: applied, but exit 1 and the cell listed as failed", async () => {
    const run = await apply(["-"], JSON.stringify([{ op: "create_cell", code: "boom = 1 / 0", ref: "b" }, { op: "run_cell", cell: { ref: "b" } }]));
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout) as Applied;
    expect(doc).toMatchObject({ applied: true, success: false });
    const id = doc.created?.[0]?.id;
    expect(doc.failed?.map((c) => c.id)).toEqual([id]);
    expect(doc.stderr).toContain("ZeroDivisionError");
    expect(run.stderr).toMatch(/applied, but cell '.+' raised while running/);
  });

  itWhen(["codeModeSaves", "stalenessCheck", "runRegistersCells"])("marimo's validation refuses a multiply-defined name: nothing applied, exit 1", async () => {
    const before = (await cellsJson()).length;
    const run = await apply(["-"], JSON.stringify([{ op: "create_cell", code: "base = 1" }]));
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout) as Applied;
    expect(doc).toMatchObject({ applied: false, error: { code: "notebook_validation", reason: "multiply_defined", names: ["base"] } });
    expect(run.stderr).toMatch(/--skip-validation/);
    expect((await cellsJson()).length).toBe(before);
  });

  it("invalid operations: exit 2 before anything is sent, each problem with its path", async () => {
    const run = await apply(["-"], JSON.stringify([{ op: "create_cel", code: "1" }, { op: "edit_cell", cell: "load", hide: true }]));
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("[0].op: Invalid discriminator value");
    expect(run.stderr).toContain('[1]: Unrecognized key: "hide"');
    const bad = await apply(["-"], "[{");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/stdin is not valid JSON/);
    const unknownRef = await apply(["-"], JSON.stringify([{ op: "run_cell", cell: { ref: "nope" } }]));
    expect(unknownRef.code).toBe(2);
    expect(unknownRef.stderr).toMatch(/operation 1 \(run_cell\): cell: no create_cell earlier in the list has ref 'nope'/);
  });

  it("--python prints the generated batch without a server", async () => {
    const run = await runCli(["apply", "--python", "-"], { stdin: JSON.stringify([{ op: "create_cell", code: "answer = 41 + 1" }]) });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("import marimo._code_mode");
    expect(run.stdout).toContain("'answer = 41 + 1'");
  });

  itWhen(["codeModeSaves", "stalenessCheck", "runRegistersCells"])("refuses a name another cell holds: exit 1, JSON error naming the holder, nothing applied", async () => {
    const before = await cellsJson();
    const holder = before.find((c) => c.name === "load");
    const run = await apply(["-"], JSON.stringify([{ op: "create_cell", code: "other_base = 1", name: "load" }]));
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout) as Applied;
    expect(doc).toMatchObject({ applied: false, error: { code: "duplicate_name", name: "load", holderId: holder?.id } });
    expect(run.stderr).toContain("allow_duplicate_name");
    expect(run.stderr).toContain("marimo-pair cells");
    expect((await cellsJson()).length).toBe(before.length);
    const missing = await apply(["-"], JSON.stringify([{ op: "run_cell", cell: "mp_no_such_cell" }]));
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toMatchObject({ applied: false, error: { code: "cell_not_found", target: "mp_no_such_cell" } });
  });

  itWhen(["codeModeSaves", "stalenessCheck", "runRegistersCells"])("prints an undo list that apply accepts back, and it restores the notebook", async () => {
    const before = await cellsJson();
    const load = before.find((c) => c.name === "load");
    const ops = [
      { op: "create_cell", code: "mp_cli_extra = 5", name: "mp_cli_extra_cell", after: "load" },
      { op: "edit_cell", cell: "load", code: "base = 8", name: "mp_cli_load" },
    ];
    const run = await apply(["-"], JSON.stringify(ops));
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as Applied;
    expect(doc.undo?.length).toBeGreaterThan(0);
    expect(doc.cannotUndo).toEqual([]);
    expect((await cellsJson()).find((c) => c.id === load?.id)).toMatchObject({ name: "mp_cli_load", code: "base = 8" });

    const file = join(tmp, "undo.json");
    await writeFile(file, JSON.stringify(doc.undo));
    const undone = await apply([file]);
    expect(undone.stderr).toBe("");
    expect(undone.code).toBe(0);
    const after = await cellsJson();
    expect(after.map((c) => [c.id, c.name, c.code])).toEqual(before.map((c) => [c.id, c.name, c.code]));

    // Applying the same undo again is stale: the cell it would delete is gone.
    const again = await apply([file]);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout)).toMatchObject({ applied: false, error: { code: "cell_changed", fields: ["deleted"] } });
    expect(again.stderr).toContain("it was deleted");
  });
});
