/**
 * Code mode against real marimo: plans built with the typed builder, applied to
 * browser-less sessions, checked through typed reads and the notebook file on disk.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { applyPlan, type CodeModeExecutor, codeMode, type CodeModePlan, NotebookValidationError, readCell, readCells, readGraph, readPackages, readVariables, StaleCellsError } from "../../src/codemode.js";
import { interpretBatch } from "../../src/codemode/apply.js";
import { connect, type MarimoClient, type OwnedSession } from "../../src/index.js";
import { FEATURE_SINCE } from "../../src/version.js";
import { expectRefused, has, itWhen, VERSION } from "../helpers/feature.js";
import { EMPTY_NOTEBOOK, type MarimoServer, startMarimo, stopAll } from "../helpers/marimo-server.js";

const LOADED_NOTEBOOK = `import marimo

__generated_with = "0.25.2"
app = marimo.App()


@app.cell
def _():
    base = 10
    return (base,)


@app.cell
def _(base):
    scaled = base * 2
    return (scaled,)


if __name__ == "__main__":
    app.run()
`;

const FILES = ["build.py", "stale.py", "raw.py", "graph.py", "packages.py", "ui.py", "embed.py"] as const;
type NotebookFile = (typeof FILES)[number];

let server: MarimoServer;
let client: MarimoClient;
const sessions = new Map<NotebookFile, OwnedSession>();

beforeAll(async () => {
  const notebooks: Record<string, string> = {};
  for (const file of FILES) notebooks[file] = file === "stale.py" || file === "raw.py" ? LOADED_NOTEBOOK : EMPTY_NOTEBOOK;
  server = await startMarimo({ notebooks });
  client = connect(server.url);
});

afterAll(async () => {
  await Promise.all([...sessions.values()].map((session) => session.close()));
  await server?.stop();
  await stopAll();
});

/** The session of one notebook file (opened on first use). */
async function notebook(file: NotebookFile): Promise<OwnedSession> {
  let session = sessions.get(file);
  if (session === undefined) {
    session = await client.openSession({ file });
    sessions.set(file, session);
  }
  return session;
}

/** A session is itself a code-mode executor (the functional API and nb.apply share it). */
function executor(session: OwnedSession): CodeModeExecutor {
  return session;
}

async function apply(file: NotebookFile, plan: CodeModePlan<unknown>) {
  return applyPlan(executor(await notebook(file)), plan);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the batch to be refused");
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.skipIf(has("codeModeSaves"))(`code mode on marimo ${VERSION}, before codeModeSaves (marimo ${FEATURE_SINCE.codeModeSaves})`, () => {
  it("reads the notebook, and refuses plans that change cells before anything runs; running cells needs runRegistersCells", async () => {
    const ex = executor(await notebook("stale.py"));
    const file = join(server.dir, "stale.py");
    const before = await readFile(file, "utf8");
    const cells = await readCells(ex);
    expect(cells.map((c) => c.code)).toEqual(["base = 10", "scaled = base * 2"]);
    if (!has("cellStatus")) expect(cells.map((c) => c.status)).toEqual([null, null]);
    const [first, second] = cells.map((c) => c.id) as [string, string];

    await expectRefused(applyPlan(ex, codeMode((b) => b.createCell("refused_value = 1"))), "codeModeSaves");
    await expectRefused(applyPlan(ex, codeMode((b) => b.editCell(first, { code: "base = 11" }), { skipStalenessCheck: true })), "codeModeSaves");
    await expectRefused(applyPlan(ex, codeMode((b) => b.deleteCell(second), { skipStalenessCheck: true })), "codeModeSaves");
    expect((await readCells(ex)).map((c) => c.code)).toEqual(["base = 10", "scaled = base * 2"]);
    expect(await readFile(file, "utf8")).toBe(before);

    // Running the cells the file already has changes no cell.
    const running = applyPlan(ex, codeMode((b) => (b.runCell(first), b.runCell(second))));
    if (!has("runRegistersCells")) return expectRefused(running, "runRegistersCells");
    expect((await running).ran).toEqual([first, second]);
    expect((await readVariables(ex)).find((v) => v.name === "scaled")?.repr).toBe("20");
  });
});

describe("code mode against real marimo", () => {
  const it = itWhen(["codeModeSaves", "stalenessCheck", "runRegistersCells"]);

  it("builds a notebook from an empty file: setup, markdown, data and dependent cells", async () => {
    // expandOutput (marimo ≥ 0.25.1) is refused before it is set; the rest of the plan is the same.
    const expand = has("expandOutput") ? { expandOutput: true } : {};
    if (!has("expandOutput")) {
      const ex = executor(await notebook("build.py"));
      await expectRefused(applyPlan(ex, codeMode((b) => b.createCell("refused_cell = 1", { expandOutput: true }))), "expandOutput");
    }
    const plan = codeMode((b) => {
      const setup = b.createCell("import marimo as mo\nimport statistics", { name: "setup" });
      const intro = b.createCell('mo.md("# Weekly report")');
      const data = b.createCell("values = [3, 1, 4, 1, 5]", { after: intro, hideCode: false });
      const mean = b.createCell("mean_value = statistics.mean(values)\nmean_value", { after: data, hideCode: false, ...expand });
      b.runCell(setup);
      b.runCell(intro);
      b.runCell(data);
      return { setup, intro, data, mean };
    });
    const result = await apply("build.py", plan);
    const ids = [plan.value.setup, plan.value.intro, plan.value.data, plan.value.mean].map((ref) => result.idOf(ref));
    expect(ids[0]).toBe("setup");
    expect(result.ran).toEqual(ids.slice(0, 3));
    // The dependent cell was not run explicitly; marimo's autorun ran it as a descendant.
    expect(result.cells.map((c) => [c.id, c.status])).toEqual(ids.map((id) => [id, "idle"]));
    expect(result.failed).toEqual([]);
    expect(result.success).toBe(true);

    const cells = await readCells(executor(await notebook("build.py")));
    const ours = cells.filter((c) => ids.includes(c.id));
    expect(ours.map((c) => c.id)).toEqual(ids);
    expect(ours.map((c) => c.status)).toEqual(["idle", "idle", "idle", "idle"]);
    expect(ours[0]).toMatchObject({ name: "setup", code: "import marimo as mo\nimport statistics" });
    expect(ours[1]?.output).toMatchObject({ mimetype: "text/markdown" });
    expect(String(ours[1]?.output?.data)).toContain("Weekly report");
    // Before expandOutput marimo has no such option: the SDK reports null.
    expect(ours[2]?.config).toEqual({ hideCode: false, disabled: false, column: null, expandOutput: has("expandOutput") ? false : null });
    expect(ours[3]?.config.expandOutput).toBe(has("expandOutput") ? true : null);
    expect(String(ours[3]?.output?.data)).toContain("2.8");

    const file = join(server.dir, "build.py");
    const text = await waitFor(
      () => readFile(file, "utf8"),
      (t) => t.includes("mean_value = statistics.mean(values)"),
    );
    expect(text).toContain("with app.setup");
    expect(text).toContain("mo.md(");
    expect(text).toContain("# Weekly report");
    expect(text).toContain("values = [3, 1, 4, 1, 5]");
    expect(text).toContain("mean_value = statistics.mean(values)");
  });

  it("refuses to edit a cell whose code was not read, applies after a read, and refuses after someone else changed it", async () => {
    const session = await notebook("stale.py");
    const ex = executor(session);
    // Reading without code, and reading the graph, do not count as reads.
    const listed = await readCells(ex, { code: false });
    expect(listed.every((c) => c.code === undefined)).toBe(true);
    // The session was opened without a browser, so no cell has run: the graph knows none of them yet.
    const graph = await readGraph(ex);
    expect(graph.cells.map((c) => [c.id, c.registered])).toEqual(listed.map((c) => [c.id, false]));
    const target = listed[0]?.id ?? "";

    const unread = await rejection(applyPlan(ex, codeMode((b) => b.editCell(target, { code: "base = 11" }))));
    expect(unread).toBeInstanceOf(StaleCellsError);
    expect((unread as StaleCellsError).staleCells).toContain(target);

    expect((await readCell(ex, target))?.code).toBe("base = 10");
    // Unregistered cells are not descendants yet, so run the dependent cell explicitly too.
    const dependent = listed[1]?.id ?? "";
    expect(listed.map((c) => c.status)).toEqual(["stale", "stale"]);
    const edited = await applyPlan(
      ex,
      codeMode((b) => (b.editCell(target, { code: "base = 11" }), b.runCell(target), b.runCell(dependent))),
    );
    expect(edited.edited).toEqual([target]);
    // Both ran, on every release: before batchRegistersCells marimo leaves the dependent stale
    // (see the next test) and the SDK runs it in a second batch.
    expect(edited.ran).toEqual([target, dependent]);
    expect(edited.cells.map((c) => [c.id, c.status])).toEqual([
      [target, "idle"],
      [dependent, "idle"],
    ]);
    expect(edited.failed).toEqual([]);
    expect(edited.reportError).toBeUndefined();
    expect((await readVariables(ex)).find((v) => v.name === "scaled")?.repr).toBe("22");
    // Running the dependent again keeps the edited code (marimo < 0.25.2 kept the old code of a
    // never-run cell after an edit, and the next run registered it again: base = 10).
    const again = await applyPlan(ex, codeMode((b) => b.runCell(dependent)));
    expect(again.ran).toEqual([dependent]);
    expect((await readCells(ex, { code: false })).map((c) => [c.id, c.status])).toEqual([
      [target, "idle"],
      [dependent, "idle"],
    ]);
    expect((await readVariables(ex)).find((v) => v.name === "scaled")?.repr).toBe("22");

    // Someone else (a browser) changes the cell.
    const response = await fetch(`${server.url}/api/document/transaction`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Marimo-Session-Id": session.sessionId },
      body: JSON.stringify({ changes: [{ type: "set-code", cellId: target, code: "base = 12" }] }),
    });
    expect(response.status).toBe(200);
    const conflict = await rejection(applyPlan(ex, codeMode((b) => b.editCell(target, { code: "base = 99" }))));
    expect(conflict).toBeInstanceOf(StaleCellsError);
    expect(conflict).toMatchObject({ code: "stale_cells", cellId: target, phase: "queue" });
    expect((await readCell(ex, { id: target }))?.code).toBe("base = 12");

    // skipStalenessCheck overwrites on purpose.
    const forced = await applyPlan(ex, codeMode((b) => b.editCell(target, { code: "base = 13" }), { skipStalenessCheck: true }));
    expect(forced.edited).toEqual([target]);
  });

  it(`marimo's own code mode ${has("batchRegistersCells") ? "runs" : "leaves stale"} a never-run cell named by a batch that edits another`, async () => {
    // What the SDK works around before batchRegistersCells: the same batch as above, written
    // by hand. marimo < 0.25.2 runs only the named cells its graph holds (the edited one).
    const session = await notebook("raw.py");
    const ex = executor(session);
    const [target, dependent] = (await readCells(ex, { code: false })).map((c) => c.id);
    const raw = await session.execute(
      [
        "import marimo._code_mode as _cm",
        "async with _cm.get_context(skip_staleness_check=True) as _ctx:",
        `    _ctx.edit_cell(${JSON.stringify(target)}, code="base = 11")`,
        `    _ctx.run_cell(${JSON.stringify(target)})`,
        `    _ctx.run_cell(${JSON.stringify(dependent)})`,
      ].join("\n"),
    );
    expect(raw.stderr).toBe("");
    const cells = await readCells(ex, { code: false });
    expect(cells.map((c) => [c.id, c.status])).toEqual([
      [target, "idle"],
      [dependent, has("batchRegistersCells") ? "idle" : "stale"],
    ]);
    const scaled = (await readVariables(ex)).find((v) => v.name === "scaled")?.repr;
    expect(scaled).toBe(has("batchRegistersCells") ? "22" : undefined);
  });

  it("lists in ran only cells marimo ran: a disabled cell and its dependent are not", async () => {
    const ex = executor(await notebook("raw.py"));
    const result = await applyPlan(
      ex,
      codeMode((b) => {
        const off = b.createCell("disabled_x = 1", { disabled: true });
        const after = b.createCell("disabled_y = disabled_x + 1");
        b.runCell(off);
        b.runCell(after);
      }),
    );
    // marimo skips both (its own summary line still says it re-ran the disabled one).
    expect(result.ran).toEqual([]);
    expect(result.cells).toHaveLength(2);
    expect(result.cells.map((c) => c.status)).not.toContain("idle");
    const variables = (await readVariables(ex)).filter((v) => v.name.startsWith("disabled_"));
    expect(variables.map((v) => [v.name, v.defined])).toEqual([
      ["disabled_x", false],
      ["disabled_y", false],
    ]);
  });

  it("refuses multiply-defined names, cycles and syntax errors with nothing applied", async () => {
    const ex = executor(await notebook("graph.py"));
    const first = await applyPlan(ex, codeMode((b) => b.runCell(b.createCell("shared = 1"))));
    expect(first.failed).toEqual([]);
    const before = (await readCells(ex)).map((c) => c.id);

    const twice = await rejection(applyPlan(ex, codeMode((b) => (b.createCell("other = 2"), b.createCell("shared = 2")))));
    expect(twice).toBeInstanceOf(NotebookValidationError);
    expect(twice).toMatchObject({ reason: "multiply_defined", names: ["shared"] });

    const cycle = await rejection(applyPlan(ex, codeMode((b) => (b.createCell("p = q"), b.createCell("q = p")))));
    expect(cycle).toMatchObject({ code: "notebook_validation", reason: "cycles" });

    const syntax = await rejection(applyPlan(ex, codeMode((b) => (b.createCell("fine = 1"), b.createCell("broken = (\n1")))));
    expect(syntax).toMatchObject({ code: "notebook_validation", reason: "syntax", cell: "c2" });

    expect((await readCells(ex)).map((c) => c.id)).toEqual(before);
  });

  it("reports the failing descendant of a run cell, then moves and deletes cells", async () => {
    const ex = executor(await notebook("graph.py"));
    const plan = codeMode((b) => {
      const source = b.createCell("divisor = 0");
      const failing = b.createCell("ratio = 1 / divisor");
      const after = b.createCell("ratio_text = str(ratio)");
      b.runCell(source);
      return { source, failing, after };
    });
    const result = await applyPlan(ex, plan);
    const failingId = result.idOf(plan.value.failing);
    expect(result.success).toBe(false);
    expect(result.failed.map((c) => c.id)).toEqual([failingId, result.idOf(plan.value.after)]);
    expect(result.failed[0]?.status).toBe("exception");
    expect(result.failed[0]?.errors).toEqual([{ kind: "runtime", message: "ZeroDivisionError: division by zero" }]);
    expect(result.failed[1]?.status).toBe("cancelled");
    expect(result.stderr).toContain("ZeroDivisionError");

    const [sourceId, afterId] = [result.idOf(plan.value.source), result.idOf(plan.value.after)];
    const moved = await applyPlan(ex, codeMode((b) => b.moveCell(afterId, { before: sourceId })));
    expect(moved.moved).toEqual([afterId]);
    const order = (await readCells(ex, { outputs: false })).map((c) => c.id);
    expect(order.indexOf(afterId)).toBe(order.indexOf(sourceId) - 1);

    expect((await readVariables(ex)).map((v) => v.name)).toContain("divisor");
    const deleted = await applyPlan(ex, codeMode((b) => (b.deleteCell(afterId), b.deleteCell(failingId), b.deleteCell({ id: sourceId }))));
    expect(deleted.deleted).toEqual([afterId, failingId, sourceId]);
    const names = (await readVariables(ex)).map((v) => v.name);
    expect(names).not.toContain("divisor");
    expect(names).not.toContain("ratio");
    expect((await readCells(ex)).map((c) => c.id)).not.toContain(sourceId);
    const probe = await (await notebook("graph.py")).execute("divisor");
    expect(probe.success).toBe(false);
  });

  itWhen(["codeModeSaves", "runRegistersCells", "packagesNamespace"])("installs a small pure-Python package that a new cell can import, then removes it", { timeout: 240_000 }, async () => {
    const ex = executor(await notebook("packages.py"));
    const plan = codeMode((b) => {
      b.installPackages("inflection==0.5.1");
      const cell = b.createCell("import inflection\nplural = inflection.pluralize('cell')");
      b.runCell(cell);
      return cell;
    });
    const result = await applyPlan(ex, plan, { timeoutMs: 200_000 });
    expect(result.packages).toEqual([{ action: "add", spec: "inflection==0.5.1", name: "inflection", version: "0.5.1" }]);
    expect(result.failed).toEqual([]);
    expect((await readVariables(ex)).find((v) => v.name === "plural")?.repr).toBe("'cells'");
    expect((await readPackages(ex)).find((p) => p.name.toLowerCase() === "inflection")?.version).toBe("0.5.1");

    const removed = await applyPlan(ex, codeMode((b) => (b.deleteCell(result.idOf(plan.value)), b.removePackages("inflection"))), {
      timeoutMs: 200_000,
    });
    expect(removed.packages).toEqual([{ action: "remove", spec: "inflection", name: "inflection", version: null }]);
  });

  it("sets a slider's value and its dependent cell re-runs with it", async () => {
    const ex = executor(await notebook("ui.py"));
    const plan = codeMode((b) => {
      const imports = b.createCell("import marimo as mo");
      const slider = b.createCell("slider = mo.ui.slider(0, 10, value=2)\nslider");
      const doubled = b.createCell("doubled = slider.value * 2\nprint('doubled is', doubled)");
      b.runCell(imports);
      return { slider, doubled };
    });
    const built = await applyPlan(ex, plan);
    expect(built.failed).toEqual([]);
    expect((await readVariables(ex)).find((v) => v.name === "doubled")?.repr).toBe("4");

    const set = await applyPlan(ex, codeMode((b) => b.setUiValue("slider", 7)));
    expect(set.uiUpdated).toEqual(["slider"]);
    expect(set.stdout).toContain("doubled is 14");
    const doubledState = set.cells.find((c) => c.id === built.idOf(plan.value.doubled));
    expect(doubledState).toMatchObject({ status: "idle", errors: [] });
    expect((await readVariables(ex)).find((v) => v.name === "doubled")?.repr).toBe("14");

    const missing = await rejection(applyPlan(ex, codeMode((b) => b.setUiValue("no_such_slider", 1))));
    expect(missing).toMatchObject({ code: "unknown_variable", variable: "no_such_slider" });
  });

  it("runs toPython() output through execute exactly like applyPlan", async () => {
    const session = await notebook("embed.py");
    const version = await client.version();
    const plan = codeMode((b) => {
      const cell = b.createCell("embedded = 'it\\'s \"quoted\" \\\\ ok'\nprint(embedded)", { hideCode: false });
      b.runCell(cell);
      return cell;
    });
    const nonce = "embed-test-nonce";
    const raw = await session.execute(plan.toPython({ marimoVersion: version, nonce }));
    expect(raw.stdout).toContain(nonce);
    const result = interpretBatch(raw, nonce, { plan });
    const id = result.idOf(plan.value);
    expect(result.cells).toEqual([{ id, name: null, status: "idle", errors: [] }]);
    expect(result.stdout).not.toContain(nonce);
    expect(result.stdout).toContain(`it's "quoted" \\ ok`);
    expect((await readCell(executor(session), id))?.code).toBe("embedded = 'it\\'s \"quoted\" \\\\ ok'\nprint(embedded)");

    const applied = await applyPlan(executor(session), codeMode((b) => b.runCell(id)));
    expect(applied.cells).toEqual(result.cells);
  });
});

describe("code mode through the session's own methods", () => {
  const it = itWhen(["codeModeSaves", "stalenessCheck", "runRegistersCells", "packagesNamespace"]);

  it("nb.edit, nb.apply, nb.cells, nb.cell, nb.graph, nb.variables and nb.packages", async () => {
    const nb = await notebook("embed.py");
    const plan = codeMode((b) => {
      const source = b.createCell("numbers = [1, 2, 3]", { hideCode: false });
      const total = b.createCell("total = sum(numbers)\nprint('total is', total)", { after: source, name: "totals" });
      b.runCell(source);
      return { source, total };
    });
    const applied = await nb.apply(plan);
    expect(applied.success).toBe(true);
    const totalId = applied.idOf(plan.value.total);
    expect(applied.stdout).toContain("total is 6");
    const cells = await nb.cells();
    expect(cells.find((c) => c.id === totalId)).toMatchObject({ name: "totals", status: "idle" });
    expect((await nb.cell("totals"))?.code).toBe("total = sum(numbers)\nprint('total is', total)");
    const graph = await nb.graph();
    expect(graph.cells.find((c) => c.id === totalId)?.refs).toContain("numbers");
    const variables = await nb.variables();
    expect(variables.find((v) => v.name === "total")).toMatchObject({ type: "int", cells: [totalId], defined: true });
    expect((await nb.packages()).some((p) => p.name === "marimo")).toBe(true);
    // The cell was read above, so an edit is accepted.
    const edited = await nb.edit((b) => (b.editCell("totals", { code: "total = sum(numbers) * 10" }), b.runCell("totals")));
    expect(edited.edited).toEqual([totalId]);
    expect((await nb.variables()).find((v) => v.name === "total")?.repr).toBe("60");
  });
});
