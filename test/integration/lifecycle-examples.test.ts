/**
 * The lifecycle examples run against real marimo the way a user runs them:
 * `node examples/<name>.ts`, importing the built package by its name.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { itWhen } from "../helpers/feature.js";
import { type MarimoServer, openRawSession, type RawSession, startMarimo, stopAll } from "../helpers/marimo-server.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const NODE = join(ROOT, "node_modules", ".bin", "node");

let server: MarimoServer;
let session: RawSession;
const children: ChildProcess[] = [];

beforeAll(async () => {
  if (!existsSync(join(ROOT, "dist", "index.js"))) throw new Error("Build first: npm run build");
  server = await startMarimo();
  session = await openRawSession(server);
});

afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  session?.close();
  await server?.stop();
  await stopAll();
});

/** Start an example; `output()` is what it printed so far, `exited` its exit code. */
function start(name: string, args: string[], env: Record<string, string> = {}) {
  const child = spawn(NODE, [join(ROOT, "examples", name), ...args], {
    cwd: ROOT,
    env: { ...process.env, XDG_STATE_HOME: server.stateHome, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  return {
    child,
    exited,
    output: () => out,
    async waitFor(pattern: RegExp, timeoutMs = 45_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(out)) {
        if (Date.now() > deadline) throw new Error(`${name} did not print ${pattern} in time; it printed:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

describe("lifecycle examples", () => {
  itWhen(["sseSessions", "codeModeSaves", "runRegistersCells"])("watch.ts prints a cell being created and run, and stops on SIGINT", async () => {
    const watch = start("watch.ts", [server.url]);
    await watch.waitFor(/notebook has 1 cell\(s\)/);
    const code = [
      "import marimo._code_mode as cm",
      "async with cm.get_context() as ctx:",
      '    ctx.run_cell(ctx.create_cell("watched = 6 * 7\\nwatched"))',
    ].join("\n");
    const res = await fetch(`${server.url}/api/kernel/execute`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Marimo-Session-Id": session.sessionId },
      body: JSON.stringify({ code }),
    });
    expect(await res.text()).toContain('"success": true');
    await watch.waitFor(/cell \S+ output: 42/);
    const text = watch.output();
    expect(text).toMatch(/create-cell \S+ by code-mode: watched = 6 \* 7\nwatched\n/);
    expect(text).toMatch(/cell (\S+): queued[\s\S]*cell \1: running[\s\S]*cell \1: idle/);
    watch.child.kill("SIGINT");
    expect(await watch.exited).toBe(0);
    expect(watch.output()).toMatch(/stopped\n$/);
  });
});
