/**
 * A script that closes what it opened exits: `await using` on `connectMcp`'s client,
 * `launchServer`'s handle with a client, an owned session and an events watcher, and our MCP
 * HTTP server. Each script runs as its own Node process and never calls `process.exit`.
 */
import { spawn } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { itWhen } from "../helpers/feature.js";
import {
  MARIMO_BIN,
  type MarimoServer,
  makeTempDir,
  openRawSession,
  SIMPLE_NOTEBOOK,
  startMarimo,
  stopAll,
} from "../helpers/marimo-server.js";
import { writeFile } from "node:fs/promises";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const CHILD = join(ROOT, "test", "integration", "soak", "exit-child.ts");
/** The script's whole life, generous for a loaded machine (launching marimo takes seconds). */
const BOUND_MS = 90_000;

function runScript(mode: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [CHILD, mode], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      stderr += `\nstill running after ${BOUND_MS} ms`;
      child.kill("SIGKILL");
    }, BOUND_MS);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr });
    });
  });
}

let server: MarimoServer;
let raw: Awaited<ReturnType<typeof openRawSession>> | undefined;

beforeAll(async () => {
  server = await startMarimo({ extraArgs: ["--mcp", "code-mode"] });
  raw = await openRawSession(server);
});

afterAll(async () => {
  raw?.close();
  await stopAll();
});

describe("a script that closes what it opened exits by itself", () => {
  it("await using connectMcp()", async () => {
    const run = await runScript("mcp", { SOAK_URL: server.url, SOAK_FILE: server.notebookPath });
    expect(run.stderr).toBe("");
    expect(run.stdout.trim()).toBe("ok over mcp");
    expect(run.code).toBe(0);
  });

  itWhen("sseSessions")("await using launchServer(), connect(), openSession() and events()", { timeout: 120_000 }, async () => {
    const dir = await makeTempDir("exit-launch-");
    const notebook = join(dir, "launched.py");
    await writeFile(notebook, SIMPLE_NOTEBOOK);
    const run = await runScript("launch", { SOAK_MARIMO: MARIMO_BIN, SOAK_NOTEBOOK: notebook, XDG_STATE_HOME: join(dir, "state") });
    expect(run.stderr).toBe("");
    expect(run.stdout.trim()).toBe("ok launched kernel_ready");
    expect(run.code).toBe(0);
  });

  it("await using serveMcpHttp()", async () => {
    const run = await runScript("serve", {});
    expect(run.stderr).toBe("");
    expect(run.stdout.trim()).toMatch(/^ok \d+ tools$/);
    expect(run.code).toBe(0);
  });
});
