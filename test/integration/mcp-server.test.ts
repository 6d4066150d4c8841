/**
 * The official MCP client (`@modelcontextprotocol/sdk`) drives `marimo-pair mcp`, spawned
 * over stdio from the built CLI, against a real marimo server.
 */
import { spawn } from "node:child_process";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult, Progress } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type NotebookSession } from "../../src/index.js";
import { TOOL_NAMES } from "../../src/tools.js";
import { itWhen } from "../helpers/feature.js";
import { type MarimoServer, openRawSession, type RawSession, startMarimo, stopAll } from "../helpers/marimo-server.js";
import { cliPath, NODE, prepareCli } from "./cli-helpers.js";

let server: MarimoServer;
let raw: RawSession;
let client: Client;
let nb: NotebookSession;

/** A 1×1 red PNG. */
const PNG_BASE64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";

beforeAll(async () => {
  await prepareCli();
  server = await startMarimo();
  raw = await openRawSession(server);
  nb = await connect(server.url).session({ file: server.notebookPath });
  client = new Client({ name: "marimo-pair-test", version: "0" });
  const transport = new StdioClientTransport({
    command: NODE,
    args: [cliPath(), "mcp", "--url", server.url, "--file", server.notebookPath],
    env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: process.env["HOME"] ?? "/tmp", XDG_STATE_HOME: server.stateHome },
    stderr: "pipe",
  });
  await client.connect(transport);
});

afterAll(async () => {
  await client?.close();
  raw?.close();
  await server?.stop();
  await stopAll();
});

function text(result: CallToolResult): string {
  return result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
}

async function call(name: string, args: Record<string, unknown> = {}, onprogress?: (p: Progress) => void): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args }, undefined, {
    timeout: 120_000,
    ...(onprogress === undefined ? {} : { onprogress, resetTimeoutOnProgress: true }),
  })) as CallToolResult;
}

describe("marimo-pair mcp over stdio", () => {
  it("introduces itself and lists every tool with its JSON Schema and effect hints", async () => {
    expect(client.getServerVersion()?.name).toBe("marimo-pair");
    expect(client.getInstructions()).toContain("discover_servers");
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual([...TOOL_NAMES]);
    const byName = new Map(tools.map((t) => [t.name, t]));
    const create = byName.get("create_cell");
    expect(create?.inputSchema).toMatchObject({ type: "object", required: ["code"], additionalProperties: false });
    expect(Object.keys(create?.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(["url", "file", "session", "code", "before", "after", "hide_code", "disabled", "column", "expand_output", "name", "run"]),
    );
    expect(byName.get("execute_code")?.inputSchema).toMatchObject({ required: ["code"] });
    expect(byName.get("delete_cell")?.annotations).toMatchObject({ destructiveHint: true, readOnlyHint: false });
    expect(byName.get("remove_packages")?.annotations).toMatchObject({ destructiveHint: true });
    expect(byName.get("create_cell")?.annotations).toMatchObject({ destructiveHint: false, readOnlyHint: false });
    expect(byName.get("read_cells")?.annotations).toMatchObject({ readOnlyHint: true });
  });

  it("executes code, sending progress while output streams", async () => {
    const updates: Progress[] = [];
    const result = await call(
      "execute_code",
      { code: "import time\nfor i in range(4):\n    print(f'step {i}', flush=True)\n    time.sleep(0.4)\n6 * 7" },
      (p) => updates.push(p),
    );
    expect(result.isError).toBe(false);
    expect(text(result)).toContain("step 0\nstep 1\nstep 2\nstep 3\n");
    expect(text(result)).toContain("--- value (text/html) ---\n42");
    expect(result.structuredContent).toMatchObject({ success: true, stdout: "step 0\nstep 1\nstep 2\nstep 3\n", value: { text: "42" } });
    const stepMessages = updates.filter((u) => /^stdout: step \d$/.test(u.message ?? ""));
    expect(stepMessages.length).toBeGreaterThanOrEqual(2);
    const progress = updates.map((u) => u.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(new Set(progress).size).toBe(progress.length);
  });

  it("keeps reporting progress while the code runs silently", async () => {
    const updates: Progress[] = [];
    const result = await call("execute_code", { code: "import time\ntime.sleep(6.5)\nprint('woke')" }, (p) => updates.push(p));
    expect(text(result)).toContain("woke");
    expect(updates.some((u) => /^still running \(\d+ s\)$/.test(u.message ?? ""))).toBe(true);
  });

  it("cuts a flood of output in the middle and says what was cut", async () => {
    const result = await call("execute_code", { code: "for i in range(5000):\n    print('row', i)" });
    const body = text(result);
    expect(body).toContain("row 0\n");
    expect(body).toContain("row 4999\n");
    expect(body).not.toContain("row 2500\n");
    expect(body).toMatch(/\[… [\d,]+ characters \(4,820 lines\) of stdout cut here by marimo-pair/);
    expect(result.structuredContent).toMatchObject({ cut: { stdout: { lines: 4820, totalLines: 5000 } } });
    expect(body.length).toBeLessThan(3000);
  });

  it("interrupts the kernel when the call's timeout_ms expires, and says so", async () => {
    const started = Date.now();
    const result = await call("execute_code", { code: "import time\nprint('before', flush=True)\ntime.sleep(30)", timeout_ms: 1500 });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain("did not finish within 1500 ms and was interrupted");
    expect(text(result)).toContain("--- stdout so far ---\nbefore");
    const next = await call("execute_code", { code: "print('alive')" });
    expect(next.structuredContent).toMatchObject({ stdout: "alive\n" });
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it("interrupts the kernel when the client cancels the call", async () => {
    const controller = new AbortController();
    const pending = client.callTool({ name: "execute_code", arguments: { code: "while True:\n    pass" } }, undefined, { signal: controller.signal, timeout: 120_000 });
    setTimeout(() => controller.abort(new Error("the agent changed its mind")), 1000);
    await expect(pending).rejects.toThrow("the agent changed its mind");
    const started = Date.now();
    const next = await call("execute_code", { code: "print('free again')" });
    expect(next.structuredContent).toMatchObject({ stdout: "free again\n" });
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it("reports a Python error as data, with the traceback", async () => {
    const result = await call("execute_code", { code: "raise ValueError('nope')" });
    expect(result.isError).toBe(false);
    expect(text(result)).toMatch(/^failed: the code raised/);
    expect(text(result)).toContain("ValueError: nope");
  });

  itWhen(["codeModeSaves", "stalenessCheck", "runRegistersCells"])("creates and runs a cell, reads it back, edits it, and deletes it", async () => {
    const created = await call("create_cell", { code: "mp_value = 6 * 7\nprint('value is', mp_value)\nmp_value", run: true, hide_code: false });
    expect(created.isError).toBe(false);
    const id = (created.structuredContent?.["created"] as { id: string }[])[0]?.id ?? "";
    expect(id).toMatch(/^\w+$/);
    expect(text(created)).toContain(`Created cell ${id} and ran it.`);
    expect(text(created)).toContain("value is 42");
    expect(created.structuredContent).toMatchObject({ success: true, cells: [{ id, status: "idle", errors: [] }] });

    const read = await call("read_cells", { cells: [id] });
    expect(text(read)).toContain("```python\nmp_value = 6 * 7\nprint('value is', mp_value)\nmp_value\n```");
    expect(read.structuredContent).toMatchObject({ cells: [{ id, code: "mp_value = 6 * 7\nprint('value is', mp_value)\nmp_value", status: "idle", output: { text: "42" }, stdout: "value is 42\n" }] });

    const edited = await call("edit_cell", { cell: id, code: "mp_value = 6 * 8\nmp_value", run: true });
    expect(text(edited)).toContain(`Edited cell ${id} and ran it.`);
    expect((await nb.execute("print(mp_value)")).stdout).toBe("48\n");

    const errors = await call("create_cell", { code: "mp_broken = 1 / 0", run: true });
    const brokenId = (errors.structuredContent?.["created"] as { id: string }[])[0]?.id ?? "";
    expect(text(errors)).toContain("raised while running");
    const listed = await call("get_errors");
    expect(text(listed)).toContain(`cell ${brokenId}: exception — ZeroDivisionError: division by zero`);

    const variables = await call("get_variables");
    expect(text(variables)).toMatch(/mp_value: int = 48 {2}\[cell \w+\]/);
    const graph = await call("get_graph");
    expect(text(graph)).toContain(`cell ${id}: defines [mp_value]`);

    for (const cell of [id, brokenId]) {
      const deleted = await call("delete_cell", { cell });
      expect(text(deleted)).toBe(`Deleted cell ${cell}.`);
    }
    expect((await nb.cells({ code: false })).map((c) => c.id)).not.toContain(id);
  });

  itWhen(["codeModeSaves", "stalenessCheck", "runRegistersCells"])("returns image outputs as MCP image content (mo.image's virtual file, and an image/png output)", async () => {
    const code =
      `import base64\nimport marimo as mo\n_png = base64.b64decode(${JSON.stringify(PNG_BASE64)})\n` +
      "class MpPicture:\n    def _repr_png_(self):\n        return _png\nmp_pic = mo.image(_png)\nmp_pic";
    const created = await call("create_cell", { code, name: "mp_image", run: true });
    expect(created.isError).toBe(false);
    const viaMoImage = await call("get_cell_output", { cell: "mp_image" });
    const image = viaMoImage.content.find((c) => c.type === "image");
    expect(image).toMatchObject({ type: "image", mimeType: "image/png", data: PNG_BASE64 });
    expect(text(viaMoImage)).toContain("image/png image attached");

    const reprCell = await call("create_cell", { code: "MpPicture()", run: true, after: "mp_image" });
    const reprId = (reprCell.structuredContent?.["created"] as { id: string }[])[0]?.id ?? "";
    const viaRepr = await call("get_cell_output", { cell: { id: reprId } });
    expect(viaRepr.content.find((c) => c.type === "image")).toMatchObject({ mimeType: "image/png", data: PNG_BASE64 });
    expect(viaRepr.structuredContent).toMatchObject({ output: { mimetype: "image/png", image: "image/png" } });
    await call("apply_operations", { operations: [{ op: "delete_cell", cell: reprId }, { op: "delete_cell", cell: "mp_image" }] });
  });

  itWhen(["codeModeSaves", "stalenessCheck", "runRegistersCells"])("refuses a batch marimo would reject, and says nothing was applied", async () => {
    const first = await call("create_cell", { code: "mp_twice = 1", run: true });
    const firstId = (first.structuredContent?.["created"] as { id: string }[])[0]?.id ?? "";
    const before = (await nb.cells({ code: false })).length;
    const result = await call("create_cell", { code: "mp_twice = 2" });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain("nothing was applied");
    expect(result.structuredContent).toMatchObject({ error: { code: "notebook_validation", reason: "multiply_defined", names: ["mp_twice"] } });
    expect((await nb.cells({ code: false })).length).toBe(before);
    await call("delete_cell", { cell: firstId });
  });

  itWhen(["codeModeSaves", "stalenessCheck", "runRegistersCells"])("undo_last_batch puts back the last batches of this connection, refuses a stale one, and refuses duplicate names", async () => {
    const listing = (await client.listTools()).tools.find((t) => t.name === "undo_last_batch");
    expect(listing?.annotations).toMatchObject({ destructiveHint: true, readOnlyHint: false });

    const made = await call("create_cell", { code: "mp_undo_value = 1", name: "mp_undo_cell", run: true });
    expect(made.isError).toBe(false);
    const id = (made.structuredContent?.["created"] as { id: string }[])[0]?.id ?? "";
    expect(made.structuredContent?.["undo"]).toEqual(expect.arrayContaining([expect.objectContaining({ op: "delete_cell", cell: { id } })]));

    const dup = await call("create_cell", { code: "mp_other_value = 2", name: "mp_undo_cell" });
    expect(dup.isError).toBe(true);
    expect(dup.structuredContent).toMatchObject({ error: { code: "duplicate_name", name: "mp_undo_cell", holderId: id } });
    expect(text(dup)).toContain("allow_duplicate_name");

    const edited = await call("edit_cell", { cell: "mp_undo_cell", code: "mp_undo_value = 2", run: true });
    expect(edited.isError).toBe(false);
    const undoEdit = await call("undo_last_batch");
    expect(undoEdit.isError).toBe(false);
    expect(text(undoEdit)).toContain("Undid: Edited cell");
    expect(undoEdit.structuredContent).toMatchObject({ edited: [id], ran: [id] });
    expect((await nb.execute("print(mp_undo_value)")).stdout).toBe("1\n");

    // A person edits the cell after the batch that created it: undoing that batch is refused.
    await nb.edit((b) => b.editCell({ id }, { code: "mp_undo_value = 3  # a person's edit" }), { skipStalenessCheck: true });
    const stale = await call("undo_last_batch");
    expect(stale.isError).toBe(true);
    expect(stale.structuredContent).toMatchObject({ error: { code: "cell_changed", cellId: id, fields: ["code"] } });
    expect(text(stale)).toContain("nothing was applied");
    expect((await nb.cell(id))?.code).toBe("mp_undo_value = 3  # a person's edit");
    await nb.edit((b) => b.deleteCell({ id }));
  });

  it("exits once the client closes its stdin, also after talking to marimo", async () => {
    const child = spawn(NODE, [cliPath(), "mcp", "--url", server.url, "--file", server.notebookPath], {
      env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: process.env["HOME"] ?? "/tmp" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    const send = (message: object) => child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", ...message })}\n`);
    send({ id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "0" } } });
    send({ method: "notifications/initialized" });
    send({ id: 2, method: "tools/call", params: { name: "execute_code", arguments: { code: "print('raw stdio')" } } });
    const deadline = Date.now() + 60_000;
    while (!out.includes('"id":2')) {
      if (Date.now() > deadline) throw new Error(`no answer on stdout: ${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    // stdout carries nothing but protocol messages, one JSON object per line.
    for (const line of out.trim().split("\n")) expect(JSON.parse(line)).toMatchObject({ jsonrpc: "2.0" });
    expect(out).toContain("raw stdio");
    const closedAt = Date.now();
    child.stdin.end();
    expect(await exited).toBe(0);
    expect(Date.now() - closedAt).toBeLessThan(5_000);
  });

  it("answers invalid input with an error naming the field", async () => {
    const result = await call("move_cell", { cell: "Hbol", beside: "x" });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain("beside");
  });
});
