/** `marimo-pair mcp`: options, and serving over HTTP in process until Ctrl-C. */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { describe, expect, it } from "vitest";
import { parseCommandArgs } from "../../../src/cli/argv.js";
import { mcpOptions } from "../../../src/cli/commands/mcp.js";
import { runCli } from "../../../src/cli/run.js";
import { MCP_SPEC } from "../../../src/cli/specs/mcp.js";
import { memoryIo } from "../cli/memory-io.js";

const parse = (...argv: string[]) => parseCommandArgs(MCP_SPEC, argv);

describe("marimo-pair mcp options", () => {
  it("binds every connection to --url/--file, takes the token from MARIMO_TOKEN, and splits the output budget", () => {
    const options = mcpOptions(parse("--url", "http://127.0.0.1:2718", "--file", "a.py", "--max-output-chars", "3000", "--max-output-lines", "30", "--exec-timeout", "60"), memoryIo({ env: { MARIMO_TOKEN: "t0k" } }));
    expect(options).toMatchObject({
      http: false,
      bind: { url: "http://127.0.0.1:2718", file: "a.py" },
      token: "t0k",
      budget: { headChars: 2000, tailChars: 1000, headLines: 20, tailLines: 10 },
      executeTimeoutMs: 60_000,
    });
  });

  it("leaves connections unbound without a target, and refuses nonsense", () => {
    expect(mcpOptions(parse(), memoryIo()).bind).toBeUndefined();
    expect(() => mcpOptions(parse("--port", "80"), memoryIo())).toThrow("--host and --port need --http");
    expect(() => mcpOptions(parse("--http", "--port", "70000"), memoryIo())).toThrow("--port needs a port number");
    expect(() => mcpOptions(parse("--max-output-chars", "0"), memoryIo())).toThrow("--max-output-chars needs a whole number");
    expect(() => mcpOptions(parse("--file", "a.py", "--session", "s"), memoryIo())).toThrow("exclude each other");
  });

  it("refuses a host that is not loopback (exit 1, nothing served)", async () => {
    const io = memoryIo();
    expect(await runCli(["mcp", "--http", "--host", "0.0.0.0"], io)).toBe(1);
    expect(io.err()).toContain("only loopback addresses");
  });

  it("serves over HTTP until Ctrl-C, printing the endpoint on stderr", async () => {
    const io = memoryIo();
    const exit = runCli(["mcp", "--http"], io);
    const deadline = Date.now() + 20_000;
    while (!io.err().includes("/mcp")) {
      if (Date.now() > deadline) throw new Error(`no endpoint printed: ${io.err()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const url = /at (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(io.err())?.[1] ?? "";
    const client = new Client({ name: "unit", version: "0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    expect((await client.listTools()).tools).toHaveLength(19);
    await client.close();
    io.interrupt();
    expect(await exit).toBe(0);
  });
});
