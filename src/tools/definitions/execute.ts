/**
 * `execute_code`: run Python in a notebook's kernel, with progress while output streams and
 * head/tail budgets on what comes back.
 *
 * @module
 */
import { TimeoutError } from "../../errors.js";
import type { ExecuteResult } from "../../execute/stream.js";
import { outputText } from "../../outputs/decode.js";
import { type BudgetedText, budgetText, HeadTailCollector } from "../budget.js";
import { defineTool, failed, ok } from "../define.js";
import { type ToolEnv, imageContent } from "../env.js";
import { ExecuteCodeInput } from "../inputs.js";
import type { ToolDefinition, ToolImageContent } from "../types.js";

/** How often a silent execution reports that it is still running, in ms. */
export const EXECUTE_HEARTBEAT_MS = 5_000;

function lastLine(text: string): string {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  const line = lines.at(-1) ?? "";
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

function section(title: string, body: BudgetedText): string {
  return body.text === "" ? "" : `\n--- ${title} ---\n${body.text}${body.text.endsWith("\n") ? "" : "\n"}`;
}

/** The `execute_code` tool. */
export function executeCodeTool(env: ToolEnv): ToolDefinition {
  return defineTool({
    name: "execute_code",
    description:
      "Run Python in a live marimo notebook's kernel and return what it printed and the value of its last expression. " +
      "The code runs in the notebook's scratchpad: it can read the notebook's variables (e.g. df.head(), df.shape) and " +
      "inspect anything, but names it defines are discarded and cells do not change — use create_cell/edit_cell for that. " +
      "Long outputs are cut in the middle (the head and tail are kept, with a note); print only what you need. " +
      "Progress is reported while output streams; a timeout interrupts the kernel.",
    input: ExecuteCodeInput,
    annotations: { title: "Execute code in the notebook's kernel", readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    async run(input, context) {
      const { url, notebook } = await env.resolver.resolve(input, context.signal);
      const timeoutMs = input.timeout_ms ?? env.executeTimeoutMs;
      const stdout = new HeadTailCollector(env.budget);
      const stderr = new HeadTailCollector(env.budget);
      const started = Date.now();
      let lastOutput = started;
      const heartbeat = setInterval(() => {
        if (Date.now() - lastOutput >= EXECUTE_HEARTBEAT_MS) {
          context.progress(`still running (${Math.round((Date.now() - started) / 1000)} s)`);
        }
      }, EXECUTE_HEARTBEAT_MS);
      context.progress("started");
      const stream = notebook.stream(input.code, { signal: context.signal, timeoutMs });
      let result: ExecuteResult | undefined;
      let timedOut: TimeoutError | undefined;
      try {
        for await (const event of stream) {
          if (event.type === "done") continue;
          (event.type === "stdout" ? stdout : stderr).push(event.data);
          lastOutput = Date.now();
          const line = lastLine(event.data);
          if (line !== "") context.progress(`${event.type}: ${line}`);
        }
        result = await stream.result();
      } catch (error) {
        if (!(error instanceof TimeoutError)) throw error;
        timedOut = error;
      } finally {
        clearInterval(heartbeat);
      }
      const out = stdout.finish("stdout");
      const err = stderr.finish("stderr");
      const where = { url, session: notebook.sessionId, file: notebook.info.path };
      if (timedOut !== undefined || result === undefined) {
        const message =
          `The execution did not finish within ${timeoutMs} ms and was interrupted (the kernel got KeyboardInterrupt). ` +
          "Pass a larger timeout_ms, or run less at once.";
        const partial = `${section("stdout so far", out)}${section("stderr so far", err)}`;
        return failed(`${message}${partial}`, "timeout", { ...where, stdout: out.text, stderr: err.text, timeoutMs });
      }
      const value = budgetText(outputText(result.output), "the value", env.budget);
      const images: ToolImageContent[] = [];
      let imageNote: string | undefined;
      if (result.success) {
        const attached = await imageContent(notebook, result.output, env, context.signal);
        if (attached.image !== undefined) images.push(attached.image);
        imageNote = attached.note;
      }
      const status = result.success ? "ok" : "failed: the code raised an error (traceback in stderr)";
      const valueTitle = `value (${result.output.mimetype}${images.length > 0 ? ", image attached" : ""})`;
      const text =
        `${status}${section("stdout", out)}${section("stderr", err)}${section(valueTitle, value)}` +
        (imageNote === undefined ? "" : `\n${imageNote}\n`);
      return ok(text, {
        ...where,
        success: result.success,
        stdout: out.text,
        stderr: err.text,
        value: { mimetype: result.output.mimetype, text: value.text },
        cut: { stdout: out.cut, stderr: err.cut, value: value.cut },
      }, images);
    },
  });
}
