/**
 * The MCP transport to marimo's own server (`marimo edit --mcp code-mode`, marimo's `mcp`
 * extra): the execute cases of execute.test.ts run over HTTP and over MCP against the same
 * real server, and must agree; then what differs (the 30 s limit without interrupt, the
 * endpoint that ignores --base-url, auth) is checked as documented.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeMode, connect, type ExecuteResult, type MarimoClient, type NotebookSession, TimeoutError } from "../../src/index.js";
import { applyPlan } from "../../src/codemode/apply.js";
import { readCells } from "../../src/codemode/reads.js";
import { connectMcp, type MarimoMcpClient, type McpNotebookSession } from "../../src/tools.js";
import { has, itWhen, VERSION } from "../helpers/feature.js";
import { type MarimoServer, openRawSession, type RawSession, startMarimo, stopAll } from "../helpers/marimo-server.js";

let server: MarimoServer;
let tokenServer: MarimoServer;
let plainServer: MarimoServer;
let raw: RawSession;
let http: MarimoClient;
let httpNb: NotebookSession;
let mcp: MarimoMcpClient;
let mcpNb: McpNotebookSession;

beforeAll(async () => {
  // --base-url on purpose: marimo mounts its MCP endpoint at the root regardless.
  [server, tokenServer, plainServer] = await Promise.all([
    startMarimo({ baseUrl: "/pfx", extraArgs: ["--mcp", "code-mode"] }),
    startMarimo({ tokenPassword: "mcp-test-secret", extraArgs: ["--mcp", "code-mode"] }),
    startMarimo(),
  ]);
  raw = await openRawSession(server);
  http = connect(server.url);
  httpNb = await http.session({ file: server.notebookPath });
  mcp = await connectMcp(server.url);
  mcpNb = await mcp.session({ file: server.notebookPath });
});

afterAll(async () => {
  await mcp?.close();
  raw?.close();
  await Promise.all([server?.stop(), tokenServer?.stop(), plainServer?.stop()]);
  await stopAll();
});

/** Run `code` over both transports, one after the other (they share the notebook's scratchpad). */
async function both(code: string): Promise<{ overHttp: ExecuteResult; overMcp: Awaited<ReturnType<McpNotebookSession["execute"]>> }> {
  const overHttp = await httpNb.execute(code);
  const overMcp = await mcpNb.execute(code);
  return { overHttp, overMcp };
}

describe("execute over marimo's MCP server agrees with HTTP", () => {
  it("stdout", async () => {
    const { overHttp, overMcp } = await both("for i in range(3):\n    print(f'line {i}')");
    expect(overMcp).toMatchObject({ success: true, stdout: "line 0\nline 1\nline 2\n", stderr: "" });
    expect(overMcp.stdout).toBe(overHttp.stdout);
  });

  it("stderr", async () => {
    const { overHttp, overMcp } = await both("import sys\nprint('warn', file=sys.stderr)\nprint('out')");
    expect(overMcp).toMatchObject({ success: true, stdout: "out\n", stderr: "warn\n" });
    expect([overMcp.stdout, overMcp.stderr]).toEqual([overHttp.stdout, overHttp.stderr]);
  });

  it("1 + 1, with its mimetype", async () => {
    const { overHttp, overMcp } = await both("1 + 1");
    expect(overHttp.output).toEqual({ mimetype: "text/html", data: "<pre class='text-xs'>2</pre>" });
    // marimo's MCP server names the mimetype from mcpOutputMimetype (0.25.2); before, the SDK
    // tells HTML by its leading tag, which gives the same answer here.
    expect(overMcp.output).toEqual(overHttp.output);
    // A plain-text output: an object that names its own mimetype.
    const plain = "class _Plain:\n    def _mime_(self):\n        return ('text/plain', 'just text')\n_Plain()";
    const text = await both(plain);
    expect(text.overHttp.output).toEqual({ mimetype: "text/plain", data: "just text" });
    expect(text.overMcp.output).toEqual(text.overHttp.output);
  });

  it("a SyntaxError is data", async () => {
    const { overHttp, overMcp } = await both("def :");
    expect(overMcp.success).toBe(false);
    // Like HTTP's (execute.test.ts): marimo puts the error on the console from 0.23.7, in its errors before.
    expect(has("stalenessCheck") ? overMcp.stderr : overMcp.errors.join("\n")).toContain("SyntaxError");
    expect(overMcp.output).toEqual({ mimetype: "text/plain", data: "" });
    expect(overMcp.output).toEqual(overHttp.output);
    expect(overHttp.success).toBe(false);
  });

  it("an exception comes with its traceback as plain text (marimo's MCP server sends highlighted HTML)", async () => {
    const { overHttp, overMcp } = await both("raise ValueError('boom')");
    expect(overMcp.success).toBe(false);
    expect(overMcp.stderr).toContain("Traceback (most recent call last)");
    expect(overMcp.stderr).toContain("ValueError: boom");
    expect(overMcp.stderr).not.toContain("<span");
    const lastLine = (r: ExecuteResult) => r.stderr.trimEnd().split("\n").at(-1);
    expect(lastLine(overMcp)).toBe(lastLine(overHttp));
    expect((overMcp as ExecuteResult & { errors: string[] }).errors).toEqual(["boom"]);
  });

  it("non-ASCII text intact", async () => {
    const text = "héllo 🎉 日本語 e\u0301 \u{1D54F} ∑ — Ω";
    const { overHttp, overMcp } = await both(`print(${JSON.stringify(text)})`);
    expect(overMcp.stdout).toBe(`${text}\n`);
    expect(overMcp.stdout).toBe(overHttp.stdout);
  });

  it("throwOnError rejects with ExecutionError", async () => {
    await expect(mcpNb.execute("raise KeyError('k')", { throwOnError: true })).rejects.toMatchObject({
      code: "execution_failed",
      stderr: expect.stringContaining("KeyError"),
    });
  });

  it("onEvent sees stdout, stderr and done — all at once, after marimo answered", async () => {
    const events: string[] = [];
    await mcpNb.execute("import sys\nprint('a')\nprint('b', file=sys.stderr)", { onEvent: (e) => events.push(e.type) });
    expect(events).toEqual(["stdout", "stderr", "done"]);
  });
});

describe("sessions and code mode over MCP", () => {
  it("maps list_sessions onto SessionInfo (the routing id; no stable id)", async () => {
    const [overMcp] = await mcp.sessions();
    const [overHttp] = await http.sessions();
    expect(overMcp).toEqual({ sessionId: overHttp?.sessionId, stableId: null, filename: "notebook.py", path: server.notebookPath });
  });

  it("serves the endpoint at /mcp/server even though the server has --base-url /pfx", async () => {
    expect(server.url.endsWith("/pfx")).toBe(true);
    expect(mcp.endpoint).toBe(`http://${server.host}:${server.port}/mcp/server`);
    expect(mcp.url).toBe(server.url);
    expect(await mcpNb.marimoVersion()).toBe(VERSION);
  });

  itWhen(["codeModeSaves", "runRegistersCells", "stalenessCheck"])("drives code mode: a plan applied and cells read through the MCP session", async () => {
    const plan = codeMode((b) => {
      const cell = b.createCell("over_mcp = 40 + 2\nprint('made over MCP')");
      b.runCell(cell);
      return cell;
    });
    const applied = await applyPlan(mcpNb, plan);
    const id = applied.idOf(plan.value);
    expect(applied.cells.find((c) => c.id === id)).toMatchObject({ status: "idle", errors: [] });
    const cells = await readCells(mcpNb);
    expect(cells.find((c) => c.id === id)?.code).toBe("over_mcp = 40 + 2\nprint('made over MCP')");
    // The HTTP side sees the same notebook.
    expect((await httpNb.execute("print(over_mcp)")).stdout).toBe("42\n");
    await httpNb.edit((b) => b.deleteCell(id));
  });
});

describe("what differs from HTTP", () => {
  // The busy kernel is seen through nb.status().
  itWhen("kernelStatus")("marimo stops waiting after 30 s without interrupting the kernel", { timeout: 120_000 }, async () => {
    const started = Date.now();
    const error = await mcpNb.execute("import time\ntime.sleep(45)\nprint('late')").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ timer: "total", timeoutMs: 30_000 });
    expect((error as Error).message).toContain("does not interrupt the kernel");
    expect(Date.now() - started).toBeGreaterThanOrEqual(29_000);
    // The code is still running: the kernel is busy.
    expect(await httpNb.status()).toBe("running");
    await httpNb.interrupt();
    const deadline = Date.now() + 30_000;
    while ((await httpNb.status()) !== "idle") {
      if (Date.now() > deadline) throw new Error("the kernel did not become idle after the interrupt");
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  it("a server with a token: refused (403) without it, works with it in a header", async () => {
    await expect(connectMcp(tokenServer.url, { token: "" })).rejects.toMatchObject({ code: "http_error", status: 403 });
    const withToken = await connectMcp(tokenServer.url, { token: "mcp-test-secret" });
    try {
      expect(await withToken.sessions()).toEqual([]);
    } finally {
      await withToken.close();
    }
  });

  it("a server started without --mcp code-mode: a clear error", async () => {
    const error = await connectMcp(plainServer.url).catch((e: unknown) => e);
    // marimo's page routes answer the POST with 405.
    expect(error).toMatchObject({ code: "http_error", status: 405 });
    expect((error as Error).message).toContain("--mcp code-mode");
  });
});
