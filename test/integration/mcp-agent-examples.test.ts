/**
 * The agent-framework examples (examples/agent-tools-*.ts) run against a real marimo
 * server the way a user runs them: `node examples/<name>.ts`, importing the built package
 * by its name (`marimo-pair`, `marimo-pair/tools`).
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { itWhen } from "../helpers/feature.js";
import { type MarimoServer, openRawSession, type RawSession, startMarimo, stopAll } from "../helpers/marimo-server.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const NODE = join(ROOT, "node_modules", ".bin", "node");
const run = promisify(execFile);

let server: MarimoServer;
let session: RawSession;

beforeAll(async () => {
  if (!existsSync(join(ROOT, "dist", "tools.js"))) throw new Error("Build first: npm run build");
  server = await startMarimo();
  session = await openRawSession(server);
});

afterAll(async () => {
  session?.close();
  await server?.stop();
  await stopAll();
});

function example(name: string) {
  return run(NODE, [join(ROOT, "examples", name)], {
    cwd: ROOT,
    timeout: 90_000,
    env: { ...process.env, XDG_STATE_HOME: server.stateHome, MARIMO_URL: server.url },
  });
}

describe("agent-framework examples", () => {
  // Each example creates and runs a cell through the tools.
  const it = itWhen(["codeModeSaves", "runRegistersCells"]);

  it("agent-tools-vercel-ai.ts: the tools as AI SDK tools; results become text and media parts", async () => {
    const { stdout } = await example("agent-tools-vercel-ai.ts");
    expect(stdout).toContain("20 tools: discover_servers, list_sessions, bind_notebook, execute_code,");
    expect(stdout).toMatch(/> execute_code\(.*\)\nok\n--- stdout ---\n\(3, \d+\)\n/);
    expect(stdout).toMatch(/Created cell (\w+) and ran it\./);
    expect(stdout).toContain("```python\nai_sdk_answer = 6 * 7\nai_sdk_answer\n```");
    expect(stdout).toMatch(/Deleted cell \w+\./);
  });

  it("agent-tools-openai.ts: function tools from the JSON Schemas; images follow as data URLs", async () => {
    const { stdout } = await example("agent-tools-openai.ts");
    expect(stdout).toContain('20 function tools; execute_code takes ["url","file","session","code","timeout_ms"]');
    expect(stdout).toContain("tool call_0: ok\n--- stdout ---\nhello from the kernel\n");
    expect(stdout).toContain("--- value (text/html) ---\n42");
    expect(stdout).toMatch(/tool call_1: Created cell \w+ and ran it\./);
    expect(stdout).toContain("tool call_0: cell");
    expect(stdout).toContain("image/png image attached");
    expect(stdout).toContain("tool call_1: Deleted cell");
    expect(stdout).toContain("tool call_2: Error: No tool 'no_such_tool'.");
    expect(stdout).toContain("user: Images returned by the tools above: [image data:image/png;base64,…]");
  });
});
