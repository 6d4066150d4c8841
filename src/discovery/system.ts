/**
 * The operating-system access discovery needs, behind one interface so tests (and unusual
 * environments) can replace it: running a helper command (`cmd.exe`, `wslpath`,
 * `tasklist.exe`, `ip`), reading small system files (`/proc/...`), `kill(pid, 0)` and deleting
 * a stale registry file.
 *
 * @module
 */
import { execFile } from "node:child_process";
import { readFile, unlink } from "node:fs/promises";

/** What a finished command printed. */
export interface CommandResult {
  /** The exit code, or null when a signal (or the timeout) ended it. */
  exitCode: number | null;
  /** Standard output, decoded (UTF-16LE output, as some Windows tools write to pipes, is detected). */
  stdout: string;
  /** Standard error, decoded. */
  stderr: string;
}

/** Options of one {@link CommandRunner} call. */
export interface CommandRunOptions {
  /** Kill the command after this many ms. */
  timeoutMs: number;
  /** Extra environment variables (added to the current environment). */
  env?: Readonly<Record<string, string>>;
  /** Aborts the command. */
  signal?: AbortSignal | undefined;
}

/**
 * Runs a program without a shell and collects its output. Resolves even when the program
 * exits non-zero; rejects only when it cannot be started (e.g. `ENOENT`: not found), times
 * out or is aborted.
 */
export type CommandRunner = (
  command: string,
  args: readonly string[],
  options: CommandRunOptions,
) => Promise<CommandResult>;

/** Operating-system access used by discovery. Every member has a Node default. */
export interface DiscoverySystem {
  /** Run a helper command. @default a `child_process.execFile` wrapper */
  runCommand: CommandRunner;
  /** Read a small text file such as `/proc/version`; rejects when it cannot. @default `fs.readFile` */
  readTextFile: (path: string) => Promise<string>;
  /**
   * Check a local pid like `process.kill(pid, 0)`: returns when the process exists and may be
   * signalled, throws an error with `code` `ESRCH` (no such process) or `EPERM` (exists, owned by
   * another user) otherwise. @default `process.kill`
   */
  kill: (pid: number, signal: 0) => void;
  /** Delete a stale registry file. @default `fs.unlink` */
  removeFile: (path: string) => Promise<void>;
}

const OUTPUT_LIMIT = 4 * 1024 * 1024;

function decode(output: Buffer): string {
  // A NUL byte in short console output means UTF-16LE (e.g. `cmd.exe /u`).
  if (output.length >= 2 && output.includes(0)) return output.toString("utf16le").replace(/^\uFEFF/, "");
  return output.toString("utf8");
}

/** The default {@link CommandRunner}: `execFile` with a timeout, a bounded output and no window. */
export const runCommand: CommandRunner = (command, args, options) =>
  new Promise((resolve, reject) => {
    execFile(
      command,
      [...args],
      {
        encoding: "buffer",
        timeout: options.timeoutMs,
        maxBuffer: OUTPUT_LIMIT,
        windowsHide: true,
        env: { ...process.env, ...options.env },
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      },
      (error, stdout, stderr) => {
        const failure = error as (NodeJS.ErrnoException & { killed?: boolean }) | null;
        // A started program that exits non-zero has a numeric `code`; anything else is a failure to run.
        if (failure !== null && (typeof failure.code !== "number" || failure.killed === true)) {
          reject(failure);
          return;
        }
        resolve({
          exitCode: failure === null ? 0 : (failure.code as unknown as number),
          stdout: decode(stdout),
          stderr: decode(stderr),
        });
      },
    );
  });

/** The Node implementation of {@link DiscoverySystem}. */
export const nodeSystem: DiscoverySystem = {
  runCommand,
  readTextFile: (path) => readFile(path, "utf8"),
  kill: (pid, signal) => {
    process.kill(pid, signal);
  },
  removeFile: (path) => unlink(path),
};

/** Fill the members of a partial {@link DiscoverySystem} that the caller left out. */
export function resolveSystem(partial: Partial<DiscoverySystem> | undefined): DiscoverySystem {
  return { ...nodeSystem, ...partial };
}

/** The `code` of a Node system error, or undefined. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}
