/**
 * A child process started in its own process group, so that it and everything it starts
 * (marimo's kernels, `uv run`'s interpreter) can be ended together. Keeps the tail of its
 * output for error messages, and never keeps this Node process alive on its own.
 *
 * @module
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";

/** How a process ended. @inline */
export interface ExitStatus {
  /** The exit code, or null when a signal ended it. */
  code: number | null;
  /** The signal that ended it, or null. */
  signal: string | null;
}

/** A running process group. */
export interface ProcessTree {
  /** pid of the group leader (the program that was spawned). */
  readonly pid: number;
  /** Resolves when the leader has exited. */
  readonly exited: Promise<ExitStatus>;
  /** True until the leader exits. */
  running(): boolean;
  /** The end of what the program wrote to stderr. */
  stderrTail(): string;
  /** The end of everything it wrote (stdout and stderr interleaved). */
  outputTail(): string;
  /** SIGTERM the group, SIGKILL it after `graceMs`; resolves when the leader has exited and the group is gone. */
  stop(graceMs: number): Promise<void>;
}

const TAIL_CHARS = 8 * 1024;
const live = new Set<ProcessTree & { kill(signal: NodeJS.Signals): void }>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Servers this process launched do not outlive it.
  process.once("exit", () => {
    for (const tree of live) tree.kill("SIGKILL");
  });
}

function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  if (process.platform === "win32") {
    // No process groups: taskkill ends the tree (/T), forcibly (/F) for SIGKILL.
    const args = ["/pid", String(pid), "/T", ...(signal === "SIGKILL" ? ["/F"] : [])];
    return spawnSync("taskkill", args, { stdio: "ignore", windowsHide: true }).status === 0;
  }
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

function groupAlive(pid: number): boolean {
  if (process.platform === "win32") return false;
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function appendTail(tail: string, chunk: string): string {
  const next = tail + chunk;
  return next.length > TAIL_CHARS ? next.slice(next.length - TAIL_CHARS) : next;
}

/**
 * Spawn `argv` detached (its own process group) with piped output.
 *
 * @throws the spawn error (e.g. `ENOENT` with `code`) when the program cannot be started.
 */
export async function spawnTree(
  argv: readonly string[],
  options: { cwd: string; env: Record<string, string | undefined> },
): Promise<ProcessTree> {
  const [program, ...args] = argv;
  if (program === undefined) throw new TypeError("argv must name a program");
  const child: ChildProcess = spawn(program, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    windowsHide: true,
  });
  await new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", reject);
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${program}`);

  let stderr = "";
  let output = "";
  child.stdout?.setEncoding("utf8").on("data", (d: string) => (output = appendTail(output, d)));
  child.stderr?.setEncoding("utf8").on("data", (d: string) => {
    stderr = appendTail(stderr, d);
    output = appendTail(output, d);
  });
  let isRunning = true;
  const exited = new Promise<ExitStatus>((resolve) => {
    child.once("exit", (code, signal) => {
      isRunning = false;
      resolve({ code, signal });
    });
  });
  // Wait for the pipes to drain too, so the tails are complete once `exited` settles.
  const drained = Promise.all([
    new Promise((r) => (child.stdout === null ? r(undefined) : child.stdout.once("close", r))),
    new Promise((r) => (child.stderr === null ? r(undefined) : child.stderr.once("close", r))),
  ]);
  const settled = exited.then(async (status) => {
    await Promise.race([drained, new Promise((r) => setTimeout(r, 500).unref())]);
    return status;
  });

  // Neither the child nor its pipes keep this process alive.
  child.unref();
  (child.stdout as unknown as { unref?: () => void } | null)?.unref?.();
  (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();

  const tree = {
    pid,
    exited: settled,
    running: () => isRunning,
    stderrTail: () => stderr,
    outputTail: () => output,
    kill: (signal: NodeJS.Signals) => void signalGroup(pid, signal),
    async stop(graceMs: number) {
      if (isRunning) {
        signalGroup(pid, "SIGTERM");
        const timer = setTimeout(() => signalGroup(pid, "SIGKILL"), graceMs);
        await exited;
        clearTimeout(timer);
      }
      // Whatever is left in the group (kernels, helpers) ends now.
      signalGroup(pid, "SIGKILL");
      const deadline = Date.now() + 5000;
      while (groupAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      live.delete(tree);
    },
  };
  live.add(tree);
  installExitHook();
  void exited.then(() => {
    // The leader is gone; anything left of the group is ended by stop() or the exit hook.
    if (!groupAlive(pid)) live.delete(tree);
  });
  return tree;
}
