/**
 * Real-marimo test harness: starts `marimo edit` from the project's .venv with an
 * isolated XDG_STATE_HOME (so registry files are the test's own), waits for
 * /health with a deadline, opens browser-less sessions over GET /sse, and stops
 * servers cleanly (SIGTERM to the process group, SIGKILL after a grace period).
 *
 * Every spawned process carries MARIMO_PAIR_TEST_RUN in its environment; the
 * global teardown uses it to prove no marimo process outlives the suite.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { hasFeature } from "../../src/version.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * The virtualenv whose marimo the integration tests start. `MARIMO_PAIR_TEST_MARIMO` picks
 * another one: a version (`0.21.1` → `.venvs/marimo-0.21.1`, as `npm run test:compat`
 * creates them) or the path of a virtualenv directory. Default: the project's `.venv`.
 */
export const TEST_VENV = testVenv(process.env["MARIMO_PAIR_TEST_MARIMO"]);
/** The marimo executable of {@link TEST_VENV}. */
export const MARIMO_BIN = join(TEST_VENV, process.platform === "win32" ? "Scripts" : "bin", "marimo");
/** The python of {@link TEST_VENV}. */
export const VENV_PYTHON = join(TEST_VENV, process.platform === "win32" ? "Scripts" : "bin", "python");
/** The marimo version installed in {@link TEST_VENV} (read from its dist-info, without starting Python). */
export const TEST_MARIMO_VERSION = installedMarimoVersion(TEST_VENV);

function testVenv(choice: string | undefined): string {
  if (choice === undefined || choice === "") return join(ROOT, ".venv");
  if (/^\d+\.\d+\.\d+\S*$/.test(choice)) return join(ROOT, ".venvs", `marimo-${choice}`);
  return resolve(choice);
}

function installedMarimoVersion(venv: string): string {
  const lib = join(venv, "lib");
  const sitePackages =
    process.platform === "win32"
      ? [join(venv, "Lib", "site-packages")]
      : existsSync(lib)
        ? readdirSync(lib).map((py) => join(lib, py, "site-packages"))
        : [];
  for (const dir of sitePackages) {
    if (!existsSync(dir)) continue;
    const info = readdirSync(dir).find((name) => /^marimo-[^-]+\.dist-info$/.test(name));
    if (info !== undefined) return info.slice("marimo-".length, -".dist-info".length);
  }
  return "unknown";
}

/** A small notebook with one cell defining `x = 1`. */
export const SIMPLE_NOTEBOOK = `import marimo

__generated_with = "0.25.2"
app = marimo.App()


@app.cell
def _():
    x = 1
    return (x,)


if __name__ == "__main__":
    app.run()
`;

/** An empty notebook (no cells). */
export const EMPTY_NOTEBOOK = `import marimo

__generated_with = "0.25.2"
app = marimo.App()


if __name__ == "__main__":
    app.run()
`;

export interface StartMarimoOptions {
  /** Notebook file contents (default {@link SIMPLE_NOTEBOOK}); ignored when `notebooks` is set. */
  notebook?: string;
  /** File name of the notebook inside the temp directory (default `notebook.py`). */
  notebookName?: string;
  /** Several notebooks: name → contents. The server then runs in directory mode. */
  notebooks?: Record<string, string>;
  /** Start with `--token-password` instead of `--no-token`. */
  tokenPassword?: string;
  /** Keep skew protection on (marimo's default). Default false: `--no-skew-protection`. */
  skewProtection?: boolean;
  /** `--base-url` prefix, like `/prefix`. */
  baseUrl?: string;
  /** Reuse a state home (to share one registry directory between servers). */
  stateHome?: string;
  /** Extra CLI arguments for `marimo edit`. */
  extraArgs?: string[];
  /** How long to wait for /health (default 45 s: a loaded 2-core machine is slow to import marimo). */
  startTimeoutMs?: number;
}

export interface MarimoServer {
  /** Base URL including the base-url prefix, without a trailing slash. */
  url: string;
  host: string;
  port: number;
  /** pid of the marimo server process. */
  pid: number;
  /** The isolated XDG_STATE_HOME. */
  stateHome: string;
  /** The registry directory marimo writes to (`<stateHome>/marimo/servers`). */
  registryDir: string;
  /** The temporary working directory holding the notebook(s). */
  dir: string;
  /** Absolute path of the notebook (the first one in directory mode). */
  notebookPath: string;
  /** The token, for `tokenPassword` servers. */
  token: string | undefined;
  /** Everything the server printed so far. */
  output(): string;
  /** SIGTERM the process group, SIGKILL after `graceMs`; removes the temp directory. */
  stop(graceMs?: number): Promise<void>;
  /** Send a signal to the server process only (SIGKILL leaves a stale registry file). */
  kill(signal: NodeJS.Signals): void;
  /** Resolves when the server process has exited. */
  exited: Promise<void>;
  /** pids of every live process (server and kernels) started for this server (Linux only). */
  processes(): Promise<number[]>;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      if (address === null || typeof address === "string") return reject(new Error("no port"));
      srv.close(() => resolvePort(address.port));
    });
  });
}

/** Directory for temp files of this test run. */
export function testTempRoot(): string {
  return process.env["MARIMO_PAIR_TEST_TMP"] ?? join(tmpdir(), "marimo-pair-tests");
}

/** A new temporary directory under {@link testTempRoot} (removed with it by the global teardown). */
export async function makeTempDir(prefix: string): Promise<string> {
  await mkdir(testTempRoot(), { recursive: true });
  return mkdtemp(join(testTempRoot(), prefix));
}

/** Poll `url` until it answers 200 containing "healthy", or throw after `timeoutMs`. */
export async function waitForHealth(url: string, timeoutMs: number, isAlive: () => boolean, output: () => string) {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error(`marimo exited during startup:\n${output()}`);
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
      const body = await res.text();
      if (res.ok && body.includes("healthy")) return;
      last = `HTTP ${res.status} ${body.slice(0, 200)}`;
    } catch (e) {
      last = String(e);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`marimo did not become healthy within ${timeoutMs} ms (${last}):\n${output()}`);
}

const live = new Set<ChildProcess>();
/** The tag of every server not yet stopped: its processes carry it, kernels that left its group too. */
const unstopped = new Set<string>();

/** SIGKILL every process tagged `serverTag` (kernels call setsid, so a group kill can miss them) until none is left. */
async function killTagged(serverTag: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const left = await processesWithEnv("MARIMO_PAIR_SERVER", serverTag);
    if (left.length === 0) return;
    for (const other of left) {
      try {
        process.kill(other, "SIGKILL");
      } catch {
        /* gone */
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Start a real `marimo edit` server. */
export async function startMarimo(options: StartMarimoOptions = {}): Promise<MarimoServer> {
  if (!existsSync(MARIMO_BIN)) {
    throw new Error(`${MARIMO_BIN} is missing: run \`npm run setup\` first.`);
  }
  const dir = await makeTempDir("nb-");
  const stateHome = options.stateHome ?? (await makeTempDir("state-"));
  let target: string;
  let notebookPath: string;
  if (options.notebooks !== undefined) {
    for (const [name, contents] of Object.entries(options.notebooks)) {
      await mkdir(dirname(join(dir, name)), { recursive: true });
      await writeFile(join(dir, name), contents);
    }
    target = dir;
    notebookPath = join(dir, Object.keys(options.notebooks)[0] ?? "notebook.py");
  } else {
    notebookPath = join(dir, options.notebookName ?? "notebook.py");
    await writeFile(notebookPath, options.notebook ?? SIMPLE_NOTEBOOK);
    target = notebookPath;
  }
  const port = await freePort();
  const host = "127.0.0.1";
  const args = ["-y", "edit", target, "--headless", "--port", String(port), "--host", host, "--skip-update-check"];
  if (options.tokenPassword !== undefined) args.push("--token-password-file", "-");
  else args.push("--no-token");
  if (options.skewProtection !== true) args.push("--no-skew-protection");
  if (options.baseUrl !== undefined) args.push("--base-url", options.baseUrl);
  args.push(...(options.extraArgs ?? []));

  const serverTag = randomUUID();
  const child = spawn(MARIMO_BIN, args, {
    cwd: dir,
    detached: true,
    stdio: ["pipe", "pipe", "pipe"],
    env: {
      ...process.env,
      XDG_STATE_HOME: stateHome,
      MARIMO_SKIP_UPDATE_CHECK: "1",
      // Markers for the leak checks: the run (global teardown) and this server.
      MARIMO_PAIR_MARIMO_OF: process.env["MARIMO_PAIR_TEST_RUN"] ?? "adhoc",
      MARIMO_PAIR_SERVER: serverTag,
      // Keep marimo's config/cache out of the developer's home.
      XDG_CONFIG_HOME: join(stateHome, "config"),
      XDG_CACHE_HOME: join(stateHome, "cache"),
      PYTHONUNBUFFERED: "1",
    },
  });
  live.add(child);
  unstopped.add(serverTag);
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  // The password goes through stdin, never through argv.
  child.stdin?.end(options.tokenPassword ?? "");
  let alive = true;
  const exited = new Promise<void>((r) =>
    child.once("exit", () => {
      alive = false;
      live.delete(child);
      r();
    }),
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error("spawn failed");
  const url = `http://${host}:${port}${options.baseUrl ?? ""}`;

  const stop = async (graceMs = 5000): Promise<void> => {
    if (alive) {
      try {
        process.kill(-pid, "SIGTERM");
      } catch {
        /* already gone */
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-pid, "SIGKILL");
        } catch {
          /* gone */
        }
      }, graceMs);
      await exited;
      clearTimeout(timer);
    }
    // Kernel processes share the group; make sure none is left, and wait until the
    // kernel has really gone (a SIGKILLed process lingers briefly before it is reaped).
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      /* gone */
    }
    // A process that left the group (a new session) is killed one by one.
    await killTagged(serverTag);
    unstopped.delete(serverTag);
    await rm(dir, { recursive: true, force: true });
    if (options.stateHome === undefined) await rm(stateHome, { recursive: true, force: true });
  };

  try {
    await waitForHealth(url, options.startTimeoutMs ?? 45_000, () => alive, () => out);
  } catch (e) {
    await stop(1000);
    throw e;
  }
  return {
    url,
    host,
    port,
    pid,
    stateHome,
    registryDir: join(stateHome, "marimo", "servers"),
    dir,
    notebookPath,
    token: options.tokenPassword,
    output: () => out,
    stop,
    kill: (signal) => {
      try {
        process.kill(pid, signal);
      } catch {
        /* gone */
      }
    },
    exited,
    processes: () => processesWithEnv("MARIMO_PAIR_SERVER", serverTag),
  };
}

/** pids of live processes whose environment has `name=value` (Linux /proc; [] elsewhere). */
export async function processesWithEnv(name: string, value: string): Promise<number[]> {
  if (process.platform !== "linux") return [];
  const found: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const env = await readFile(`/proc/${entry}/environ`, "latin1");
      if (!env.split("\0").includes(`${name}=${value}`)) continue;
      const stat = await readFile(`/proc/${entry}/stat`, "latin1");
      // Zombies (state Z) have exited; they only wait to be reaped.
      if (/^\d+ \(.*\) Z /s.test(stat)) continue;
      found.push(Number(entry));
    } catch {
      /* exited, or not readable */
    }
  }
  return found;
}

/** Stop every server this worker started (safety net for afterAll). */
export async function stopAll(): Promise<void> {
  await Promise.all(
    [...live].map(async (child) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        /* gone */
      }
    }),
  );
  // marimo 0.21's kernels leave the group and, unlike later releases, do not notice the server die.
  await Promise.all([...unstopped].map(async (tag) => (await killTagged(tag), unstopped.delete(tag))));
}

export interface RawSession {
  sessionId: string;
  /** The first message marimo sent (kernel-ready for a new session). */
  firstMessage: unknown;
  /** Close the /sse stream (the session becomes orphaned, and stays). */
  close(): void;
}

/**
 * Open a session without a browser by reading GET /sse (marimo ≥ 0.23.14, `sseSessions`) or,
 * on older releases, the `/ws` WebSocket, the way the SDK's own openSession does, but with
 * raw fetch and WebSocket so tests do not depend on the code under test.
 */
export async function openRawSession(
  server: Pick<MarimoServer, "url" | "token">,
  options: { file?: string; sessionId?: string; timeoutMs?: number } = {},
): Promise<RawSession> {
  const sessionId = options.sessionId ?? `s_t${Math.random().toString(36).slice(2, 8)}`;
  const params = new URLSearchParams({ session_id: sessionId });
  if (options.file !== undefined) params.set("file", options.file);
  if (!hasFeature(TEST_MARIMO_VERSION, "sseSessions")) return openRawWebSocket(server, sessionId, params, options.timeoutMs ?? 45_000);
  const controller = new AbortController();
  const headers: Record<string, string> = { Accept: "text/event-stream" };
  if (server.token !== undefined) headers["Authorization"] = `Bearer ${server.token}`;
  const res = await fetch(`${server.url}/sse?${params}`, { headers, signal: controller.signal });
  if (!res.ok || res.body === null) throw new Error(`GET /sse answered ${res.status}`);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  const deadline = Date.now() + (options.timeoutMs ?? 45_000);
  let first: unknown;
  while (first === undefined) {
    if (Date.now() > deadline) throw new Error("no kernel-ready on /sse");
    const { value, done } = await reader.read();
    if (done) throw new Error(`/sse ended before kernel-ready: ${buffer}`);
    buffer += value;
    const m = /^data: (.*)$/m.exec(buffer);
    if (m?.[1] !== undefined) first = JSON.parse(m[1]);
    if (/^event: close$/m.test(buffer)) throw new Error(`/sse closed: ${buffer}`);
  }
  // Keep draining so the server never blocks on a full socket.
  void (async () => {
    try {
      for (;;) {
        const { done } = await reader.read();
        if (done) return;
      }
    } catch {
      /* aborted */
    }
  })();
  return { sessionId, firstMessage: first, close: () => controller.abort() };
}

/** {@link openRawSession} over `/ws`, for releases without `GET /sse`. */
async function openRawWebSocket(
  server: Pick<MarimoServer, "url" | "token">,
  sessionId: string,
  params: URLSearchParams,
  timeoutMs: number,
): Promise<RawSession> {
  const url = new URL(`${server.url}/ws?${params}`);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  // Node's WebSocket (undici) takes headers, which keeps the token out of the URL. Basic, not
  // Bearer: marimo 0.21 knows only Basic (any user name, the token as password).
  const basic = Buffer.from(`marimo:${server.token ?? ""}`).toString("base64");
  const init = server.token === undefined ? undefined : { headers: { Authorization: `Basic ${basic}` } };
  const socket = new WebSocket(url, init as unknown as string[]);
  const first = await new Promise<unknown>((resolveFirst, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error("no kernel-ready on /ws"));
    }, timeoutMs);
    socket.addEventListener("message", (event) => {
      clearTimeout(timer);
      try {
        resolveFirst(JSON.parse(String(event.data)));
      } catch (e) {
        reject(e);
      }
    });
    socket.addEventListener("close", (event) => {
      clearTimeout(timer);
      reject(new Error(`/ws closed: ${event.code} ${event.reason}`));
    });
    socket.addEventListener("error", () => undefined);
  });
  return { sessionId, firstMessage: first, close: () => socket.close(1000) };
}
