import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { connect, LaunchError, launchServer, type LaunchedServer, MarimoNotFoundError } from "../../src/index.js";
import { startOnce } from "../../src/launch/wait.js";
import { listeningPorts, pickPort } from "../../src/launch/ports.js";
import { has, VERSION } from "../helpers/feature.js";
import {
  makeTempDir,
  MARIMO_BIN,
  openRawSession,
  processesWithEnv,
  SIMPLE_NOTEBOOK,
  startMarimo,
  stopAll,
} from "../helpers/marimo-server.js";

const started: LaunchedServer[] = [];

afterAll(async () => {
  await Promise.all(started.map((s) => s.stop()));
  await stopAll();
});

/** An isolated environment whose processes carry a tag the test can look for in /proc. */
async function isolatedEnv(extra: Record<string, string> = {}) {
  const tag = randomUUID();
  const state = await makeTempDir("launch-state-");
  const env = {
    XDG_STATE_HOME: state,
    XDG_CONFIG_HOME: join(state, "config"),
    XDG_CACHE_HOME: join(state, "cache"),
    MARIMO_SKIP_UPDATE_CHECK: "1",
    MARIMO_PAIR_MARIMO_OF: process.env["MARIMO_PAIR_TEST_RUN"] ?? "adhoc",
    MARIMO_PAIR_SERVER: tag,
    ...extra,
  };
  return { env, state, registryDir: join(state, "marimo", "servers"), processes: () => processesWithEnv("MARIMO_PAIR_SERVER", tag) };
}

async function notebookDir(): Promise<{ dir: string; notebook: string }> {
  const dir = await makeTempDir("launch-nb-");
  const notebook = join(dir, "analysis.py");
  await writeFile(notebook, SIMPLE_NOTEBOOK);
  return { dir, notebook };
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

describe("launchServer against real marimo", () => {
  it("starts an explicit command, registers, answers, and stop() leaves no process", async () => {
    const iso = await isolatedEnv();
    const { notebook } = await notebookDir();
    const server = await launchServer({ command: [MARIMO_BIN], notebook, headless: true, env: iso.env });
    started.push(server);
    expect(server.runner).toBe("command");
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.serverId).toBe(server.url.replace("http://", ""));
    expect(server.version).toBe(VERSION);
    expect(server.argv).toContain("--no-token");
    expect(server.argv).toContain("--headless");
    if (has("skewFreeSessionList")) {
      expect(server.argv).not.toContain("--no-skew-protection");
      expect(server.notes).toEqual([]);
    } else {
      // Before 0.22.3 a skew-protected server stays out of the registry: it was started again without.
      expect(server.argv).toContain("--no-skew-protection");
      expect(server.notes.join(" ")).toMatch(new RegExp(`marimo ${VERSION.replaceAll(".", "\\.")} keeps a skew-protected server out of the registry.*skewProtection: true`));
    }
    const health = await fetch(`${server.url}/health`);
    expect(await health.json()).toEqual({ status: "healthy" });
    expect(await readdir(iso.registryDir)).toEqual([`${server.serverId.replace(":", "_")}.json`]);
    expect((await iso.processes()).length).toBeGreaterThan(0);
    // A kernel: marimo's kernel process calls setsid(), leaving the server's process group,
    // so stop() must find it by ancestry (on 0.21.1 it outlived a group-only stop).
    const owned = await connect(server.url).openSession({});
    expect((await owned.execute("import os\nprint(os.getpgrp() == os.getpid())")).stdout).toBe("True\n");
    await owned.close();

    await server.stop();
    expect(await iso.processes()).toEqual([]);
    // A graceful stop lets marimo remove its registry entry.
    expect(await readdir(iso.registryDir)).toEqual([]);
    await server.stop(); // idempotent
  });

  it("uses the project's .venv when pyproject.toml lists marimo (no uv on PATH)", async () => {
    const project = await makeTempDir("launch-project-");
    await writeFile(join(project, "pyproject.toml"), '[project]\nname = "demo"\nversion = "0.1.0"\ndependencies = ["marimo>=0.21"]\n');
    // The project's environment is ours, linked: cheap, and a real virtualenv layout.
    await symlink(dirname(dirname(MARIMO_BIN)), join(project, ".venv"));
    await mkdir(join(project, "notebooks"));
    const notebook = join(project, "notebooks", "nb.py");
    await writeFile(notebook, SIMPLE_NOTEBOOK);
    const emptyBin = await makeTempDir("launch-path-");
    const iso = await isolatedEnv({ PATH: emptyBin });
    const server = await launchServer({ notebook, cwd: project, headless: true, env: iso.env });
    started.push(server);
    expect(server.runner).toBe("project_venv");
    expect(server.argv[0]).toBe(join(project, ".venv", "bin", "marimo"));
    const sessions = await fetch(`${server.url}/api/sessions`);
    expect(sessions.status).toBe(200);
    await server.stop();
    expect(await iso.processes()).toEqual([]);
  });

  it("starts two servers at once without a port: each gets its own port and registry entry", async () => {
    const iso = await isolatedEnv();
    const [a, b] = await Promise.all([notebookDir(), notebookDir()]);
    const servers = await Promise.all(
      [a, b].map((nb) => launchServer({ command: [MARIMO_BIN], notebook: nb.notebook, headless: true, env: iso.env })),
    );
    started.push(...servers);
    expect(new Set(servers.map((s) => s.url)).size).toBe(2);
    expect((await readdir(iso.registryDir)).sort()).toEqual(servers.map((s) => `${s.serverId.replace(":", "_")}.json`).sort());
    for (const server of servers) expect((await fetch(`${server.url}/health`)).status).toBe(200);
    await Promise.all(servers.map((s) => s.stop()));
    expect(await iso.processes()).toEqual([]);
  });

  it("refuses a taken port without starting marimo, so the other server keeps its registry entry", async () => {
    const iso = await isolatedEnv();
    // The other server registers in the same directory, as two servers of one user do.
    const other = await startMarimo({ stateHome: iso.state });
    try {
      const entries = await readdir(other.registryDir);
      expect(entries).toHaveLength(1);
      const { notebook } = await notebookDir();
      const error = await launchServer({ command: [MARIMO_BIN], notebook, port: other.port, headless: true, env: iso.env }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(LaunchError);
      const launch = error as LaunchError;
      expect(launch.code).toBe("launch_failed");
      expect(launch.reason).toBe("port_in_use");
      expect(launch.message).toMatch(new RegExp(`port ${other.port} on 127\\.0\\.0\\.1 is already in use`));
      expect(launch.attempt.argv).toContain(String(other.port));
      // Only the other server's processes exist, it still answers, and its entry is still there.
      expect((await iso.processes()).length).toBe(0);
      expect((await fetch(`${other.url}/health`)).status).toBe(200);
      expect(await readdir(other.registryDir)).toEqual(entries);
    } finally {
      await other.stop();
    }
  });

  it("finds its server by the port its process group listens on when the registry entry is missing", async () => {
    const iso = await isolatedEnv();
    const { dir, notebook } = await notebookDir();
    const port = await pickPort("127.0.0.1", 20_000 + Math.floor(Math.random() * 20_000));
    const server = await startOnce({
      argv: [MARIMO_BIN, "edit", "--no-token", "--headless", "--port", String(port), notebook],
      cwd: dir,
      env: { ...process.env, ...iso.env },
      plan: { runner: "command", command: [MARIMO_BIN], sandbox: false, projectDir: undefined, notes: [] },
      port,
      host: "127.0.0.1",
      baseUrl: "",
      // Not where marimo writes: as if another server's failed start had removed the entry.
      registryDir: await makeTempDir("no-registry-"),
      deadline: Date.now() + 60_000,
      timeoutMs: 60_000,
      graceMs: 5000,
      signal: undefined,
    });
    started.push(server);
    expect(server.url).toBe(`http://127.0.0.1:${port}`);
    expect(server.version).toBe(VERSION);
    expect(server.notes.join(" ")).toMatch(/registry entry for this server is missing/);
    expect((await listeningPorts(server.pid)).map((l) => l.port)).toContain(port);
    await server.stop();
    expect(await iso.processes()).toEqual([]);
  });

  it("says how to install marimo when none can be found (empty PATH, no project)", async () => {
    const emptyBin = await makeTempDir("launch-path-");
    const { dir, notebook } = await notebookDir();
    const iso = await isolatedEnv({ PATH: emptyBin });
    const error = await launchServer({ notebook, cwd: dir, headless: true, env: iso.env }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MarimoNotFoundError);
    expect((error as MarimoNotFoundError).code).toBe("marimo_not_found");
    expect((error as Error).message).toMatch(/pip install marimo/);
    expect((error as MarimoNotFoundError).searched).toContain("marimo on PATH");
  });

  it("reports a missing program in an explicit command as marimo-not-found", async () => {
    const iso = await isolatedEnv();
    const error = await launchServer({ command: ["/nonexistent/bin/marimo"], headless: true, env: iso.env }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MarimoNotFoundError);
  });

  it("reports a notebook marimo cannot create as notebook_unreadable", async () => {
    const iso = await isolatedEnv();
    const dir = await makeTempDir("launch-nb-");
    const error = await launchServer({
      command: [MARIMO_BIN],
      notebook: join(dir, "missing-dir", "nb.py"),
      cwd: dir,
      headless: true,
      env: iso.env,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LaunchError);
    expect((error as LaunchError).reason).toBe("notebook_unreadable");
    expect((error as LaunchError).stderrTail).toMatch(/Parent directory does not exist/);
    expect((error as LaunchError).exitCode).not.toBe(0);
  });

  it("passes the sandbox flag this marimo takes, and reports marimo's own complaint when uv is missing", async () => {
    // marimo's own help is the oracle: `--sandbox [uv|pixi]` (newer releases take a backend) or a bare `--sandbox`.
    const help = execFileSync(MARIMO_BIN, ["edit", "--help"], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    const flag = /--sandbox \[uv\|pixi\]/.test(help) ? "--sandbox=uv" : "--sandbox";
    const emptyBin = await makeTempDir("launch-path-");
    const iso = await isolatedEnv({ PATH: emptyBin });
    const { notebook } = await notebookDir();
    const error = await launchServer({ command: [MARIMO_BIN], notebook, sandbox: true, headless: true, env: iso.env }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LaunchError);
    const launch = error as LaunchError;
    expect(launch.attempt.argv).toContain(flag);
    expect(launch.reason).toBe("startup_crash");
    expect(launch.stderrTail).toMatch(/uv must be installed to use --sandbox/);
    expect(await iso.processes()).toEqual([]);
  });

  it("gives up at the deadline with a timeout error and ends the process tree", async () => {
    const iso = await isolatedEnv();
    const { notebook } = await notebookDir();
    const error = await launchServer({ command: [MARIMO_BIN], notebook, headless: true, env: iso.env, timeoutMs: 300 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LaunchError);
    expect((error as LaunchError).reason).toBe("timeout");
    expect(await iso.processes()).toEqual([]);
  });

  it("ends the whole process tree when the signal aborts, during startup and after", async () => {
    const iso = await isolatedEnv();
    const { notebook } = await notebookDir();
    const early = new AbortController();
    const pending = launchServer({ command: [MARIMO_BIN], notebook, headless: true, env: iso.env, signal: early.signal });
    setTimeout(() => early.abort(new Error("changed my mind")), 200);
    await expect(pending).rejects.toThrow("changed my mind");
    expect(await iso.processes()).toEqual([]);

    const late = new AbortController();
    const server = await launchServer({ command: [MARIMO_BIN], notebook, headless: true, env: iso.env, signal: late.signal });
    started.push(server);
    // Start a kernel too, so the tree has more than the server in it.
    const session = await openRawSession({ url: server.url, token: undefined }, { sessionId: "s_launch1" });
    expect(await eventually(async () => (await iso.processes()).length >= 2)).toBe(true);
    late.abort();
    expect(await eventually(async () => (await iso.processes()).length === 0)).toBe(true);
    await server.exited;
    session.close();
    expect(existsSync(join(iso.registryDir, `${server.serverId.replace(":", "_")}.json`))).toBe(false);
  });
});
