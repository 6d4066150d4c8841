/**
 * Is a registry entry's process alive? Local pids are checked with `kill(pid, 0)`; pids of the
 * Windows host (seen from WSL) with one `tasklist.exe` listing. Three answers: alive, dead
 * (certainly gone) and unknown (could not tell) — only "dead" ever allows deleting a file.
 *
 * @module
 */
import type { DiscoverySystem } from "./system.js";
import { errorCode } from "./system.js";
import type { PidState } from "./types.js";
import { runWindowsProgram } from "./wsl.js";

/**
 * The state of a local pid. `ESRCH` → dead; `EPERM` (another user's process) → alive; any other
 * failure → unknown. On Linux a zombie (exited, not yet reaped) counts as dead.
 */
export async function localPidState(pid: number, system: DiscoverySystem, platform: NodeJS.Platform): Promise<PidState> {
  if (!Number.isSafeInteger(pid) || pid <= 0) return "unknown";
  try {
    system.kill(pid, 0);
  } catch (error) {
    const code = errorCode(error);
    if (code === "ESRCH") return "dead";
    if (code === "EPERM") return "alive";
    return "unknown";
  }
  if (platform === "linux") {
    try {
      const stat = await system.readTextFile(`/proc/${pid}/stat`);
      if (/^\d+ \(.*\) Z /s.test(stat)) return "dead";
    } catch {
      /* not readable: kill() said alive */
    }
  }
  return "alive";
}

/** The command line of a local process (Linux `/proc/<pid>/cmdline`), or undefined when unknown. */
export async function localProcessCommand(
  pid: number,
  system: DiscoverySystem,
  platform: NodeJS.Platform,
): Promise<string | undefined> {
  if (platform !== "linux") return undefined;
  try {
    const text = (await system.readTextFile(`/proc/${pid}/cmdline`)).split("\0").join(" ").trim();
    return text === "" ? undefined : text;
  } catch {
    return undefined;
  }
}

/**
 * Parse `tasklist.exe /FO CSV /NH` output into pid → image name. Returns undefined when the text
 * does not have the expected shape (tasklist prints errors and "no tasks" notes with exit code 0,
 * in the system's language), so a failed listing is never mistaken for "process gone".
 */
export function parseTasklistCsv(text: string): Map<number, string> | undefined {
  const processes = new Map<number, string>();
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === "") continue;
    const row = /^"((?:[^"]|"")*)","(\d+)",/.exec(line.trim());
    if (row === null) return undefined;
    processes.set(Number(row[2]), (row[1] ?? "").replaceAll('""', '"'));
  }
  // A real listing always has rows (at least tasklist.exe itself).
  return processes.size === 0 ? undefined : processes;
}

/**
 * The Windows host's processes (pid → image name), or undefined when they cannot be listed.
 * One full listing answers for every pid at once; a pid missing from a well-formed listing is
 * certainly gone.
 */
export async function windowsProcessTable(
  system: DiscoverySystem,
  signal?: AbortSignal,
): Promise<Map<number, string> | undefined> {
  try {
    const result = await runWindowsProgram(system, "tasklist.exe", ["/FO", "CSV", "/NH"], signal);
    return result.exitCode === 0 ? parseTasklistCsv(result.stdout) : undefined;
  } catch {
    return undefined;
  }
}

/** The state of a Windows-host pid according to a listing from {@link windowsProcessTable}. */
export function windowsPidState(pid: number, table: Map<number, string> | undefined): PidState {
  if (table === undefined) return "unknown";
  return table.has(pid) ? "alive" : "dead";
}

/**
 * True when a process command line or image name could be a marimo server (marimo runs under
 * Python, possibly started through uv or pixi). False means the pid now belongs to something else.
 */
export function couldBeMarimo(command: string): boolean {
  return /marimo|python|\buvx?(?:\.exe)?\b|pixi/i.test(command);
}
