/**
 * Two agents bound to two different notebooks on one marimo server never act on each
 * other's notebook: as two stdio processes bound by --file, and as two clients of one
 * `marimo-pair mcp --http` server, each bound by bind_notebook.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { request } from "node:http";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type MarimoClient } from "../../src/index.js";
import { itWhen } from "../helpers/feature.js";
import { EMPTY_NOTEBOOK, type MarimoServer, openRawSession, type RawSession, startMarimo, stopAll } from "../helpers/marimo-server.js";
import { cliPath, NODE, prepareCli } from "./cli-helpers.js";

let server: MarimoServer;
let sessions: RawSession[] = [];
let http: MarimoClient;
const clients: Client[] = [];
let httpServer: ChildProcess | undefined;
/** The endpoint `marimo-pair mcp --http` printed. */
let mcpHttpUrl = "";

const baseEnv = () => ({ PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: process.env["HOME"] ?? "/tmp", XDG_STATE_HOME: server.stateHome });

beforeAll(async () => {
  await prepareCli();
  server = await startMarimo({ notebooks: { "a.py": EMPTY_NOTEBOOK, "b.py": EMPTY_NOTEBOOK } });
  sessions = [await openRawSession(server, { file: "a.py" }), await openRawSession(server, { file: "b.py" })];
  http = connect(server.url);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  if (httpServer !== undefined && httpServer.exitCode === null) {
    const exited = new Promise((r) => httpServer?.once("exit", r));
    httpServer.kill("SIGINT");
    await exited;
  }
  for (const s of sessions) s.close();
  await server?.stop();
  await stopAll();
});

/** Start `marimo-pair mcp --http` once; its endpoint URL. */
async function mcpHttp(): Promise<string> {
  if (mcpHttpUrl !== "") return mcpHttpUrl;
  httpServer = spawn(NODE, [cliPath(), "mcp", "--http"], { env: baseEnv(), stdio: ["ignore", "pipe", "pipe"] });
  const url = await new Promise<string>((resolve, reject) => {
    let err = "";
    const timer = setTimeout(() => reject(new Error(`no URL from marimo-pair mcp --http:\n${err}`)), 30_000);
    httpServer?.stderr?.on("data", (d: Buffer) => {
      err += d.toString();
      const m = /serving MCP over streamable HTTP at (\S+)/.exec(err);
      if (m?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
  mcpHttpUrl = url;
  return url;
}

function text(result: CallToolResult): string {
  return result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
}

async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args }, undefined, { timeout: 120_000 })) as CallToolResult;
}

async function stdioClient(file: string): Promise<Client> {
  const client = new Client({ name: `agent-${file}`, version: "0" });
  clients.push(client);
  await client.connect(
    new StdioClientTransport({ command: NODE, args: [cliPath(), "mcp", "--url", server.url, "--file", file], env: baseEnv(), stderr: "pipe" }),
  );
  return client;
}

/**
 * The code of every non-empty cell of one notebook, read over HTTP (independently of the MCP
 * servers). marimo gives a notebook without cells one empty cell when it opens.
 */
async function codes(file: string): Promise<string[]> {
  const nb = await http.session({ file });
  return (await nb.cells()).map((c) => c.code ?? "").filter((code) => code !== "");
}

describe("two agents, two notebooks, one marimo server", () => {
  itWhen(["codeModeSaves", "stalenessCheck", "runRegistersCells"])("stdio: each process acts only on the notebook it was bound to", async () => {
    const [a, b] = await Promise.all([stdioClient("a.py"), stdioClient("b.py")]);
    const [ra, rb] = await Promise.all([
      call(a, "create_cell", { code: "mark = 'A'", run: true }),
      call(b, "create_cell", { code: "mark = 'B'", run: true }),
    ]);
    expect([ra.isError, rb.isError]).toEqual([false, false]);
    expect(ra.structuredContent?.["file"]).toBe(`${server.dir}/a.py`);
    expect(rb.structuredContent?.["file"]).toBe(`${server.dir}/b.py`);
    const [pa, pb] = await Promise.all([call(a, "execute_code", { code: "print(mark)" }), call(b, "execute_code", { code: "print(mark)" })]);
    expect(pa.structuredContent?.["stdout"]).toBe("A\n");
    expect(pb.structuredContent?.["stdout"]).toBe("B\n");
    expect(await codes("a.py")).toEqual(["mark = 'A'"]);
    expect(await codes("b.py")).toEqual(["mark = 'B'"]);
  });

  itWhen(["codeModeSaves", "stalenessCheck", "runRegistersCells"])("HTTP: clients of one server are bound per connection by bind_notebook", async () => {
    const url = await mcpHttp();
    const connectHttp = async (name: string) => {
      const client = new Client({ name, version: "0" });
      clients.push(client);
      await client.connect(new StreamableHTTPClientTransport(new URL(url)));
      return client;
    };
    const [c1, c2, c3] = await Promise.all([connectHttp("c1"), connectHttp("c2"), connectHttp("c3")]);
    const [b1, b2] = await Promise.all([
      call(c1, "bind_notebook", { url: server.url, file: "a.py" }),
      call(c2, "bind_notebook", { url: server.url, file: "b.py" }),
    ]);
    expect(text(b1)).toBe(`Bound to ${server.dir}/a.py on ${server.url}.`);
    expect(text(b2)).toBe(`Bound to ${server.dir}/b.py on ${server.url}.`);

    const [r1, r2] = await Promise.all([
      call(c1, "create_cell", { code: "http_mark = 'C1'", run: true }),
      call(c2, "create_cell", { code: "http_mark = 'C2'", run: true }),
    ]);
    expect([r1.isError, r2.isError]).toEqual([false, false]);
    const [p1, p2] = await Promise.all([
      call(c1, "execute_code", { code: "print(http_mark, mark)" }),
      call(c2, "execute_code", { code: "print(http_mark, mark)" }),
    ]);
    expect(p1.structuredContent?.["stdout"]).toBe("C1 A\n");
    expect(p2.structuredContent?.["stdout"]).toBe("C2 B\n");
    expect(await codes("a.py")).toEqual(["mark = 'A'", "http_mark = 'C1'"]);
    expect(await codes("b.py")).toEqual(["mark = 'B'", "http_mark = 'C2'"]);

    // A third client sees neither binding: naming no notebook means the only one open, and two are.
    const unbound = await call(c3, "create_cell", { code: "stray = 1" });
    expect(unbound.isError).toBe(true);
    expect(unbound.structuredContent).toMatchObject({ error: { code: "ambiguous_session" } });
    const listed = await call(c3, "list_sessions", { url: server.url });
    expect(text(listed)).toContain("This connection is not bound to a notebook.");
    expect(await codes("a.py")).not.toContain("stray = 1");
    expect(await codes("b.py")).not.toContain("stray = 1");
  });

  it("HTTP: a request with a foreign Host header is refused (DNS-rebinding protection)", async () => {
    const port = Number(/:(\d+)\/mcp$/.exec(await mcpHttp())?.[1]);
    expect(port).toBeGreaterThan(0);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port, path: "/mcp", method: "POST", headers: { host: `attacker.example:${port}`, "content-type": "application/json" } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end("{}");
    });
    expect(status).toBe(403);
  });
});
