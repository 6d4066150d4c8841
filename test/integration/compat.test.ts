/**
 * The capability table against the marimo under test (`MARIMO_PAIR_TEST_MARIMO`, default the
 * pinned .venv): every feature either works, or is refused up front with the typed error
 * that names it and its first release. `npm run test:compat` runs this file (and the rest of
 * the integration suite) against every release in TESTED_RELEASES; `npm test` runs it against
 * the oldest supported one too (`npm run test:compat:oldest`).
 */
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeMode, StaleCellsError } from "../../src/codemode.js";
import {
  connect,
  type MarimoClient,
  type NotebookSession,
  type OwnedSession,
  ServerFlagsRequiredError,
  UnsupportedVersionError,
} from "../../src/index.js";
import { FEATURE_SINCE, featuresOf, hasFeature, isAtLeast, type MarimoFeatureId } from "../../src/version.js";
import { EMPTY_NOTEBOOK, type MarimoServer, SIMPLE_NOTEBOOK, startMarimo, stopAll, TEST_MARIMO_VERSION } from "../helpers/marimo-server.js";

const VERSION = TEST_MARIMO_VERSION;
const has = (feature: MarimoFeatureId): boolean => hasFeature(VERSION, feature);

/** Expect `promise` to be refused for `feature` with its first release named. */
async function expectRefused(promise: Promise<unknown>, feature: MarimoFeatureId): Promise<void> {
  const error = await promise.then(
    () => new Error(`expected UnsupportedVersionError for ${feature} on marimo ${VERSION}`),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnsupportedVersionError);
  expect(error).toMatchObject({ code: "unsupported_version", version: VERSION, requiredVersion: FEATURE_SINCE[feature] });
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One cell, named `load` in the file. */
const NAMED_NOTEBOOK = `import marimo

app = marimo.App()


@app.cell
def load():
    base = 20
    return (base,)


if __name__ == "__main__":
    app.run()
`;

let server: MarimoServer;
let client: MarimoClient;
let owned: OwnedSession;
let rawOwned: OwnedSession;
let nb: NotebookSession;

beforeAll(async () => {
  server = await startMarimo({
    notebooks: {
      "simple.py": SIMPLE_NOTEBOOK,
      "built.py": EMPTY_NOTEBOOK,
      "raw.py": SIMPLE_NOTEBOOK,
      "raw-save.py": EMPTY_NOTEBOOK,
      "named.py": NAMED_NOTEBOOK,
      "sse.py": EMPTY_NOTEBOOK,
    },
  });
  client = connect(server.url);
  owned = await client.openSession({ file: "simple.py" });
  rawOwned = await client.openSession({ file: "raw.py" });
  nb = await client.session({ file: server.notebookPath });
});

afterAll(async () => {
  owned?.close();
  rawOwned?.close();
  await server?.stop();
  await stopAll();
});

/** Raw execute (no SDK queue): the SSE text of one request. */
async function rawExecute(code: string, sessionId: string): Promise<string> {
  const res = await fetch(`${server.url}/api/kernel/execute`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Marimo-Session-Id": sessionId, Accept: "text/event-stream" },
    body: JSON.stringify({ code }),
  });
  return res.text();
}

/** Prints `tag` `n` times over about a second. */
const printer = (tag: string, n = 12): string =>
  `import time\nfor _i in range(${n}):\n    print(${JSON.stringify(tag)}, flush=True)\n    time.sleep(0.1)`;

describe(`marimo ${VERSION}: the capability table`, () => {
  it("nb.capabilities() reports the version, the table's features and marimo's own capabilities", async () => {
    const caps = await nb.capabilities();
    expect(caps.marimoVersion).toBe(VERSION);
    expect(caps.features).toEqual(featuresOf(VERSION));
    if (has("codeModeCapabilities")) expect(caps.marimoCapabilities).toBeTypeOf("object");
    else expect(caps.marimoCapabilities).toBeNull();
  });

  it(`raw concurrent executes on one session ${has("separateExecutes") ? "stay apart" : "cross (the SDK queues them)"}`, async () => {
    // On a session of its own: crossed output may land in later requests there. The second
    // request starts while the first is printing.
    const raw = await client.session({ file: `${server.dir}/raw.py` });
    const first = rawExecute(printer("AAA"), raw.sessionId);
    await new Promise((r) => setTimeout(r, 400));
    const second = await rawExecute(printer("BBB", 2), raw.sessionId);
    const firstText = await first;
    const count = (text: string, tag: string) => text.split(tag).length - 1;
    // Apart: each response holds exactly its own lines.
    const apart = count(firstText, "AAA") === 12 && count(firstText, "BBB") === 0 && count(second, "BBB") === 2 && count(second, "AAA") === 0;
    expect(apart).toBe(has("separateExecutes"));
  });

  it("executes through the SDK never mix, on every release", async () => {
    const [a, b, c] = await Promise.all([nb.execute(printer("AAA")), nb.execute(printer("BBB", 3)), nb.execute("print('CCC')")]);
    expect(a.stdout).toBe("AAA\n".repeat(12));
    expect(b.stdout).toBe("BBB\n".repeat(3));
    expect(c.stdout).toBe("CCC\n");
  });

  it(`listing sessions with skew protection on ${has("skewFreeSessionList") ? "works" : "names the flag to restart with"}`, async () => {
    const guarded = await startMarimo({ skewProtection: true });
    try {
      const listing = connect(guarded.url).sessions();
      if (has("skewFreeSessionList")) await expect(listing).resolves.toBeInstanceOf(Array);
      else {
        const error = await listing.catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ServerFlagsRequiredError);
        expect((error as ServerFlagsRequiredError).flags).toContain("--no-skew-protection");
        expect((error as Error).message).toContain("--no-skew-protection");
      }
    } finally {
      await guarded.stop();
    }
  });

  it(`nb.status() ${has("kernelStatus") ? "reports the kernel state" : "is refused"}`, async () => {
    if (has("kernelStatus")) expect(await nb.status()).toBe("idle");
    else await expectRefused(nb.status(), "kernelStatus");
  });

  it(`nb.events() ${has("sseSessions") ? "streams" : "is refused"}`, async () => {
    const events = nb.events();
    if (!has("sseSessions")) return expectRefused(events.next(), "sseSessions");
    const first = await events.next();
    await events.return?.();
    expect(first.done).toBe(false);
  });

  it(`openSession over SSE ${has("sseSessions") ? "opens" : "is refused (auto takes the WebSocket)"}`, async () => {
    const opening = client.openSession({ file: "sse.py", transport: "sse" });
    if (!has("sseSessions")) return expectRefused(opening, "sseSessions");
    const opened = await opening;
    expect((await opened.execute("print('over sse')")).stdout).toBe("over sse\n");
    await opened.close();
  });

  it(`nb.packages() ${has("packagesNamespace") ? "lists packages" : "is refused"}`, async () => {
    if (has("packagesNamespace")) expect((await nb.packages()).some((p) => p.name === "marimo")).toBe(true);
    else await expectRefused(nb.packages(), "packagesNamespace");
  });

  it(`the server itself ${has("packagesNamespace") ? "has" : "lacks"} ctx.packages (the gate is the server's, not a guess)`, async () => {
    // Raw code mode, past the SDK's gate: the row's `since` is where marimo gained it.
    const r = await nb.execute("import marimo._code_mode as cm\nasync with cm.get_context() as ctx:\n    print(hasattr(ctx, 'packages'))");
    expect(r.stdout).toBe(has("packagesNamespace") ? "True\n" : "False\n");
  });

  // Measured: 0.21.1 – 0.23.1 never save a cell created through code mode; 0.23.2 and 0.23.3
  // already save it (the SDK still refuses plans there: edits, moves and deletes are unverified).
  const savesCreated = has("codeModeSaves") || isAtLeast(VERSION, "0.23.2");
  it(`the server itself ${savesCreated ? "saves" : "does not save"} a cell created through raw code mode`, async () => {
    const built = await client.openSession({ file: "raw-save.py" });
    try {
      const target = await client.session({ file: "raw-save.py" });
      const r = await target.execute("import marimo._code_mode as cm\nasync with cm.get_context() as ctx:\n    ctx.create_cell('raw_saved = 7')");
      expect(r.success).toBe(true);
      const saved = async () => (await readFile(`${server.dir}/raw-save.py`, "utf8")).includes("raw_saved = 7");
      if (savesCreated) await waitUntil(saved);
      else {
        // The cell stays in the kernel only: the file never gets it.
        await new Promise((resolve) => setTimeout(resolve, 3000));
        expect(await saved()).toBe(false);
      }
    } finally {
      built.close();
    }
  });

  it(`building cells through code mode ${has("codeModeSaves") ? "is saved to the file" : "is refused (it would not be saved)"}`, async () => {
    const built = await client.openSession({ file: "built.py" });
    try {
      const target = await client.session({ file: "built.py" });
      const applying = target.edit((b) => b.runCell(b.createCell("compat_value = 6 * 7")));
      if (!has("codeModeSaves")) return expectRefused(applying, "codeModeSaves");
      const result = await applying;
      expect(result.failed).toEqual([]);
      await waitUntil(async () => (await readFile(`${server.dir}/built.py`, "utf8")).includes("compat_value = 6 * 7"));
      const cell = (await target.cells()).find((c) => c.code === "compat_value = 6 * 7");
      expect(cell?.status ?? null).toBe(has("cellStatus") ? "idle" : null);
    } finally {
      built.close();
    }
  });

  it(`running a cell through code mode ${has("runRegistersCells") ? `works; its status reads ${has("cellStatus") ? "idle" : "null"}` : "is refused"}`, async () => {
    const id = (await nb.cells({ code: false }))[0]?.id ?? "";
    const running = nb.edit((b) => b.runCell(id));
    if (!has("runRegistersCells")) return expectRefused(running, "runRegistersCells");
    const result = await running;
    expect(result.failed).toEqual([]);
    expect((await nb.execute("print(x + 41)")).stdout).toBe("42\n");
    expect((await nb.cell({ id }))?.status).toBe(has("cellStatus") ? "idle" : null);
  });

  it(`editing a cell ${has("stalenessCheck") ? "is guarded against changes made since it was read" : "is refused without the staleness guard"}`, async () => {
    // raw.py's cells are never read through the SDK (the earlier tests read simple.py's).
    const raw = await client.session({ file: `${server.dir}/raw.py` });
    const cells = await raw.cells({ code: false });
    const id = cells[0]?.id ?? "";
    const editing = raw.apply(codeMode((b) => b.editCell(id, { code: "x = 2" })));
    if (!has("stalenessCheck")) return expectRefused(editing, has("codeModeSaves") ? "stalenessCheck" : "codeModeSaves");
    // Never read: marimo's guard refuses, nothing is applied.
    await expect(editing).rejects.toBeInstanceOf(StaleCellsError);
    expect((await raw.cell(id))?.code).toBe("x = 1");
  });

  it(`cells named in the file ${has("fileCellNames") ? "read with their names" : "read with name null, and a read by name is refused"}`, async () => {
    const opened = await client.openSession({ file: "named.py" });
    try {
      const named = await client.session({ file: `${server.dir}/named.py` });
      const cells = await named.cells();
      expect(cells.map((c) => [c.name, c.code])).toEqual([[has("fileCellNames") ? "load" : null, "base = 20"]]);
      const byName = named.cell({ name: "load" });
      if (!has("fileCellNames")) {
        await expectRefused(byName, "fileCellNames");
        // A string that is no id is looked up by name too, and refused the same way.
        await expectRefused(named.cell("load"), "fileCellNames");
        // Ids still work.
        expect((await named.cell(cells[0]?.id ?? ""))?.code).toBe("base = 20");
        return;
      }
      expect((await byName)?.id).toBe(cells[0]?.id);
      expect(await named.cell({ name: "missing" })).toBeUndefined();
    } finally {
      await opened.close();
    }
  });

  it(`expandOutput ${has("expandOutput") ? "is applied" : "is refused"}`, async () => {
    const plan = codeMode((b) => b.createCell("compat_expand = 1", { expandOutput: true }));
    const rendering = Promise.resolve().then(() => plan.toPython({ marimoVersion: VERSION }));
    if (!has("expandOutput")) return expectRefused(rendering, has("codeModeSaves") ? "expandOutput" : "codeModeSaves");
    expect(await rendering).toContain("expand_output=True");
  });
});
