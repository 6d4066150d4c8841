/**
 * Safe edits against real marimo: names are unique handles, ambiguous and missing targets
 * are refused, UI values are limited to what a person could set, and every batch has an
 * undo that restores the notebook file byte for byte and refuses when it is stale.
 * Every refusal is checked inside the kernel in the same batch, and nothing is applied.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  AmbiguousCellError,
  CellChangedError,
  CellNotFoundError,
  codeMode,
  DuplicateNameError,
  NotUiElementError,
  UiValueRejectedError,
  UnknownVariableError,
} from "../../src/codemode.js";
import { connect, type MarimoClient, type OwnedSession } from "../../src/index.js";
import { FEATURE_SINCE } from "../../src/version.js";
import { describeWhen, expectRefused, has, VERSION } from "../helpers/feature.js";
import { EMPTY_NOTEBOOK, type MarimoServer, startMarimo, stopAll } from "../helpers/marimo-server.js";

/** Every batch here changes cells, edits cells it read, and runs them. */
const SAFE_EDITS = ["codeModeSaves", "stalenessCheck", "runRegistersCells"] as const;

const FILES = ["names.py", "ui.py", "undo.py", "stale.py"] as const;
type NotebookFile = (typeof FILES)[number];

let server: MarimoServer;
let client: MarimoClient;
const sessions = new Map<NotebookFile, OwnedSession>();

beforeAll(async () => {
  server = await startMarimo({ notebooks: Object.fromEntries(FILES.map((f) => [f, EMPTY_NOTEBOOK])) });
  client = connect(server.url);
});

afterAll(async () => {
  for (const session of sessions.values()) session.close();
  await server?.stop();
  await stopAll();
});

async function notebook(file: NotebookFile): Promise<OwnedSession> {
  let session = sessions.get(file);
  if (session === undefined) {
    session = await client.openSession({ file });
    sessions.set(file, session);
  }
  return session;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the batch to be refused");
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A value printed by the kernel (read through the scratchpad, not through code mode). */
async function printed(nb: OwnedSession, expression: string): Promise<string> {
  const run = await nb.execute(`print(repr(${expression}))`);
  return run.stdout.trim();
}

describe.skipIf(has("codeModeSaves"))(`safe edits on marimo ${VERSION}, before codeModeSaves (marimo ${FEATURE_SINCE.codeModeSaves})`, () => {
  it("refuses a batch that changes cells before any check runs, and the file is untouched", async () => {
    const nb = await notebook("names.py");
    const file = join(server.dir, "names.py");
    const before = await readFile(file, "utf8");
    await expectRefused(nb.edit((b) => b.createCell("refused_total = 1", { name: "mp_held_name" })), "codeModeSaves");
    await expectRefused(nb.edit((b) => b.editCell("mp_no_such_cell", { code: "x = 1" }), { skipStalenessCheck: true }), "codeModeSaves");
    expect(await readFile(file, "utf8")).toBe(before);
  });
});

describeWhen([...SAFE_EDITS])("names are unique handles", () => {
  it("refuses a duplicate name on create and on rename, naming the holder; nothing is applied", async () => {
    const nb = await notebook("names.py");
    const first = await nb.edit((b) => b.createCell("held_total = 1", { name: "mp_held_name" }));
    const holder = Object.values(first.created)[0] as string;
    const before = await nb.cells();

    const onCreate = await rejection(nb.edit((b) => (b.createCell("other_total = 2"), b.createCell("third_total = 3", { name: "mp_held_name" }))));
    expect(onCreate).toBeInstanceOf(DuplicateNameError);
    expect(onCreate).toMatchObject({ code: "duplicate_name", cellName: "mp_held_name", holderId: holder, holderIds: [holder] });
    expect((onCreate as Error).message).toContain(`'${holder}'`);
    expect((await nb.cells()).map((c) => c.id)).toEqual(before.map((c) => c.id));

    const other = await nb.edit((b) => b.createCell("renamed_total = 4", { name: "mp_other_name" }));
    const otherId = Object.values(other.created)[0] as string;
    const onRename = await rejection(nb.edit((b) => b.editCell("mp_other_name", { name: "mp_held_name" })));
    expect(onRename).toMatchObject({ code: "duplicate_name", holderId: holder });
    expect((await nb.cells()).find((c) => c.id === otherId)?.name).toBe("mp_other_name");

    // Renaming a cell to its own name is no clash; opting out is explicit.
    await nb.edit((b) => b.editCell("mp_other_name", { name: "mp_other_name", hideCode: false }));
    const allowed = await nb.edit((b) => b.createCell("dup_total = 5", { name: "mp_held_name", allowDuplicateName: true }));
    expect(Object.keys(allowed.created)).toHaveLength(1);
    await nb.apply(allowed.undo);
  });

  it("refuses a name target that matches two cells made through raw code mode, listing both", async () => {
    const nb = await notebook("names.py");
    // A person can make duplicate names in the browser; raw code mode does the same.
    const raw = await nb.execute(
      [
        "import marimo._code_mode as cm",
        "async with cm.get_context() as ctx:",
        "    ctx.create_cell('twin_a = 1', name='mp_twin')",
        "    ctx.create_cell('twin_b = 2', name='mp_twin')",
      ].join("\n"),
    );
    expect(raw.success).toBe(true);
    const twins = (await nb.cells()).filter((c) => c.name === "mp_twin").map((c) => c.id);
    expect(twins).toHaveLength(2);
    const error = await rejection(nb.edit((b) => b.editCell("mp_twin", { code: "twin_a = 10" })));
    expect(error).toBeInstanceOf(AmbiguousCellError);
    expect(error).toMatchObject({ code: "ambiguous_cell", target: "mp_twin", cellIds: [...twins].sort() });
    const after = (await nb.cells()).filter((c) => c.name === "mp_twin");
    expect(after.map((c) => c.code).sort()).toEqual(["twin_a = 1", "twin_b = 2"]);
    // By id, each twin is one cell.
    await nb.edit((b) => b.runCell({ id: twins[0] as string }));
  });

  it("refuses a target that matches no cell with cell_not_found", async () => {
    const nb = await notebook("names.py");
    const byName = await rejection(nb.edit((b) => b.editCell("mp_no_such_cell", { code: "x_nothing = 1" })));
    expect(byName).toBeInstanceOf(CellNotFoundError);
    expect(byName).toMatchObject({ code: "cell_not_found", target: "mp_no_such_cell", by: "any" });
    const byId = await rejection(nb.edit((b) => b.deleteCell({ id: "Zzzz" })));
    expect(byId).toMatchObject({ code: "cell_not_found", target: "Zzzz", by: "id" });
  });
});

describeWhen([...SAFE_EDITS])("UI values a person could set, and nothing else", () => {
  const elements = [
    "import marimo as mo",
    "mp_slider = mo.ui.slider(0, 10, step=2, value=4)",
    "mp_number = mo.ui.number(0, 100, step=5, value=10)",
    "mp_dropdown = mo.ui.dropdown(['red', 'green'], value='red')",
    "mp_checkbox = mo.ui.checkbox(value=False)",
    "mp_multi = mo.ui.multiselect(['a', 'b', 'c'], value=['a'])",
    "mp_range = mo.ui.range_slider(0, 10, value=[2, 6])",
    "mp_plain = 42",
  ];

  beforeAll(async () => {
    const nb = await notebook("ui.py");
    const built = await nb.edit((b) => {
      const cells = elements.map((code) => b.createCell(code));
      for (const cell of cells) b.runCell(cell);
    });
    expect(built.failed).toEqual([]);
  });

  const cases: [string, string, unknown, string, string][] = [
    ["slider above its stop", "mp_slider", 99999, "slider", "above 10"],
    ["slider off its step", "mp_slider", 3, "slider", "not on a step"],
    ["slider given a string", "mp_slider", "lots", "slider", "not a number"],
    ["number above its stop", "mp_number", 101, "number", "above 100"],
    ["number off its step", "mp_number", 12, "number", "not on a step"],
    ["dropdown option that does not exist", "mp_dropdown", "blue", "dropdown", "not an option"],
    ["checkbox given a string", "mp_checkbox", "yes", "checkbox", "not a boolean"],
    ["multiselect of the wrong shape", "mp_multi", "a", "multiselect", "not a list of option names"],
    ["range slider of the wrong shape", "mp_range", [1, 2, 3], "range_slider", "not a list of two numbers"],
  ];

  for (const [what, variable, value, element, problem] of cases) {
    it(`refuses a ${what}, and the value is unchanged`, async () => {
      const nb = await notebook("ui.py");
      const was = await printed(nb, `${variable}.value`);
      const error = await rejection(nb.edit((b) => (b.createCell("mp_not_applied = 1"), b.setUiValue(variable, value as never))));
      expect(error).toBeInstanceOf(UiValueRejectedError);
      expect(error).toMatchObject({ code: "ui_value_rejected", variable, element, value, problem });
      expect((error as UiValueRejectedError).domain).not.toBe("");
      expect(await printed(nb, `${variable}.value`)).toBe(was);
      expect((await nb.cells()).some((c) => c.code === "mp_not_applied = 1")).toBe(false);
    });
  }

  it("accepts values a person could set, and undo sets the old value back", async () => {
    const nb = await notebook("ui.py");
    const set = await nb.edit((b) => (b.setUiValue("mp_slider", 8), b.setUiValue("mp_dropdown", ["green"]), b.setUiValue("mp_checkbox", true)));
    expect(set.uiUpdated).toEqual(["mp_slider", "mp_dropdown", "mp_checkbox"]);
    expect(await printed(nb, "(mp_slider.value, mp_dropdown.value, mp_checkbox.value)")).toBe("(8, 'green', True)");
    const undone = await nb.apply(set.undo);
    expect(undone.uiUpdated).toEqual(["mp_slider", "mp_dropdown", "mp_checkbox"]);
    expect(await printed(nb, "(mp_slider.value, mp_dropdown.value, mp_checkbox.value)")).toBe("(4, 'red', False)");
  });

  it("refuses an unknown variable and a variable that is not a UI element", async () => {
    const nb = await notebook("ui.py");
    const unknown = await rejection(nb.edit((b) => b.setUiValue("mp_nowhere", 1)));
    expect(unknown).toBeInstanceOf(UnknownVariableError);
    expect(unknown).toMatchObject({ code: "unknown_variable", variable: "mp_nowhere" });
    const plain = await rejection(nb.edit((b) => b.setUiValue("mp_plain", 1)));
    expect(plain).toBeInstanceOf(NotUiElementError);
    expect(plain).toMatchObject({ code: "not_ui_element", variable: "mp_plain", typeName: "int" });
  });
});

describeWhen([...SAFE_EDITS])("undo", () => {
  it("undoes a mixed batch (edit, delete, create, move, run) and the file is byte for byte what it was", async () => {
    const nb = await notebook("undo.py");
    const file = join(server.dir, "undo.py");
    const setup = await nb.edit((b) => {
      const first = b.createCell("mp_base = 10", { name: "mp_base_cell", hideCode: false });
      const second = b.createCell("mp_scaled = mp_base * 2\nprint('scaled', mp_scaled)", { name: "mp_scaled_cell" });
      const third = b.createCell("mp_note = 'kept'");
      const fourth = b.createCell("mp_last = mp_scaled + 1", { disabled: false, hideCode: false });
      for (const cell of [first, second, third, fourth]) b.runCell(cell);
    });
    expect(setup.failed).toEqual([]);
    const original = await waitFor(
      () => readFile(file, "utf8"),
      (t) => t.includes("mp_last = mp_scaled + 1"),
    );
    const cellsBefore = await nb.cells();
    // marimo opens an empty file with one empty cell of its own; ours follow it.
    const [base, scaled, note, last] = Object.values(setup.created) as [string, string, string, string];

    const batch = await nb.edit((b) => {
      b.editCell("mp_scaled_cell", { code: "mp_scaled = mp_base * 3\nprint('scaled', mp_scaled)", name: "mp_tripled_cell" });
      b.deleteCell({ id: note });
      const added = b.createCell("mp_extra = mp_last * 2", { after: { id: base }, name: "mp_extra_cell" });
      b.moveCell({ id: last }, { before: { id: base } });
      b.runCell({ id: scaled });
      b.runCell(added);
    });
    expect(batch.failed).toEqual([]);
    await waitFor(
      () => readFile(file, "utf8"),
      (t) => t.includes("mp_extra = mp_last * 2") && !t.includes("mp_note"),
    );
    expect(batch.cannotUndo.some((gap) => gap.includes("running cells"))).toBe(true);
    expect(batch.undo.operations.length).toBeGreaterThan(0);

    const undone = await nb.apply(batch.undo);
    expect(undone.failed).toEqual([]);
    // The edited cell had run before the batch, so its restored code ran again.
    expect(undone.ran).toContain(scaled);
    const restored = await waitFor(
      () => readFile(file, "utf8"),
      (t) => t === original,
    );
    expect(restored).toBe(original);
    const cellsAfter = await nb.cells();
    expect(cellsAfter.map((c) => [c.name, c.code, c.config])).toEqual(cellsBefore.map((c) => [c.name, c.code, c.config]));
    const kept = new Set([base, scaled, last]);
    expect(cellsAfter.filter((c) => kept.has(c.id)).map((c) => c.id)).toEqual([base, scaled, last]);
    expect(await printed(nb, "mp_scaled")).toBe("20");
  });

  it("refuses a stale undo when a touched cell changed since the batch; nothing is applied", async () => {
    const nb = await notebook("stale.py");
    const made = await nb.edit((b) => b.runCell(b.createCell("mp_value = 1", { name: "mp_value_cell" })));
    const id = Object.values(made.created)[0] as string;
    const edited = await nb.edit((b) => b.editCell("mp_value_cell", { code: "mp_value = 2" }));
    // Someone else (a person in the browser) changes the cell after the batch.
    await nb.edit((b) => b.editCell({ id }, { code: "mp_value = 3  # a person's edit" }), { skipStalenessCheck: true });
    const error = await rejection(nb.apply(edited.undo));
    expect(error).toBeInstanceOf(CellChangedError);
    expect(error).toMatchObject({ code: "cell_changed", cellId: id, fields: ["code"] });
    expect((await nb.cell(id))?.code).toBe("mp_value = 3  # a person's edit");
    // The undo of the first batch (which created the cell) is stale too: it would delete the newer code.
    expect(await rejection(nb.apply(made.undo))).toBeInstanceOf(CellChangedError);
    expect((await nb.cells()).some((c) => c.id === id)).toBe(true);
  });
});
