/**
 * Every file in examples/ runs against a real marimo server, the way a user runs it:
 * `node examples/<name>.ts`, importing the built package by its name.
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
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
  if (!existsSync(join(ROOT, "dist", "index.js"))) throw new Error("Build first: npm run build");
  server = await startMarimo();
  session = await openRawSession(server);
});

afterAll(async () => {
  session?.close();
  await server?.stop();
  await stopAll();
});

function example(name: string, args: string[] = []) {
  return run(NODE, [join(ROOT, "examples", name), ...args], {
    cwd: ROOT,
    timeout: 60_000,
    env: { ...process.env, XDG_STATE_HOME: server.stateHome, MARIMO_URL: server.url },
  });
}

describe("examples", () => {
  it("execute-stream.ts streams output and reports a Python error as data", async () => {
    const { stdout } = await example("execute-stream.ts");
    expect(stdout).toContain("stdout: step 0\nstdout: step 1\nstdout: step 2\n");
    expect(stdout).toContain("done: success=true text/html <pre class='text-xs'>45</pre>");
    expect(stdout).toContain("second run: success=false, last stderr line: ZeroDivisionError: division by zero");
  });

  it("discover.ts finds the running server", async () => {
    const { stdout } = await example("discover.ts");
    expect(stdout).toContain(server.url);
  });

  itWhen(["codeModeSaves", "stalenessCheck", "runRegistersCells"])("build-notebook.ts adds, runs, edits and removes cells; a bad batch is refused", async () => {
    const { stdout } = await example("build-notebook.ts");
    expect(stdout).toContain("import marimo._code_mode");
    expect(stdout).toMatch(/cell \w+: idle\ncell \w+: idle/);
    expect(stdout).toContain("printed: warmest day: Wed (23.25 °C)");
    expect(stdout).toContain("example_warmest code has 2 lines");
    expect(stdout).toContain("printed after edit: coldest day: Tue");
    expect(stdout).toContain("undo of the edit printed: warmest day: Wed (23.25 °C)");
    expect(stdout).toContain("refused (notebook_validation): nothing applied");
    expect(stdout).toContain("cleaned up");
  });

  it("every example has a test here", () => {
    const files = readdirSync(join(ROOT, "examples")).filter((f) => f.endsWith(".ts"));
    const tested = ["execute-stream.ts", "discover.ts", "build-notebook.ts"];
    expect(files.filter((f) => !tested.includes(f) && !EXAMPLES_TESTED_ELSEWHERE.includes(f))).toEqual([]);
  });
});

/** Examples whose run is checked by another test file. */
const EXAMPLES_TESTED_ELSEWHERE: string[] = [
  "watch.ts" /* lifecycle-examples.test.ts */,
  "agent-tools-vercel-ai.ts" /* mcp-agent-examples.test.ts */,
  "agent-tools-openai.ts" /* mcp-agent-examples.test.ts */,
];
