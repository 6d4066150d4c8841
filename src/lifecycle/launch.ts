/**
 * {@link launchServer}: start `marimo edit` the way a careful person would, wait until it
 * is really up, and end it (with its kernels) on `stop()`, on abort, or when this process exits.
 *
 * @module
 */
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { connect } from "../session/client.js";
import { LaunchError, MarimoNotFoundError, isNotebookUnreadable, isPortInUse, type LaunchAttempt } from "./launch-errors.js";
import { planLaunch, type LaunchPlan, type LaunchProbe, type RunnerKind } from "./launch-plan.js";
import { createNodeProbe } from "./launch-probe.js";
import { registryDirectory } from "../discovery/paths.js";
import { entryUrl, findOwnEntry } from "./launch-registry.js";
import { spawnTree, type ExitStatus, type ProcessTree } from "./process-tree.js";

/** Options of {@link launchServer}. */
export interface LaunchOptions {
  /** The notebook file (created by marimo if missing) or a directory of notebooks; relative to `cwd`. @default the working directory */
  notebook?: string | undefined;
  /** Working directory of marimo. @default process.cwd() */
  cwd?: string | undefined;
  /**
   * The program (and leading arguments) that runs marimo, e.g. `["uv", "run", "marimo"]` or
   * `["/path/.venv/bin/marimo"]`. Skips the decision tree.
   * @default chosen by the decision tree (project runner, `marimo` on PATH, `uvx marimo`)
   */
  command?: readonly string[] | undefined;
  /** Port. @default marimo's choice: the first free port from 2718 */
  port?: number | undefined;
  /** Bind address. @default marimo's default, 127.0.0.1 */
  host?: string | undefined;
  /**
   * Do not open a browser tab. Without a display (no `DISPLAY`/`WAYLAND_DISPLAY` on Linux)
   * marimo always starts headless.
   * @default false
   */
  headless?: boolean | undefined;
  /** Force marimo's sandbox on or off. @default on for a notebook with a PEP 723 header (when uv exists) */
  sandbox?: boolean | undefined;
  /** Keep marimo's skew protection (POSTs other than execute need the page's token; the SDK fetches it). @default true */
  skewProtection?: boolean | undefined;
  /** Extra `marimo edit` options, placed before the notebook (not `--token`: discovery needs `--no-token`). */
  args?: readonly string[] | undefined;
  /**
   * Environment of marimo, merged over `process.env` (`undefined` removes a variable). The
   * registry entry is looked for under this environment's `XDG_STATE_HOME`, and programs on
   * its `PATH`.
   */
  env?: Record<string, string | undefined> | undefined;
  /** How long to wait for the registry entry and `/health`, in ms. @default 60000 */
  timeoutMs?: number | undefined;
  /** How long `stop()` waits after SIGTERM before SIGKILL, in ms. @default 5000 */
  stopGraceMs?: number | undefined;
  /** Aborting stops the server (during startup the launch rejects with `signal.reason`). */
  signal?: AbortSignal | undefined;
  /** @internal Replace file-system and PATH checks (tests). */
  probe?: LaunchProbe | undefined;
}

/** A server started by {@link launchServer}. */
export interface LaunchedServer {
  /** Base URL (with any `--base-url` prefix), without a trailing slash. */
  url: string;
  /** `"<host>:<port>"`, as in marimo's registry. */
  serverId: string;
  /** pid of the marimo server process. */
  pid: number;
  /** The server's marimo version. */
  version: string;
  /** Which branch of the decision tree chose the program. */
  runner: RunnerKind;
  /** The command that was run. */
  argv: readonly string[];
  /** Notes about choices made (e.g. a PEP 723 notebook started without a sandbox). */
  notes: readonly string[];
  /** Resolves when the server process has exited (for whatever reason). */
  exited: Promise<ExitStatus>;
  /** The end of marimo's output so far. */
  logs(): string;
  /** End marimo and every process it started: SIGTERM, then SIGKILL after the grace period. Idempotent. */
  stop(): Promise<void>;
}

/** The default {@link LaunchOptions.timeoutMs}. */
export const DEFAULT_LAUNCH_TIMEOUT_MS = 60_000;

function hasDisplay(env: Record<string, string | undefined>): boolean {
  if (process.platform === "darwin" || process.platform === "win32") return true;
  return Boolean(env["DISPLAY"] || env["WAYLAND_DISPLAY"]);
}

function mergedEnv(extra: Record<string, string | undefined> | undefined): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const [key, value] of Object.entries(extra ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** `--sandbox=uv` on marimo ≥ 0.25 (the flag takes a backend), a bare `--sandbox` before. */
async function sandboxFlag(command: readonly string[], cwd: string, env: Record<string, string | undefined>): Promise<string> {
  const [program, ...rest] = command;
  if (program === undefined) return "--sandbox";
  const help = await new Promise<string>((done) => {
    // `uvx marimo` may download marimo first: allow it time.
    execFile(program, [...rest, "edit", "--help"], { cwd, env, timeout: 120_000, windowsHide: true }, (_error, stdout) =>
      done(String(stdout)),
    );
  });
  return /--sandbox \[uv\|pixi\]/.test(help) ? "--sandbox=uv" : "--sandbox";
}

function failure(tree: ProcessTree, status: ExitStatus, attempt: LaunchAttempt, plan: LaunchPlan): Error {
  const tail = tree.stderrTail();
  const details = { stderrTail: tail, attempt, exitCode: status.code };
  if (status.code === 127 || /Failed to spawn: `marimo`|No module named marimo/.test(tail)) {
    return new MarimoNotFoundError([plan.command.join(" ")], tail);
  }
  if (isPortInUse(tail)) return new LaunchError("port-in-use", "marimo could not listen: the port is already in use", details);
  if (isNotebookUnreadable(tail)) return new LaunchError("notebook-unreadable", "marimo could not open the notebook", details);
  const how = status.code === null ? `was killed by ${status.signal ?? "a signal"}` : `exited with code ${status.code}`;
  return new LaunchError("startup-crash", `marimo ${how} during startup`, details);
}

/**
 * Start `marimo edit` for a notebook and wait until it answers.
 *
 * The program comes from the decision tree (see {@link planLaunch}): an explicit `command`;
 * a project whose `pyproject.toml` lists marimo (its `uv run`, `pixi run` or `.venv`); a
 * notebook with a PEP 723 header gets marimo's sandbox; else `marimo` on PATH; else
 * `uvx marimo`. marimo always runs with `--no-token`, so it registers itself for discovery
 * and the SDK needs no token. Startup is over when marimo's registry entry (written by a
 * process of the launched group) exists and `/health` answers.
 *
 * The server is ended with its kernels by `stop()`, by `signal`, or when this Node process
 * exits.
 *
 * @throws {MarimoNotFoundError} when no way to run marimo is found.
 * @throws {LaunchError} when marimo does not come up (`reason`: `port-in-use`,
 *   `notebook-unreadable`, `startup-crash`, `timeout`), with marimo's stderr tail.
 * @example
 * ```ts
 * const server = await launchServer({ notebook: "analysis.py", headless: true });
 * try {
 *   const nb = await connect(server.url).openSession({ file: "analysis.py" });
 *   console.log((await nb.execute("1 + 1")).output);
 *   nb.close();
 * } finally {
 *   await server.stop();
 * }
 * ```
 */
export async function launchServer(options: LaunchOptions = {}): Promise<LaunchedServer> {
  options.signal?.throwIfAborted();
  const env = mergedEnv(options.env);
  const cwd = resolve(options.cwd ?? process.cwd());
  const notebook = options.notebook === undefined ? undefined : resolve(cwd, options.notebook);
  const plan = await planLaunch(
    { command: options.command, notebook, cwd, sandbox: options.sandbox },
    options.probe ?? createNodeProbe(env),
  );
  const flags = ["--no-token"];
  if (options.headless === true || !hasDisplay(env)) flags.push("--headless");
  if (options.port !== undefined) flags.push("--port", String(options.port));
  if (options.host !== undefined) flags.push("--host", options.host);
  if (options.skewProtection === false) flags.push("--no-skew-protection");
  if (plan.sandbox) flags.push(await sandboxFlag(plan.command, cwd, env));
  flags.push(...(options.args ?? []));
  const argv = [...plan.command, "edit", ...flags, ...(notebook === undefined ? [] : [notebook])];
  const attempt: LaunchAttempt = { argv, cwd };

  let tree: ProcessTree;
  try {
    tree = await spawnTree(argv, { cwd, env });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "ENOENT" || code === "EACCES") throw new MarimoNotFoundError([argv[0] ?? ""], "", { cause: error });
    throw error;
  }

  const graceMs = options.stopGraceMs ?? 5000;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopping ??= tree.stop(graceMs));
  const onAbort = () => void stop();
  const timeoutMs = options.timeoutMs ?? DEFAULT_LAUNCH_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  // A relative XDG_STATE_HOME is relative to marimo's working directory.
  const registryDir = resolve(cwd, registryDirectory({ env }));
  try {
    for (;;) {
      if (options.signal?.aborted === true) throw options.signal.reason;
      if (!tree.running()) throw failure(tree, await tree.exited, attempt, plan);
      if (Date.now() > deadline) {
        throw new LaunchError("timeout", `marimo did not become ready within ${timeoutMs} ms`, {
          stderrTail: tree.stderrTail(),
          attempt,
          exitCode: null,
        });
      }
      const own = await findOwnEntry(registryDir, tree.pid);
      const url = own === undefined ? undefined : entryUrl(own.entry);
      if (own !== undefined && url !== undefined) {
        const healthy = await connect(url, { timeoutMs: 2000, allowRemote: true })
          .health({ signal: options.signal })
          .then((h) => h.status === "healthy")
          .catch(() => false);
        if (healthy && tree.running()) {
          options.signal?.addEventListener("abort", onAbort, { once: true });
          void tree.exited.then(() => options.signal?.removeEventListener("abort", onAbort));
          return {
            url: url.replace(/\/+$/, ""),
            serverId: own.entry.server_id,
            pid: own.entry.pid,
            version: own.entry.version,
            runner: plan.runner,
            argv,
            notes: plan.notes,
            exited: tree.exited,
            logs: () => tree.outputTail(),
            stop,
          };
        }
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  } catch (error) {
    await stop();
    throw error;
  }
}
