/**
 * A child process started in its own process group, so that it and everything it starts
 * (marimo's kernels, `uv run`'s interpreter) can be ended together. Keeps the tail of its
 * output for error messages, and never keeps this Node process alive on its own.
 *
 * @module
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

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

/** A process as /proc tells it: parent, process group, and start time (which tells a reused pid apart). */
interface ProcEntry {
  pid: number;
  ppid: number;
  pgrp: number;
  start: string;
}

function procEntry(pid: number): ProcEntry | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "latin1");
  } catch {
    return undefined;
  }
  // After "(comm)": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
  // utime stime cutime cstime priority nice threads itrealvalue starttime …
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { pid, ppid: Number(fields[1]), pgrp: Number(fields[2]), start: fields[19] ?? "" };
}

/**
 * The descendants of `leader` that left its process group (marimo's kernels call `setsid`),
 * so that signalling the group misses them. Linux only (from /proc); [] elsewhere.
 */
function escapedDescendants(leader: number): ProcEntry[] {
  if (process.platform !== "linux") return [];
  let names: string[];
  try {
    names = readdirSync("/proc");
  } catch {
    return [];
  }
  const children = new Map<number, ProcEntry[]>();
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const entry = procEntry(Number(name));
    if (entry === undefined) continue;
    children.set(entry.ppid, [...(children.get(entry.ppid) ?? []), entry]);
  }
  const escaped: ProcEntry[] = [];
  const queue = [leader];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    for (const child of children.get(pid) ?? []) {
      if (child.pgrp !== leader) escaped.push(child);
      queue.push(child.pid);
    }
  }
  return escaped;
}

/** SIGKILL each process of `entries` still alive as the same process (not a reused pid). */
function killSurvivors(entries: readonly ProcEntry[]): void {
  for (const entry of entries) {
    if (procEntry(entry.pid)?.start !== entry.start) continue;
    try {
      process.kill(entry.pid, "SIGKILL");
    } catch {
      /* gone meanwhile */
    }
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
    kill: (signal: NodeJS.Signals) => {
      const escaped = escapedDescendants(pid);
      signalGroup(pid, signal);
      if (signal === "SIGKILL") killSurvivors(escaped);
    },
    async stop(graceMs: number) {
      // Kernels that left the group are found while the leader is still their parent.
      const escaped = isRunning ? escapedDescendants(pid) : [];
      if (isRunning) {
        signalGroup(pid, "SIGTERM");
        const timer = setTimeout(() => signalGroup(pid, "SIGKILL"), graceMs);
        await exited;
        clearTimeout(timer);
      }
      // Whatever is left in the group (kernels, helpers), or escaped it, ends now.
      signalGroup(pid, "SIGKILL");
      killSurvivors(escaped);
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
