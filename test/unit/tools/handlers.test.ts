/**
 * The tool handlers (src/tools/definitions/*) against an injected fake notebook and resolver:
 * input validation, the text and structured result, `isError` on refusals, and budgets. The
 * same tools against real marimo are in test/integration/mcp-*.test.ts.
 */
import { describe, expect, it } from "vitest";
import type { ApplyResult } from "../../../src/codemode/apply.js";
import { NotebookValidationError, StaleCellsError, type BatchFailureDetails } from "../../../src/codemode/errors.js";
import type { CellSnapshot, VariableInfo } from "../../../src/codemode/reads.js";
import { codeMode } from "../../../src/codemode/plan.js";
import { TimeoutError } from "../../../src/errors.js";
import type { ExecuteEvent } from "../../../src/execute/events.js";
import type { ExecuteResult } from "../../../src/execute/stream.js";
import type { SessionInfo } from "../../../src/session/types.js";
import type { OutputBudget } from "../../../src/tools/budget.js";
import {
  applyOperationsTool,
  createCellTool,
  deleteCellTool,
  editCellTool,
  installPackagesTool,
  moveCellTool,
  removePackagesTool,
  runCellTool,
  setUiValueTool,
} from "../../../src/tools/definitions/changes.js";
import { executeCodeTool } from "../../../src/tools/definitions/execute.js";
import { getCellOutputTool, getErrorsTool, getGraphTool, getVariablesTool, readCellsTool } from "../../../src/tools/definitions/reads.js";
import { bindNotebookTool, discoverServersTool, listSessionsTool } from "../../../src/tools/definitions/servers.js";
import type { ToolEnv } from "../../../src/tools/env.js";
import type { NotebookResolver, NotebookTarget } from "../../../src/tools/target.js";
import { NoSessionError } from "../../../src/errors.js";
import { UndoStack } from "../../../src/tools/undo-stack.js";
import { ScreenshotSessions } from "../../../src/tools/screenshot-sessions.js";
import type { ToolDefinition, ToolResult } from "../../../src/tools/types.js";

const URL = "http://127.0.0.1:2718";
const INFO: SessionInfo = { sessionId: "s_1", stableId: null, filename: "nb.py", path: "/work/nb.py" } as SessionInfo;
const WIDE: OutputBudget = { headChars: 8000, tailChars: 4000, headLines: 120, tailLines: 60 };

function cell(id: string, extra: Partial<CellSnapshot> = {}): CellSnapshot {
  return {
    id,
    name: null,
    code: `x_${id} = 1`,
    config: { hideCode: false, disabled: false, column: null, expandOutput: null },
    status: "idle",
    errors: [],
    output: null,
    console: [],
    ...extra,
  };
}

/** Everything a handler may ask of a notebook, scripted per test. */
interface FakeNotebookScript {
  events?: ExecuteEvent[];
  result?: ExecuteResult;
  streamError?: unknown;
  cells?: CellSnapshot[];
  variables?: VariableInfo[];
  apply?: (plan: unknown) => Promise<ApplyResult>;
}

function fakeNotebook(script: FakeNotebookScript) {
  const calls: { method: string; args: unknown[] }[] = [];
  const notebook = {
    info: INFO,
    sessionId: INFO.sessionId,
    url: URL,
    stream(code: string, options: unknown) {
      calls.push({ method: "stream", args: [code, options] });
      const events = script.events ?? [];
      return {
        async *[Symbol.asyncIterator]() {
          for (const event of events) yield event;
          if (script.streamError !== undefined) throw script.streamError;
        },
        async result() {
          if (script.result === undefined) throw new Error("no result scripted");
          return script.result;
        },
      };
    },
    async cells(options: unknown) {
      calls.push({ method: "cells", args: [options] });
      return script.cells ?? [];
    },
    async variables() {
      return script.variables ?? [];
    },
    async graph() {
      return {
        cells: [
          { id: "a", name: "load", registered: true, defs: ["df"], refs: [], parents: [], children: ["b"] },
          { id: "b", name: null, registered: false, defs: [], refs: [], parents: [], children: [] },
        ],
        multiplyDefined: ["x"],
        cycles: [],
      };
    },
    async apply(plan: unknown, options: unknown) {
      calls.push({ method: "apply", args: [plan, options] });
      if (script.apply === undefined) throw new Error("no apply scripted");
      return script.apply(plan);
    },
    async readImage() {
      return undefined;
    },
  };
  return { notebook, calls };
}

function fakeEnv(script: FakeNotebookScript, budget: OutputBudget = WIDE) {
  const { notebook, calls } = fakeNotebook(script);
  const targets: NotebookTarget[] = [];
  let binding: NotebookTarget | undefined;
  const resolver = {
    get binding() {
      return binding;
    },
    async resolve(input: NotebookTarget) {
      targets.push(input);
      if (input.file === undefined && input.session === undefined && binding === undefined) throw new NoSessionError("", []);
      return { url: URL, notebook };
    },
    async bind(input: NotebookTarget) {
      binding = { url: input.url ?? URL, file: INFO.path ?? "" };
      return { url: URL, session: INFO };
    },
    async liveServers() {
      return [];
    },
    client() {
      return { url: URL, sessions: async () => [INFO] };
    },
  };
  const env: ToolEnv = { resolver: resolver as unknown as NotebookResolver, budget, executeTimeoutMs: 300_000, maxImageBytes: 1024, maxImagePixels: 1_150_000, screenshots: new ScreenshotSessions(), undo: new UndoStack() };
  return { env, calls, targets };
}

function textOf(result: ToolResult): string {
  const first = result.content[0];
  return first?.type === "text" ? first.text : "";
}

async function call(tool: ToolDefinition, input: unknown): Promise<ToolResult> {
  return tool.handler(input);
}

const NB = { url: URL, file: "nb.py" };

describe("input validation (every handler, before any I/O)", () => {
  it("refuses a missing or mistyped field with the field's path, as invalid_input", async () => {
    const { env, calls } = fakeEnv({});
    for (const [tool, input, field] of [
      [executeCodeTool(env), { ...NB }, "code"],
      [executeCodeTool(env), { ...NB, code: "1", timeout_ms: "soon" }, "timeout_ms"],
      [createCellTool(env), { ...NB, code: 7 }, "code"],
      [readCellsTool(env), { ...NB, cells: "a" }, "cells"],
      [applyOperationsTool(env), { ...NB, operations: [{ op: "nope" }] }, "operations[0]"],
    ] as const) {
      const result = await call(tool, input);
      expect(result.isError).toBe(true);
      expect(result.structuredContent).toMatchObject({ error: { code: "invalid_input" } });
      expect(textOf(result)).toMatch(new RegExp(`^Invalid input:\\n {2}${field.replace(/[[\]]/g, "\\$&")}`));
    }
    expect(calls).toEqual([]);
  });

  it("refuses unknown fields (a token is never an argument)", async () => {
    const { env } = fakeEnv({});
    const result = await call(getErrorsTool(env), { ...NB, token: "secret" });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain("token");
    expect(textOf(result)).not.toContain("secret");
  });

  it("no notebook open and none named → no_session, saying in tool terms how to open one", async () => {
    const { env } = fakeEnv({});
    const result = await call(getVariablesTool(env), {});
    expect(result).toMatchObject({ isError: true, structuredContent: { error: { code: "no_session" } } });
    expect(textOf(result)).toMatch(/bind_notebook/);
  });
});

describe("execute_code", () => {
  const done: ExecuteResult = { success: true, stdout: "hi\n", stderr: "", output: { mimetype: "text/plain", data: "2" } } as ExecuteResult;

  it("returns status, stdout and the value, in text and structure", async () => {
    const { env, calls } = fakeEnv({ events: [{ type: "stdout", data: "hi\n" }], result: done });
    const result = await call(executeCodeTool(env), { ...NB, code: "print('hi')\n1 + 1", timeout_ms: 5000 });
    expect(result.isError).toBe(false);
    expect(textOf(result)).toBe("ok\n--- stdout ---\nhi\n\n--- value (text/plain) ---\n2\n");
    expect(result.structuredContent).toMatchObject({
      url: URL,
      session: "s_1",
      file: "/work/nb.py",
      success: true,
      stdout: "hi\n",
      value: { mimetype: "text/plain", text: "2" },
      cut: { stdout: null, stderr: null, value: null },
    });
    expect(calls[0]).toMatchObject({ method: "stream", args: ["print('hi')\n1 + 1", { timeoutMs: 5000 }] });
  });

  it("a Python error is a result (success false), not isError", async () => {
    const failedRun = { success: false, stdout: "", stderr: "ZeroDivisionError", output: { mimetype: "text/plain", data: "" } } as ExecuteResult;
    const { env } = fakeEnv({ events: [{ type: "stderr", data: "Traceback\nZeroDivisionError: division by zero\n" }], result: failedRun });
    const result = await call(executeCodeTool(env), { ...NB, code: "1/0" });
    expect(result.isError).toBe(false);
    expect(textOf(result)).toMatch(/^failed: the code raised an error.*\n--- stderr ---\nTraceback/s);
    expect(result.structuredContent).toMatchObject({ success: false });
  });

  it("cuts long output to the budget's head and tail, and says so", async () => {
    const lines = Array.from({ length: 500 }, (_, i) => `line ${i}\n`).join("");
    const budget: OutputBudget = { headChars: 200, tailChars: 100, headLines: 10, tailLines: 5 };
    const { env } = fakeEnv({ events: [{ type: "stdout", data: lines }], result: { ...done, stdout: lines } as ExecuteResult }, budget);
    const result = await call(executeCodeTool(env), { ...NB, code: "..." });
    const stdout = (result.structuredContent as { stdout: string }).stdout;
    expect(stdout.startsWith("line 0\n")).toBe(true);
    expect(stdout).toContain("line 499");
    expect(stdout).not.toContain("line 250\n");
    expect(stdout.length).toBeLessThan(lines.length);
    expect(result.structuredContent).toMatchObject({ cut: { stdout: { totalLines: 500, lines: expect.any(Number) } } });
    expect(textOf(result)).toMatch(/line 0\n.*\[… [\d,]+ characters \(485 lines\) of stdout cut here.*line 499/s);
  });

  it("a timeout is isError with code timeout, and keeps the output so far", async () => {
    const timeout = new TimeoutError("total", 50, { method: "POST", url: `${URL}/api/kernel/execute` });
    const { env } = fakeEnv({ events: [{ type: "stdout", data: "partial\n" }], streamError: timeout });
    const result = await call(executeCodeTool(env), { ...NB, code: "while True: pass", timeout_ms: 50 });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toMatchObject({ error: { code: "timeout", timeoutMs: 50, stdout: "partial\n" } });
    expect(textOf(result)).toMatch(/did not finish within 50 ms.*timeout_ms.*--- stdout so far ---\npartial/s);
  });
});

describe("the read tools", () => {
  const cells = [
    cell("a", { name: "load", output: { channel: "output", mimetype: "text/plain", data: "ok" } }),
    cell("b", { status: "exception", errors: [{ kind: "runtime", message: "boom" }] }),
  ];

  it("read_cells lists the cells, picks by id or name, and reports what it did not find", async () => {
    const { env } = fakeEnv({ cells });
    const all = await call(readCellsTool(env), NB);
    expect(textOf(all).split("\n")[0]).toBe(`/work/nb.py on ${URL}: 2 cell(s)`);
    expect(all.structuredContent).toMatchObject({ cells: [{ id: "a" }, { id: "b" }], missing: [] });
    const some = await call(readCellsTool(env), { ...NB, cells: ["load", { id: "zz" }] });
    expect(textOf(some).split("\n")[0]).toBe(`/work/nb.py on ${URL}: 2 cell(s), 1 shown; not found: zz`);
    expect(some.structuredContent).toMatchObject({ cells: [{ id: "a" }], missing: ["zz"] });
  });

  it("get_errors lists only the cells in error", async () => {
    const { env } = fakeEnv({ cells });
    const result = await call(getErrorsTool(env), NB);
    expect(textOf(result)).toMatch(/^1 of 2 cell\(s\) in error:/);
    expect(result.structuredContent).toMatchObject({ cells: [{ id: "b", status: "exception" }] });
    const { env: clean } = fakeEnv({ cells: [cell("a")] });
    expect(textOf(await call(getErrorsTool(clean), NB))).toBe("No cell is in error (1 cell(s)).");
  });

  it("get_variables keeps the full list in structure but budgets the text", async () => {
    const variables: VariableInfo[] = Array.from({ length: 300 }, (_, i) => ({ name: `v${i}`, cells: ["a"], defined: true, type: "int", repr: String(i) }));
    const { env } = fakeEnv({ variables }, { headChars: 300, tailChars: 100, headLines: 10, tailLines: 5 });
    const result = await call(getVariablesTool(env), NB);
    expect(textOf(result)).toMatch(/^300 variable\(s\)\nv0: int = 0 {2}\[cell a\]/);
    expect(textOf(result)).toContain("v299: int = 299");
    expect(textOf(result)).not.toContain("v150:");
    expect((result.structuredContent as { variables: unknown[] }).variables).toHaveLength(300);
  });

  it("get_graph describes each cell's edges, unregistered cells and multiply-defined names", async () => {
    const { env } = fakeEnv({});
    const result = await call(getGraphTool(env), NB);
    expect(textOf(result).split("\n")).toEqual([
      "cell a (load): defines [df]; reads []; parents []; children [b]",
      "cell b: not run in this kernel yet (no graph facts)",
      "multiply defined: x",
    ]);
  });

  it("get_cell_output: an unknown cell is isError cell_not_found; a known one shows its output", async () => {
    const { env } = fakeEnv({ cells });
    const missing = await call(getCellOutputTool(env), { ...NB, cell: "nope" });
    expect(missing).toMatchObject({ isError: true, structuredContent: { error: { code: "cell_not_found" } } });
    expect(textOf(missing)).toMatch(/read_cells/);
    const found = await call(getCellOutputTool(env), { ...NB, cell: { name: "load" } });
    expect(found.isError).toBe(false);
    expect(found.structuredContent).toMatchObject({ cell: { id: "a", name: "load" }, output: { mimetype: "text/plain", text: "ok", image: null } });
  });
});

const DETAILS: BatchFailureDetails = { pythonType: "X", pythonMessage: "m", phase: "queue", traceback: "", stdout: "", stderr: "" } as BatchFailureDetails;

function applied(extra: Partial<ApplyResult> = {}): ApplyResult {
  const result: Record<string, unknown> = {
    success: true,
    created: {},
    idOf: () => "new1",
    edited: [],
    deleted: [],
    moved: [],
    ran: [],
    uiUpdated: [],
    cells: [],
    failed: [],
    packages: [],
    packagesListed: false,
    stdout: "",
    stderr: "",
    undo: codeMode(() => {}),
    cannotUndo: [],
    toJSON: (): Record<string, unknown> => ({ applied: true, ...result, created: {}, undo: [], cannotUndo: [] }),
    ...extra,
  };
  return result as unknown as ApplyResult;
}

describe("the change tools", () => {
  it("create_cell applies one batch and reports the new cell's id", async () => {
    const { env, calls } = fakeEnv({ apply: async () => applied({ ran: ["new1"] } as Partial<ApplyResult>), cells: [cell("new1")] });
    const result = await call(createCellTool(env), { ...NB, code: "y = 2" });
    expect(result.isError).toBe(false);
    expect(result.structuredContent).toMatchObject({ applied: true, success: true, created: [{ index: 0, id: "new1" }] });
    expect(calls.filter((c) => c.method === "apply")).toHaveLength(1);
  });

  it("a stale cell is a refusal: isError stale_cells, the cells named, read_cells advised, nothing applied", async () => {
    const { env } = fakeEnv({
      apply: async () => {
        throw new StaleCellsError("c1", ["c1", "c2"], DETAILS);
      },
    });
    const result = await call(editCellTool(env), { ...NB, cell: "c1", code: "z = 3" });
    expect(result).toMatchObject({ isError: true, structuredContent: { error: { code: "stale_cells", cellId: "c1", staleCells: ["c1", "c2"] } } });
    expect(textOf(result)).toMatch(/^Cell 'c1' changed since its code was last read; nothing was applied \(stale: c1, c2\)\..*read_cells/);
    expect(textOf(result)).not.toMatch(/skipStalenessCheck|--skip/);
  });

  it("a validation refusal is isError notebook_validation with the names", async () => {
    const { env } = fakeEnv({
      apply: async () => {
        throw new NotebookValidationError("multiply_defined", { names: ["x"] }, DETAILS);
      },
    });
    const result = await call(createCellTool(env), { ...NB, code: "x = 1" });
    expect(result).toMatchObject({ isError: true, structuredContent: { error: { code: "notebook_validation", reason: "multiply_defined", names: ["x"] } } });
  });

  it("delete_cell is marked destructive and applies a delete", async () => {
    const { env, calls } = fakeEnv({ apply: async () => applied({ deleted: ["c1"] } as Partial<ApplyResult>) });
    const tool = deleteCellTool(env);
    expect(tool.annotations.destructiveHint).toBe(true);
    const result = await call(tool, { ...NB, cell: "c1" });
    expect(result.structuredContent).toMatchObject({ applied: true, deleted: ["c1"] });
    expect(calls.map((c) => c.method)).toEqual(["apply"]);
  });
});

describe("every change tool", () => {
  it("validates, then applies exactly one batch that carries the call's own values", async () => {
    const cases: [(env: ToolEnv) => ToolDefinition, Record<string, unknown>, string][] = [
      [runCellTool, { cell: "c_run1" }, "c_run1"],
      [moveCellTool, { cell: "c_mov1", after: "c_mov2" }, "c_mov2"],
      [installPackagesTool, { packages: ["polars-marker-pkg"] }, "polars-marker-pkg"],
      [removePackagesTool, { packages: ["old-marker-pkg"] }, "old-marker-pkg"],
      [setUiValueTool, { variable: "slider_marker", value: 3 }, "slider_marker"],
      [applyOperationsTool, { operations: [{ op: "create_cell", code: "ops_marker = 1" }] }, "ops_marker = 1"],
    ];
    for (const [build, input, marker] of cases) {
      const { env, calls } = fakeEnv({ apply: async () => applied() });
      const tool = build(env);
      const result = await call(tool, { ...NB, ...input });
      expect(result.isError, tool.name).toBe(false);
      expect(result.structuredContent, tool.name).toMatchObject({ applied: true, url: URL, file: "/work/nb.py" });
      const batches = calls.filter((c) => c.method === "apply");
      expect(batches, tool.name).toHaveLength(1);
      expect((batches[0]?.args[0] as { toPython(): string }).toPython(), tool.name).toContain(marker);
      const invalid = await call(tool, { ...NB, ...input, unexpected: true });
      expect(invalid.isError, tool.name).toBe(true);
      expect(calls.filter((c) => c.method === "apply"), tool.name).toHaveLength(1);
    }
  });
});

describe("the server tools", () => {
  it("discover_servers with nothing running says how to start marimo", async () => {
    const { env } = fakeEnv({});
    const result = await call(discoverServersTool(env), {});
    expect(result).toMatchObject({ isError: false, structuredContent: { servers: [], binding: null } });
    expect(textOf(result)).toMatch(/--no-token/);
  });

  it("bind_notebook binds this toolset; list_sessions then lists the bound server", async () => {
    const { env } = fakeEnv({});
    const bound = await call(bindNotebookTool(env), NB);
    expect(textOf(bound)).toBe(`Bound to /work/nb.py on ${URL}.`);
    expect(bound.structuredContent).toMatchObject({ binding: { url: URL, file: "/work/nb.py" } });
    const listed = await call(listSessionsTool(env), {});
    expect(textOf(listed)).toBe(`${URL}\n    /work/nb.py  session s_1\nThis connection is bound to /work/nb.py on ${URL}.`);
  });
});
