/** Without `@modelcontextprotocol/sdk` installed, the MCP faces fail with a clear error. */
import { describe, expect, it, vi } from "vitest";

vi.mock("@modelcontextprotocol/sdk/client/index.js", () => {
  const error = new Error("Cannot find package '@modelcontextprotocol/sdk' imported from /app/node_modules/marimo-pair/dist/tools/mcp-sdk.js");
  Object.assign(error, { code: "ERR_MODULE_NOT_FOUND" });
  throw error;
});

describe("without the MCP SDK", () => {
  it("connectMcp rejects with McpSdkMissingError, which says how to install it", async () => {
    const { connectMcp, McpSdkMissingError } = await import("../../../src/tools.js");
    const error = await connectMcp("http://127.0.0.1:9").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpSdkMissingError);
    expect(error).toMatchObject({ code: "mcp_sdk_missing" });
    expect((error as Error).message).toContain("npm install @modelcontextprotocol/sdk");
  });
});
