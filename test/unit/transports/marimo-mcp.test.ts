import { describe, expect, it } from "vitest";
import { SessionNotFoundError, TimeoutError } from "../../../src/errors.js";
import { selectSession } from "../../../src/session/select.js";
import type { SessionInfo } from "../../../src/session/types.js";
import { consoleText, toExecuteResult } from "../../../src/transports/marimo-mcp/result.js";
import { type McpSessionContext, McpNotebookSession } from "../../../src/transports/marimo-mcp/session.js";
import { McpExecutionSchema } from "../../../src/transports/marimo-mcp/wire.js";

// A traceback as marimo 0.25.2's MCP server sends it (pygments HTML), recorded from a real server.
const HTML_TRACEBACK =
  '<span class="codehilite"><div class="highlight"><pre><span></span><span class="gt">Traceback (most recent call last):</span>\n' +
  '  File <span class="nb">"/tmp/marimo_1/__marimo__cell___scratch___.py"</span>, line <span class="m">1</span>, in <span class="n">&lt;module&gt;</span>\n' +
  '<span class="w">    </span><span class="mi">1</span><span class="o">/</span><span class="mi">0</span>\n' +
  '<span class="gr">ZeroDivisionError</span>: <span class="n">division by zero</span>\n</pre></div>\n</span>';

describe("marimo MCP results", () => {
  it("turn a highlighted traceback back into text, and leave plain text alone", () => {
    expect(consoleText(HTML_TRACEBACK)).toBe(
      'Traceback (most recent call last):\n  File "/tmp/marimo_1/__marimo__cell___scratch___.py", line 1, in <module>\n    1/0\nZeroDivisionError: division by zero\n',
    );
    expect(consoleText("<b>not a traceback</b>")).toBe("<b>not a traceback</b>");
  });

  it("map a success onto ExecuteResult fields", () => {
    const raw = { success: true, output: "<pre class='text-xs'>2</pre>", stdout: ["hi\n", "there\n"], stderr: [], errors: [], error: null, output_mimetype: "text/html" };
    expect(toExecuteResult(McpExecutionSchema.parse(raw), 1000)).toEqual({
      success: true,
      stdout: "hi\nthere\n",
      stderr: "",
      output: { mimetype: "text/html", data: "<pre class='text-xs'>2</pre>" },
      truncated: false,
      errors: [],
    });
  });

  it("map a failure like the HTTP transport: empty text/plain output, traceback in stderr, marimo's summaries in errors", () => {
    const raw = { success: false, output: null, stdout: [], stderr: [HTML_TRACEBACK], errors: ["division by zero"], error: null, output_mimetype: "application/vnd.marimo+error" };
    const result = toExecuteResult(McpExecutionSchema.parse(raw), 1000);
    expect(result.output).toEqual({ mimetype: "text/plain", data: "" });
    expect(result.stderr).toContain("ZeroDivisionError: division by zero\n");
    expect(result.errors).toEqual(["division by zero"]);
  });

  it("accept marimo < 0.25.2 results without output_mimetype: HTML is told by its leading tag", () => {
    const parse = (output: string) => toExecuteResult(McpExecutionSchema.parse({ success: true, output, stdout: [], stderr: [], errors: [] }), 10);
    expect(parse("x").output).toEqual({ mimetype: "text/plain", data: "x" });
    expect(parse("1 < 2").output).toEqual({ mimetype: "text/plain", data: "1 < 2" });
    expect(parse("<pre class='text-xs'>2</pre>").output).toEqual({ mimetype: "text/html", data: "<pre class='text-xs'>2</pre>" });
    expect(parse("\n  <div>x</div>").output.mimetype).toBe("text/html");
  });

  it("bound stdout + stderr by UTF-8 bytes without cutting a character", () => {
    const raw = { success: true, output: "", stdout: ["é".repeat(10)], stderr: ["abc"], errors: [] };
    const result = toExecuteResult(McpExecutionSchema.parse(raw), 7);
    expect(result).toMatchObject({ stdout: "ééé", stderr: "a", truncated: true }); // 6 + 1 bytes
  });
});

describe("McpNotebookSession", () => {
  type Reply = Record<string, unknown>;
  function fakeContext(replies: Reply[], sessions: SessionInfo[][]) {
    const calls: Record<string, unknown>[] = [];
    const ctx: McpSessionContext = {
      endpoint: "http://127.0.0.1:1/mcp/server",
      url: "http://127.0.0.1:1",
      call: async (_name, args) => {
        calls.push(args);
        return replies.shift();
      },
      listSessions: async () => sessions.shift() ?? [],
      select: selectSession,
      version: async () => "0.25.2",
    };
    return { ctx, calls };
  }
  const info = (id: string): SessionInfo => ({ sessionId: id, stableId: null, filename: "a.py", path: "/nb/a.py" });
  const okReply = { success: true, output: "", stdout: ["x\n"], stderr: [], errors: [] };

  it("maps marimo's 30 s limit to a TimeoutError that says the kernel was not interrupted", async () => {
    const { ctx } = fakeContext([{ success: false, error: "Execution timed out after 30.0s", stdout: [], stderr: [], errors: [] }], []);
    const error = await new McpNotebookSession(ctx, { file: "a.py" }, info("s1")).execute("loop()").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ timer: "total", timeoutMs: 30_000 });
    expect((error as Error).message).toContain("does not interrupt the kernel");
  });

  it("finds a session selected by file again when marimo no longer knows its id, and retries once", async () => {
    const notFound = { success: false, error: "Session 's1' not found. Use list_sessions to find valid session IDs.", stdout: [], stderr: [], errors: [] };
    const { ctx, calls } = fakeContext([notFound, okReply], [[info("s2")]]);
    const nb = new McpNotebookSession(ctx, { file: "a.py" }, info("s1"));
    expect((await nb.execute("print('x')")).stdout).toBe("x\n");
    expect(calls.map((c) => c["session_id"])).toEqual(["s1", "s2"]);
    expect(nb.sessionId).toBe("s2");
  });

  it("does not retry a session chosen by id", async () => {
    const notFound = { success: false, error: "Session 's1' not found.", stdout: [], stderr: [], errors: [] };
    const { ctx, calls } = fakeContext([notFound], []);
    await expect(new McpNotebookSession(ctx, { sessionId: "s1" }, info("s1")).execute("1")).rejects.toBeInstanceOf(SessionNotFoundError);
    expect(calls).toHaveLength(1);
  });

  it("reports another server-side error as an HttpError with marimo's text", async () => {
    const { ctx } = fakeContext([{ success: false, error: "kernel exploded", stdout: [], stderr: [], errors: [] }], []);
    await expect(new McpNotebookSession(ctx, {}, info("s1")).execute("1")).rejects.toMatchObject({ code: "http_error", detail: "kernel exploded" });
  });
});
