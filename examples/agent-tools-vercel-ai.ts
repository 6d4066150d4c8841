/**
 * The marimo tools as Vercel AI SDK tools.
 *
 *   node examples/agent-tools-vercel-ai.ts [URL]
 *
 * marimo-pair does not depend on the AI SDK. The few types below mirror the documented
 * shape of its `tool()` helper (`description`, `inputSchema`, `execute(input, { toolCallId,
 * abortSignal })`, `toModelOutput`), so this file type-checks without it. In an app that
 * has `ai` installed, delete them and `import { tool } from "ai"`: the adapter is the same.
 *
 * Without a model at hand, the script plays the model's part: it makes the tool calls a
 * model would make and prints what the model would read back.
 *
 * URL defaults to MARIMO_URL, else the only server discovery finds. The notebook must be
 * open; with several open, set MARIMO_FILE.
 */
import { discoverServers } from "marimo-pair";
import { createMarimoTools, type ToolDefinition, type ToolResult } from "marimo-pair/tools";
import type { z } from "zod";

// --- The AI SDK's shapes (as documented for `tool()` and tool results) -----------------
interface ToolExecutionOptions {
  toolCallId: string;
  abortSignal?: AbortSignal;
}
type ModelOutput =
  | { type: "text"; value: string }
  | { type: "content"; value: ({ type: "text"; text: string } | { type: "media"; data: string; mediaType: string })[] };
interface AiTool<Input, Output> {
  description?: string;
  inputSchema: z.ZodType<Input>;
  execute?: (input: Input, options: ToolExecutionOptions) => Promise<Output>;
  toModelOutput?: (output: Output) => ModelOutput;
}
/** Like the AI SDK's `tool()`: an identity function that checks the shape. */
function tool<Input, Output>(definition: AiTool<Input, Output>): AiTool<Input, Output> {
  return definition;
}

// --- The adapter --------------------------------------------------------------------------
/** One marimo tool as an AI SDK tool: the zod schema as is, the result as text and images. */
function toAiTool(definition: ToolDefinition): AiTool<unknown, ToolResult> {
  return tool({
    description: definition.description,
    inputSchema: definition.inputSchema,
    execute: (input, { abortSignal }) => definition.handler(input, { signal: abortSignal }),
    toModelOutput: (result) => ({
      type: "content",
      value: result.content.map((c) => (c.type === "text" ? { type: "text", text: c.text } : { type: "media", data: c.data, mediaType: c.mimeType })),
    }),
  });
}

const url = process.argv[2] ?? process.env["MARIMO_URL"] ?? (await discoverServers()).find((s) => s.url !== null)?.url;
if (url === undefined || url === null) {
  console.error("No marimo server found. Start one with: marimo edit notebook.py --no-token");
  process.exit(1);
}
const file = process.env["MARIMO_FILE"];

// One toolset per conversation, bound to its notebook: every call acts on it.
const toolset = createMarimoTools({ bind: file === undefined ? { url } : { url, file } });
const tools = Object.fromEntries(toolset.tools.map((t) => [t.name, toAiTool(t)]));
// With the AI SDK: await generateText({ model, tools, prompt: "Add a cell that ..." })
console.log(`${Object.keys(tools).length} tools: ${Object.keys(tools).join(", ")}`);

/** Play one tool call the way the AI SDK would, and print what the model reads. */
async function modelCalls(name: string, input: unknown): Promise<ToolResult> {
  const t = tools[name];
  if (t?.execute === undefined) throw new Error(`no tool ${name}`);
  const output = await t.execute(input, { toolCallId: `call_${name}` });
  const seen = t.toModelOutput?.(output);
  const parts = seen?.type === "content" ? seen.value : [];
  console.log(`> ${name}(${JSON.stringify(input)})`);
  for (const part of parts) console.log(part.type === "text" ? part.text : `[${part.mediaType} image, ${part.data.length} base64 characters]`);
  return output;
}

await modelCalls("execute_code", { code: "import sys\nprint(sys.version_info[:2])" });
const created = await modelCalls("create_cell", { code: "ai_sdk_answer = 6 * 7\nai_sdk_answer", run: true });
const id = (created.structuredContent["created"] as { id: string }[])[0]?.id;
await modelCalls("read_cells", { cells: [id] });
await modelCalls("delete_cell", { cell: id });
