/**
 * The MCP SDK is an optional peer dependency: the Node entry and `marimo-pair/tools` load
 * without it, and the toolset works without it; it is imported only when an MCP face starts.
 */
import { describe, expect, it, vi } from "vitest";

const loaded = vi.hoisted(() => [] as string[]);

vi.mock("@modelcontextprotocol/sdk/server/index.js", async (original) => {
  loaded.push("server/index.js");
  return original();
});
vi.mock("@modelcontextprotocol/sdk/types.js", async (original) => {
  loaded.push("types.js");
  return original();
});
vi.mock("@modelcontextprotocol/sdk/client/index.js", async (original) => {
  loaded.push("client/index.js");
  return original();
});
vi.mock("@modelcontextprotocol/sdk/client/streamableHttp.js", async (original) => {
  loaded.push("client/streamableHttp.js");
  return original();
});

describe("the optional MCP SDK", () => {
  it("is not loaded by the entries, nor by using the tools", async () => {
    const root = await import("../../../src/index.js");
    const tools = await import("../../../src/tools.js");
    expect(typeof root.connect).toBe("function");
    expect(typeof tools.connectMcp).toBe("function");
    const toolset = tools.createMarimoTools();
    expect((await toolset.call("create_cell", {})).isError).toBe(true);
    expect(loaded).toEqual([]);
  });

  it("is loaded when an MCP face starts", async () => {
    const { loadMcpServer, loadMcpClient } = await import("../../../src/mcp-sdk.js");
    await loadMcpServer();
    await loadMcpClient();
    expect(loaded.sort()).toEqual(["client/index.js", "client/streamableHttp.js", "server/index.js", "types.js"]);
  });
});
