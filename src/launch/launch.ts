/**
 * {@link launchServer}: start `marimo edit` the way a careful person would, wait until it
 * is really up, and end it (with its kernels) on `stop()`, on abort, or when this process exits.
 *
 * @module
 */
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { registryDirectory } from "../discovery/paths.js";
import { LaunchError } from "./errors.js";
import { planLaunch, type LaunchProbe } from "./plan.js";
import { createNodeProbe } from "./probe.js";
import { isPortFree, pickPort } from "./ports.js";
import { type LaunchedServer, startOnce } from "./wait.js";
import { hasFeature, MARIMO_FEATURES } from "../version.js";

export type { LaunchedServer } from "./wait.js";

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
  /** Port. @default the first free port from 2718 (marimo's own rule), chosen before starting it */
  port?: number | undefined;
  /** Bind address. @default 127.0.0.1 (marimo's default) */
  host?: string | undefined;
  /**
   * Do not open a browser tab. Without a display (no `DISPLAY`/`WAYLAND_DISPLAY` on Linux)
   * marimo always starts headless.
   * @default false
   */
  headless?: boolean | undefined;
  /** Force marimo's sandbox on or off. @default on for a notebook with a PEP 723 header (when uv exists) */
  sandbox?: boolean | undefined;
  /**
   * Keep marimo's skew protection (POSTs other than execute need the page's token; the SDK
   * fetches it). Left unset, a marimo older than 0.22.3 (which keeps a skew-protected server
   * out of the registry and lists none of its sessions) is started again without it, with a
   * note in `notes`.
   * @default true
   */
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

/** The default {@link LaunchOptions.timeoutMs}. */
export const DEFAULT_LAUNCH_TIMEOUT_MS = 60_000;

/** How often a start is tried when the chosen port was taken before marimo could bind it. */
const PORT_RACE_ATTEMPTS = 3;

/** The `--base-url` among extra arguments, `""` when none. */
function baseUrlOf(args: readonly string[]): string {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "--base-url") return args[i + 1] ?? "";
    if (arg.startsWith("--base-url=")) return arg.slice("--base-url=".length);
  }
  return "";
}

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

/** The implementation of `launchServer` (see `./public.ts`, which loads this module on first call). */
export async function launchServer(options: LaunchOptions = {}): Promise<LaunchedServer> {
  options.signal?.throwIfAborted();
  const env = mergedEnv(options.env);
  const cwd = resolve(options.cwd ?? process.cwd());
  const notebook = options.notebook === undefined ? undefined : resolve(cwd, options.notebook);
  const plan = await planLaunch(
    { command: options.command, notebook, cwd, sandbox: options.sandbox },
    options.probe ?? createNodeProbe(env),
  );
  const host = options.host ?? "127.0.0.1";
  const flags = ["--no-token", "--host", host];
  if (options.headless === true || !hasDisplay(env)) flags.push("--headless");
  if (options.skewProtection === false) flags.push("--no-skew-protection");
  if (plan.sandbox) flags.push(await sandboxFlag(plan.command, cwd, env));
  flags.push(...(options.args ?? []));
  const argvFor = (port: number, extra: readonly string[]) => [
    ...plan.command,
    "edit",
    ...flags,
    ...extra,
    "--port",
    String(port),
    ...(notebook === undefined ? [] : [notebook]),
  ];

  const timeoutMs = options.timeoutMs ?? DEFAULT_LAUNCH_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  if (options.port !== undefined && !(await isPortFree(options.port, host))) {
    // Not started at all: a marimo that fails to bind still removes the registry entry of
    // the server that holds the port (it registers before binding and deregisters on exit).
    throw new LaunchError("port_in_use", `port ${options.port} on ${host} is already in use; marimo was not started`, {
      stderrTail: "",
      attempt: { argv: argvFor(options.port, []), cwd },
      exitCode: null,
    });
  }
  const start = async (extra: readonly string[]): Promise<LaunchedServer> => {
    let port = options.port ?? (await pickPort(host));
    for (let attempt = 1; ; attempt++) {
      try {
        return await startOnce({
          argv: argvFor(port, extra),
          cwd,
          env,
          plan,
          port,
          host,
          baseUrl: baseUrlOf(options.args ?? []),
          // A relative XDG_STATE_HOME is relative to marimo's working directory.
          registryDir: resolve(cwd, registryDirectory({ env })),
          deadline,
          timeoutMs,
          graceMs: options.stopGraceMs ?? 5000,
          signal: options.signal,
        });
      } catch (error) {
        // A port chosen here can be taken by another process before marimo binds it: take the next one.
        const raced = error instanceof LaunchError && error.reason === "port_in_use" && options.port === undefined;
        if (!raced || attempt >= PORT_RACE_ATTEMPTS || Date.now() > deadline) throw error;
        port = await pickPort(host, port + 1);
      }
    }
  };
  const server = await start([]);
  const chosen = options.skewProtection !== undefined || flags.includes("--no-skew-protection") || flags.includes("--skew-protection");
  if (chosen || hasFeature(server.version, "skewFreeSessionList")) return server;
  // Before 0.22.3 a skew-protected marimo skips the registry and lists no sessions, so
  // nothing could find it: start it again without (the version is known only once it runs).
  await server.stop();
  const again = await start(["--no-skew-protection"]);
  return { ...again, notes: [...again.notes, restartedNote(server.version)] };
}

function restartedNote(version: string): string {
  return (
    `marimo ${version} keeps a skew-protected server out of the registry and lists none of its sessions ` +
    `(fixed in ${MARIMO_FEATURES.skewFreeSessionList.since}), so it was started again with --no-skew-protection; ` +
    "pass skewProtection: true to keep the protection."
  );
}

