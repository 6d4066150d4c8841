import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/cli/argv.js";
import { CliFailure } from "../../../src/cli/failure.js";
import { ErrorCode, MarimoPairError } from "../../../src/errors.js";
import { McpSdkMissingError } from "../../../src/mcp-sdk.js";

const SRC = join(import.meta.dirname, "../../../src");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : [],
  );
}

describe("error classes", () => {
  it("only MarimoPairError extends Error directly (the CLI's private Ctrl-C abort reason aside)", () => {
    const direct = sources(SRC).flatMap((file) =>
      [...readFileSync(file, "utf8").matchAll(/class (\w+) extends Error\b/g)].map((m) => `${relative(SRC, file)}: ${m[1]}`),
    );
    expect(direct.sort()).toEqual(["cli/commands/exec.ts: Interrupted", "errors.ts: MarimoPairError"]);
  });

  it("the errors of the tools, the MCP loader and the CLI are MarimoPairErrors with a code from ErrorCode", () => {
    const codes: readonly string[] = Object.values(ErrorCode);
    const errors = [
      [new McpSdkMissingError({ cause: new Error("x") }), "mcp_sdk_missing", "McpSdkMissingError"],
      [new UsageError("bad", "exec"), "usage_error", "UsageError"],
      [new CliFailure("no server"), "server_not_found", "CliFailure"],
      [new CliFailure("two servers", ErrorCode.AmbiguousSession), "ambiguous_session", "CliFailure"],
    ] as const;
    for (const [error, code, name] of errors) {
      expect(error).toBeInstanceOf(MarimoPairError);
      expect(error.code).toBe(code);
      expect(codes).toContain(error.code);
      expect(error.name).toBe(name);
    }
    expect(new McpSdkMissingError({ cause: "why" }).cause).toBe("why");
  });

  it("every code is snake_case", () => {
    for (const code of Object.values(ErrorCode)) expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });
});
