/** `marimo-pair mcp --http`: serving in process until Ctrl-C (loads the MCP SDK, hence the slow tier). */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { describe, expect, it } from "vitest";
import { runCli } from "../../../src/cli/run.js";
import { memoryIo } from "../../unit/cli/memory-io.js";

describe("marimo-pair mcp --http", () => {
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
    expect((await client.listTools()).tools).toHaveLength(20);
    await client.close();
    io.interrupt();
    expect(await exit).toBe(0);
  });
});
