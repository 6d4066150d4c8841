import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseOperations } from "../../../src/cli/commands/apply.js";
import { parseEntryBytes } from "../../../src/discovery/registry-read.js";
import { ProtocolError } from "../../../src/errors.js";
import { describeIssue, formatIssues, issuePath } from "../../../src/schemas/issues.js";
import { parseWire } from "../../../src/schemas/parse.js";
import { errorResult } from "../../../src/tools/define.js";

const Schema = z.object({ cells: z.array(z.object({ code: z.string() })), name: z.string() });

function issuesOf(value: unknown) {
  const parsed = Schema.safeParse(value);
  if (parsed.success) throw new Error("expected a failure");
  return parsed.error.issues;
}

describe("zod issues, one format", () => {
  it("names fields as a.b[0].c and the whole value by the caller's word", () => {
    expect(issuePath([])).toBe("");
    expect(issuePath(["cells", 0, "code"])).toBe("cells[0].code");
    expect(issuePath([3, "x"])).toBe("[3].x");
    expect(describeIssue({ path: [], message: "bad" }, "(input)")).toBe("(input): bad");
    const issues = issuesOf({ cells: [{ code: 1 }] });
    expect(formatIssues(issues, "(input)").split("\n")).toEqual([
      expect.stringMatching(/^ {2}cells\[0\]\.code: /),
      expect.stringMatching(/^ {2}name: /),
    ]);
  });

  it("the library, discovery, the CLI and the tools all show the same path", () => {
    const value = { cells: [{ code: 1 }], name: "n" };
    const wire = (() => {
      try {
        parseWire(Schema, value, "GET /x");
      } catch (error) {
        return error as ProtocolError;
      }
      throw new Error("expected a ProtocolError");
    })();
    expect(wire).toBeInstanceOf(ProtocolError);
    expect(wire.message).toContain("(cells[0].code: ");

    const tool = errorResult(Schema.safeParse(value).error);
    expect(tool.isError).toBe(true);
    expect(tool.content[0]).toMatchObject({ text: expect.stringContaining("Invalid input:\n  cells[0].code: ") });

    expect(() => parseOperations(JSON.stringify([{ op: "nope" }]), "ops.json")).toThrow(/^ops\.json does not hold a valid list of operations:\n {2}\[0\]/);

    const entry = parseEntryBytes("/r/x.json", new TextEncoder().encode(JSON.stringify({ pid: "x" })));
    expect(entry.ok).toBe(false);
    if (!entry.ok) expect(entry.diagnostic.message).toMatch(/pid: /);
  });
});
