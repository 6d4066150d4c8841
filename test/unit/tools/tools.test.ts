import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  CreateCellJsonSchema,
  EditCellJsonSchema,
  MoveCellJsonSchema,
  OperationListJsonSchema,
  SetUiValueJsonSchema,
} from "../../../src/schemas/operations.js";
import { ApplyOperationsInput, CreateCellInput, EditCellInput, MoveCellInput, SetUiValueInput } from "../../../src/tools/inputs.js";
import { mcpToolListing } from "../../../src/tools/mcp-server.js";
import { NotebookResolver } from "../../../src/tools/target.js";
import { createMarimoTools, TOOL_NAMES } from "../../../src/tools/toolset.js";

const DESTRUCTIVE = ["delete_cell", "remove_packages", "apply_operations", "undo_last_batch"];
const READ_ONLY = ["discover_servers", "list_sessions", "read_cells", "get_errors", "get_variables", "get_graph", "get_cell_output", "screenshot_cell"];

describe("tool definitions", () => {
  const toolset = createMarimoTools();

  it("has the 20 tools, in order, each with a description, an object JSON Schema and annotations", () => {
    expect(toolset.tools.map((t) => t.name)).toEqual([...TOOL_NAMES]);
    expect(TOOL_NAMES).toHaveLength(20);
    for (const tool of toolset.tools) {
      expect(tool.description.length).toBeGreaterThan(40);
      expect(tool.jsonSchema).toMatchObject({ type: "object", additionalProperties: false });
      expect(tool.jsonSchema).not.toHaveProperty("$schema");
      expect(tool.annotations.title).not.toBe("");
      const listing = mcpToolListing(tool);
      expect(listing).toMatchObject({ name: tool.name, inputSchema: tool.jsonSchema, annotations: tool.annotations });
    }
  });

  it("marks exactly the tools that can destroy work as destructive, and the reads as read-only", () => {
    expect(toolset.tools.filter((t) => t.annotations.destructiveHint).map((t) => t.name)).toEqual(DESTRUCTIVE);
    expect(toolset.tools.filter((t) => t.annotations.readOnlyHint).map((t) => t.name)).toEqual(READ_ONLY);
    expect(toolset.get("install_packages")?.annotations.openWorldHint).toBe(true);
  });

  it("every notebook tool takes url, file and session, and no tool takes a token", () => {
    // undo_last_batch acts on the notebook of the batch it undoes.
    for (const tool of toolset.tools) {
      const properties = Object.keys((tool.jsonSchema["properties"] ?? {}) as Record<string, unknown>);
      expect(properties.some((p) => /token|password|secret/i.test(p))).toBe(false);
      if (!["discover_servers", "list_sessions", "undo_last_batch"].includes(tool.name)) expect(properties).toEqual(expect.arrayContaining(["url", "file", "session"]));
    }
  });
});

describe("input schemas come from the CLI's operation schemas", () => {
  const cases: [string, z.ZodObject, z.ZodObject][] = [
    ["create_cell", CreateCellJsonSchema, CreateCellInput],
    ["edit_cell", EditCellJsonSchema, EditCellInput],
    ["move_cell", MoveCellJsonSchema, MoveCellInput],
    ["set_ui_value", SetUiValueJsonSchema, SetUiValueInput],
  ];

  it.each(cases)("%s has every field of the operation (without op and ref)", (_name, operation, input) => {
    const fields = Object.keys(operation.shape).filter((k) => k !== "op" && k !== "ref");
    expect(Object.keys(input.shape)).toEqual(expect.arrayContaining(fields));
  });

  it("accepts what apply accepts, and refuses the same mistakes", () => {
    const op = { op: "create_cell", code: "x = 1", after: "Hbol", hide_code: false, name: "load", column: 0 } as const;
    expect(CreateCellJsonSchema.safeParse(op).success).toBe(true);
    const { op: _op, ...fields } = op;
    expect(CreateCellInput.safeParse({ ...fields, file: "a.py" }).success).toBe(true);
    // A misspelt field and a negative column fail both.
    for (const bad of [{ hidecode: true }, { column: -1 }]) {
      expect(CreateCellJsonSchema.safeParse({ ...op, ...bad }).success).toBe(false);
      expect(CreateCellInput.safeParse({ ...fields, ...bad }).success).toBe(false);
    }
  });

  it("apply_operations takes exactly the CLI's operation list", () => {
    const list = [
      { op: "create_cell", code: "a = 1", ref: "a" },
      { op: "run_cell", cell: { ref: "a" } },
      { op: "set_ui_value", variable: "s", value: { nested: [1, "two", null] } },
    ];
    expect(OperationListJsonSchema.safeParse(list).success).toBe(true);
    expect(ApplyOperationsInput.safeParse({ operations: list }).data?.operations).toEqual(OperationListJsonSchema.parse(list));
    expect(ApplyOperationsInput.safeParse({ operations: [] }).success).toBe(false);
  });
});

describe("handlers", () => {
  it("answer invalid input with an error result that names the field", async () => {
    const toolset = createMarimoTools();
    const result = await toolset.call("create_cell", { code: 1, colour: "red" });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toMatchObject({ error: { code: "invalid_input" } });
    const text = result.content[0]?.type === "text" ? result.content[0].text : "";
    expect(text).toContain("code");
    expect(text).toContain("colour");
  });

  it("a call that names no notebook, unbound, with no server running: no_server, said in tool terms", async () => {
    const empty = await mkdtemp(join(tmpdir(), "tools-empty-"));
    const result = await createMarimoTools({ env: { XDG_STATE_HOME: empty, HOME: empty } }).call("get_errors", {});
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toMatchObject({ error: { code: "no_server" } });
    const text = result.content[0]?.type === "text" ? result.content[0].text : "";
    expect(text).toContain("pass url");
    expect(text).not.toContain("urls");
  });

  it("answer an unknown tool name with an error result", async () => {
    const result = await createMarimoTools().call("rm_rf", {});
    expect(result).toMatchObject({ isError: true, structuredContent: { error: { code: "unknown_tool" } } });
  });

  it("keep bindings per toolset", () => {
    const a = createMarimoTools({ bind: { url: "http://127.0.0.1:1", file: "a.py" } });
    const b = createMarimoTools();
    expect(a.binding).toEqual({ url: "http://127.0.0.1:1", file: "a.py" });
    expect(b.binding).toBeUndefined();
  });
});

describe("NotebookResolver.targetOf", () => {
  const bound = new NotebookResolver({}, { url: "http://127.0.0.1:1", file: "/nb/a.py" });

  it("uses the call's notebook over the binding, keeping the bound server when the call names none", () => {
    expect(bound.targetOf({ file: "b.py" })).toEqual({ url: "http://127.0.0.1:1", file: "b.py" });
    expect(bound.targetOf({ url: "http://127.0.0.1:2", session: "s1" })).toEqual({ url: "http://127.0.0.1:2", session: "s1" });
    expect(bound.targetOf({})).toEqual({ url: "http://127.0.0.1:1", file: "/nb/a.py" });
  });

  it("a bare url means the only notebook of that server", () => {
    expect(new NotebookResolver().targetOf({ url: "http://127.0.0.1:2" })).toEqual({ url: "http://127.0.0.1:2" });
  });

  it("without a binding or a name, means the only notebook open anywhere", () => {
    expect(new NotebookResolver().targetOf({})).toEqual({});
  });
});
