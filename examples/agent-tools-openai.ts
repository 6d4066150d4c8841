/**
 * The marimo tools with OpenAI-style function calling (Chat Completions `tools`).
 *
 *   node examples/agent-tools-openai.ts [URL]
 *
 * marimo-pair does not depend on an OpenAI client. The types below mirror the documented
 * request and response shapes — a function tool `{ type: "function", function: { name,
 * description, parameters } }`, a tool call whose `arguments` is a JSON string, and the
 * `{ role: "tool", tool_call_id, content }` message that answers it — so this file
 * type-checks on its own. With the `openai` package, pass `tools` to
 * `client.chat.completions.create` and the returned `tool_calls` to `answer()`.
 *
 * Without a model at hand, the script plays the model's part: it sends the tool calls a
 * model would send and prints the messages that would go back to it.
 *
 * URL defaults to MARIMO_URL, else the only server discovery finds. The notebook must be
 * open; with several open, set MARIMO_FILE.
 */
import { discoverServers } from "marimo-pair";
import { createMarimoTools, type MarimoToolset } from "marimo-pair/tools";

// --- OpenAI's shapes (Chat Completions function calling) ---------------------------------
interface FunctionTool {
  type: "function";
  function: { name: string; description: string; parameters: Record<string, unknown>; strict?: boolean };
}
interface ToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}
type ContentPart = { type: "text"; text: string } | { type: "image_url"; image_url: { url: string } };
type Message = { role: "tool"; tool_call_id: string; content: string } | { role: "user"; content: ContentPart[] };

// --- The adapter --------------------------------------------------------------------------
/** The tool list for the request: JSON Schema straight from each tool. */
function functionTools(toolset: MarimoToolset): FunctionTool[] {
  return toolset.tools.map((t) => ({ type: "function", function: { name: t.name, description: t.description, parameters: t.jsonSchema } }));
}

/**
 * Run the model's tool calls and build the messages that answer them. Tool messages carry
 * text only, so images follow in a user message as data URLs.
 */
async function answer(toolset: MarimoToolset, calls: readonly ToolCall[], signal?: AbortSignal): Promise<Message[]> {
  const messages: Message[] = [];
  const images: ContentPart[] = [];
  for (const call of calls) {
    let input: unknown;
    try {
      input = JSON.parse(call.function.arguments);
    } catch {
      messages.push({ role: "tool", tool_call_id: call.id, content: "The arguments were not valid JSON." });
      continue;
    }
    const result = await toolset.call(call.function.name, input, { signal });
    const text = result.content.flatMap((c) => (c.type === "text" ? [c.text] : [])).join("\n");
    messages.push({ role: "tool", tool_call_id: call.id, content: result.isError ? `Error: ${text}` : text });
    for (const c of result.content) if (c.type === "image") images.push({ type: "image_url", image_url: { url: `data:${c.mimeType};base64,${c.data}` } });
  }
  if (images.length > 0) messages.push({ role: "user", content: [{ type: "text", text: "Images returned by the tools above:" }, ...images] });
  return messages;
}

const url = process.argv[2] ?? process.env["MARIMO_URL"] ?? (await discoverServers()).find((s) => s.url !== null)?.url;
if (url === undefined || url === null) {
  console.error("No marimo server found. Start one with: marimo edit notebook.py --no-token");
  process.exit(1);
}
const file = process.env["MARIMO_FILE"];
const toolset = createMarimoTools({ bind: file === undefined ? { url } : { url, file } });
const tools = functionTools(toolset);
console.log(`${tools.length} function tools; execute_code takes ${JSON.stringify(Object.keys((tools.find((t) => t.function.name === "execute_code")?.function.parameters["properties"] ?? {}) as object))}`);

/** What a model would send back: tool calls with JSON-string arguments. */
function calls(...list: [string, unknown][]): ToolCall[] {
  return list.map(([name, args], i) => ({ id: `call_${i}`, type: "function", function: { name, arguments: JSON.stringify(args) } }));
}

const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
const first = await answer(
  toolset,
  calls(
    ["execute_code", { code: "print('hello from the kernel')\n40 + 2" }],
    ["create_cell", { code: `import base64 as _b\nimport marimo as mo\nmo.image(_b.b64decode("${png}"))`, name: "openai_picture", run: true }],
  ),
);
const second = await answer(toolset, calls(["get_cell_output", { cell: "openai_picture" }], ["delete_cell", { cell: "openai_picture" }], ["no_such_tool", {}]));
for (const message of [...first, ...second]) {
  if (message.role === "tool") console.log(`tool ${message.tool_call_id}: ${message.content}`);
  else console.log(`user: ${message.content.map((p) => (p.type === "text" ? p.text : `[image ${p.image_url.url.slice(0, 22)}…]`)).join(" ")}`);
}
