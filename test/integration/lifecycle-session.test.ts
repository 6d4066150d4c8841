import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type MarimoClient, type NotebookEvent, type NotebookSession, outputImage, outputText, type OwnedSession, saveImage } from "../../src/index.js";
import { unpackMimeBundle } from "../../src/outputs/decode.js";
import { describeWhen, expectRefused, has, itWhen, VERSION } from "../helpers/feature.js";
import { makeTempDir, type MarimoServer, startMarimo, stopAll } from "../helpers/marimo-server.js";

let server: MarimoServer;
let client: MarimoClient;
let owned: OwnedSession;
let nb: NotebookSession;

/** A 2×2 red PNG built with the standard library only. */
const TINY_PNG = `
import struct as _struct, zlib as _zlib
def _tiny_png():
    raw = b"".join(b"\\x00" + b"\\xff\\x00\\x00" * 2 for _ in range(2))
    def chunk(t, d):
        c = _struct.pack(">I", len(d)) + t + d
        return c + _struct.pack(">I", _zlib.crc32(t + d) & 0xffffffff)
    ihdr = _struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", _zlib.compress(raw)) + chunk(b"IEND", b"")
`;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

beforeAll(async () => {
  // Skew protection on, as marimo starts by default; before skewFreeSessionList (0.22.3) the SDK
  // cannot list sessions with it on (compat.test.ts checks that refusal), so it is off there.
  server = await startMarimo({ skewProtection: has("skewFreeSessionList") });
  client = connect(server.url);
  owned = await client.openSession({});
  nb = await client.session({ file: server.notebookPath });
});

afterAll(async () => {
  await owned?.close();
  await server?.stop();
  await stopAll();
});

/** Collect events in the background until `stop()`. */
function watch(session: NotebookSession, options: { includeScratch?: boolean } = {}) {
  const controller = new AbortController();
  const events: NotebookEvent[] = [];
  const done = (async () => {
    for await (const event of session.events({ signal: controller.signal, ...options })) events.push(event);
  })();
  return {
    events,
    done,
    stop: async () => {
      controller.abort();
      await done;
    },
    async until(predicate: (events: NotebookEvent[]) => boolean, timeoutMs = 30_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(events)) {
        if (Date.now() > deadline) throw new Error(`events not seen in time; got ops: ${events.map((e) => e.op).join(", ")}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

/** What a browser does: the skew token from the page, then a POST (no SDK involved). */
async function personPost(path: string, body: unknown): Promise<Response> {
  const html = await (await fetch(`${server.url}/`)).text();
  const token = /data-token="([^"]+)"/.exec(html)?.[1] ?? "";
  return fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Marimo-Session-Id": owned.sessionId, "Marimo-Server-Token": token },
    body: JSON.stringify(body),
  });
}

function statusesOf(events: NotebookEvent[], cellId: string): string[] {
  return events.flatMap((e) => (e.type === "cell" && e.cellId === cellId && e.status !== null ? [e.status] : []));
}

describe.skipIf(has("sseSessions"))("nb.events() before sseSessions", () => {
  it("is refused, naming the release that has it", async () => {
    await expectRefused(nb.events().next(), "sseSessions");
  });
});

describeWhen("sseSessions")("nb.events() on a skew-protected server", () => {
  it("starts with kernel-ready and the current cells, and shows a person's edits as document events", async () => {
    const w = watch(nb);
    await w.until((evs) => evs.some((e) => e.type === "kernel_ready"));
    const ready = w.events.find((e) => e.type === "kernel_ready");
    expect(ready).toMatchObject({ type: "kernel_ready", codes: ["x = 1"] });

    const config = { column: null, disabled: false, hideCode: false };
    const created = await personPost("/api/document/transaction", {
      changes: [{ type: "create-cell", cellId: "pers", code: "z = 41 + 1", name: "", config }],
    });
    expect(created.status).toBe(200);
    await w.until((evs) => evs.some((e) => e.type === "document" && e.changes.some((c) => c.cellId === "pers")));
    const doc = w.events.find((e) => e.type === "document");
    expect(doc).toMatchObject({
      type: "document",
      op: "notebook-document-transaction",
      source: "frontend",
      changes: [{ type: "create-cell", cellId: "pers", code: "z = 41 + 1" }],
    });

    await personPost("/api/document/transaction", { changes: [{ type: "set-code", cellId: "pers", code: "z = 40 + 2" }] });
    await w.until((evs) => evs.some((e) => e.type === "document" && e.changes.some((c) => c.type === "set-code")));
    await w.stop();
  });

  it("shows a cell run as queued → running → idle, with its output and the completed run", async () => {
    const w = watch(nb);
    await w.until((evs) => evs.some((e) => e.type === "kernel_ready"));
    const seen = w.events.length;
    const run = await personPost("/api/kernel/run", { cellIds: ["pers"], codes: ["import time\ntime.sleep(0.2)\nz = 40 + 2\nz"] });
    expect(run.status).toBe(200);
    await w.until((evs) => statusesOf(evs.slice(seen), "pers").includes("idle") && evs.slice(seen).some((e) => e.type === "completed_run"));
    const fresh = w.events.slice(seen);
    const statuses = statusesOf(fresh, "pers");
    expect(statuses.indexOf("queued")).toBeGreaterThanOrEqual(0);
    expect(statuses.indexOf("running")).toBeGreaterThan(statuses.indexOf("queued"));
    expect(statuses.lastIndexOf("idle")).toBeGreaterThan(statuses.indexOf("running"));
    const output = fresh.find((e) => e.type === "cell" && e.cellId === "pers" && e.output !== null);
    expect(output?.type === "cell" && output.output !== null && outputText(output.output)).toBe("42");
    const phases = fresh.flatMap((e) => (e.type === "execution" && e.cellId === "pers" ? [e.phase] : []));
    // marimo's `execution` notification, and the outcome of a completed run, are absent in 0.24.2
    // and present in 0.25.2 (no capability-table row yet).
    const executionEvents = has("executionEvents");
    expect(phases).toEqual(executionEvents ? ["planned", "running", "completed"] : []);
    expect(fresh.find((e) => e.type === "completed_run")).toMatchObject({ outcome: executionEvents ? "succeeded" : null });
    await w.stop();
  });

  it("hides the scratchpad unless asked, and ends quietly on abort", async () => {
    const quiet = watch(nb);
    const loud = watch(nb, { includeScratch: true });
    await quiet.until((evs) => evs.some((e) => e.type === "kernel_ready"));
    await loud.until((evs) => evs.some((e) => e.type === "kernel_ready"));
    expect((await nb.execute("print('from scratch')")).stdout).toBe("from scratch\n");
    await loud.until((evs) => evs.some((e) => e.type === "cell" && e.cellId === "__scratch__" && e.status === "idle"));
    await quiet.until((evs) => evs.some((e) => e.type === "completed_run"));
    expect(quiet.events.some((e) => (e.type === "cell" || e.type === "execution") && e.cellId === "__scratch__")).toBe(false);
    await Promise.all([quiet.stop(), loud.stop()]);
    // The watchers were viewers: the SDK's own session is still the editor.
    expect(owned.role).toBe("editor");
    expect((await client.sessions()).map((s) => s.sessionId)).toEqual([owned.sessionId]);
  });
});

describeWhen("sseSessions")("attaching to an orphaned session", () => {
  it("watches without resuming, renaming or taking it over", async () => {
    await owned.close();
    await owned.closed;
    const before = await client.sessions();
    expect(before).toHaveLength(1);
    const w = watch(nb);
    await w.until((evs) => evs.some((e) => e.type === "kernel_ready"));
    expect(await client.sessions()).toEqual(before);
    expect((await nb.execute("print('orphan ok')")).stdout).toBe("orphan ok\n");
    await w.until((evs) => evs.some((e) => e.type === "completed_run"));
    await w.stop();
    expect(await client.sessions()).toEqual(before);
    // The SDK's own session can still resume it (then it is re-keyed to the new connection).
    owned = await client.openSession({});
    expect(owned.resumed).toBe(true);
    expect(owned.role).toBe("editor");
  });
});

describe("outputs a person would look at", () => {
  it("reads mo.image output (a virtual file) as PNG bytes and saves it", async () => {
    const r = await nb.execute(`${TINY_PNG}\nimport marimo as mo\nmo.image(_tiny_png())`);
    expect(r.success).toBe(true);
    expect(r.output.mimetype).toBe("text/html");
    expect(outputImage(r.output)).toMatchObject({ mimetype: "image/png", path: expect.stringMatching(/^\/@file\//) });
    const image = await nb.readImage(r.output);
    expect(image?.mimetype).toBe("image/png");
    expect(Array.from(image?.bytes.slice(0, 8) ?? [])).toEqual(PNG_SIGNATURE);
    const dir = await makeTempDir("images-");
    const saved = await saveImage(r.output, join(dir, "red.png"), { session: nb });
    expect(Array.from((await readFile(saved.path)).subarray(0, 8))).toEqual(PNG_SIGNATURE);
    await expect(saveImage(r.output, join(dir, "x.png"))).rejects.toThrow(/pass \{ session \}/);
  });

  it("decodes an image/png data URL from _repr_png_", async () => {
    const r = await nb.execute(`${TINY_PNG}\nclass _P:\n    def _repr_png_(self):\n        return _tiny_png()\n_P()`);
    expect(r.output.mimetype).toBe("image/png");
    expect(r.output.data).toMatch(/^data:image\/png;base64,/);
    const image = outputImage(r.output);
    expect(image !== undefined && "bytes" in image && Array.from(image.bytes.slice(0, 8))).toEqual(PNG_SIGNATURE);
  });

  itWhen("sseSessions")("unpacks a cell's mimebundle (an object on the wire) and renders markdown as text", async () => {
    const w = watch(nb);
    await w.until((evs) => evs.some((e) => e.type === "kernel_ready"));
    const cell = `${TINY_PNG}\nimport base64 as _b64\nclass _B:\n    def _repr_mimebundle_(self, include=None, exclude=None):\n        return {"text/plain": "B", "text/html": "<b>bold</b>", "image/png": _b64.b64encode(_tiny_png()).decode()}\n_B()`;
    const code = `import marimo._code_mode as cm\nasync with cm.get_context() as ctx:\n    ctx.run_cell(ctx.create_cell(${JSON.stringify(cell)}))\n    ctx.run_cell(ctx.create_cell("import marimo as mo\\nmo.md('# Hello *there*')"))\n`;
    expect((await nb.execute(code)).success).toBe(true);
    await w.until((evs) => evs.filter((e) => e.type === "cell" && e.output !== null && e.output.channel === "output").length >= 2);
    const outputs = w.events.flatMap((e) => (e.type === "cell" && e.output !== null && e.cellId !== "__scratch__" ? [e.output] : []));
    const bundle = outputs.find((o) => o.mimetype === "application/vnd.marimo+mimebundle");
    expect(bundle).toBeDefined();
    expect(Object.keys(unpackMimeBundle(bundle!)).sort()).toEqual(expect.arrayContaining(["image/png", "text/html"]));
    const image = outputImage(bundle!);
    expect(image !== undefined && "bytes" in image && Array.from(image.bytes.slice(0, 8))).toEqual(PNG_SIGNATURE);
    const markdown = outputs.find((o) => o.mimetype === "text/markdown");
    expect(markdown === undefined ? undefined : outputText(markdown)).toBe("Hello there");
    await w.stop();
  });
});

describe("interrupt and restart (skew token from the page)", () => {
  // The loop is watched through nb.status().
  itWhen("kernelStatus")("interrupts `while True: pass` started by another call", async () => {
    const run = nb.execute("while True: pass");
    const deadline = Date.now() + 30_000;
    while ((await nb.status()) !== "running") {
      if (Date.now() > deadline) throw new Error("the loop never started");
      await new Promise((r) => setTimeout(r, 50));
    }
    await nb.interrupt();
    const result = await run;
    expect(result.success).toBe(false);
    expect(result.stderr).toMatch(/KeyboardInterrupt/);
    expect(await nb.status()).toBe("idle");
    // The kernel still works.
    expect((await nb.execute("print('after')")).stdout).toBe("after\n");
  });

  itWhen("sseSessions")("restarts: the session closes (watchers see MARIMO_SHUTDOWN) and a fresh kernel has no variables", async () => {
    const marked = await nb.execute(
      "import marimo._code_mode as cm\nasync with cm.get_context() as ctx:\n    ctx.run_cell(ctx.create_cell('restart_marker = 123'))",
    );
    expect(marked.success).toBe(true);
    expect((await nb.execute("print(restart_marker)")).stdout).toBe("123\n");
    const before = { pid: (await nb.execute("import os; print(os.getpid())")).stdout, info: nb.info };
    const w = watch(nb);
    await w.until((evs) => evs.some((e) => e.type === "kernel_ready"));

    await nb.restart();
    await w.done;
    expect(w.events.at(-1)).toEqual({ type: "closed", op: "close", code: 1000, reason: "MARIMO_SHUTDOWN" });
    await owned.closed;
    expect(await client.sessions()).toEqual([]);

    owned = await client.openSession({});
    expect(owned.resumed).toBe(false);
    expect(owned.sessionId).not.toBe(before.info.sessionId);
    // The same NotebookSession finds the new session by file.
    const after = await nb.execute("import os; print(os.getpid())");
    expect(after.stdout).not.toBe(before.pid);
    // Before stableSessionIds (marimo 0.25.0) there is no stable id: both are null.
    if (has("stableSessionIds")) expect(nb.info.stableId).not.toBe(before.info.stableId);
    else expect([before.info.stableId, nb.info.stableId]).toEqual([null, null]);
    const gone = await nb.execute("print(restart_marker)");
    expect(gone.success).toBe(false);
    expect(gone.stderr).toMatch(/NameError/);
  });
});
