/**
 * The call log for evaluation harnesses that count executions: one UTC timestamp line
 * per `exec` call, appended to the file named by `MARIMO_PAIR_EXEC_LOG` (and, for
 * harnesses written for the bash scripts, `EXECUTE_CODE_LOG`).
 *
 * @module
 */
import type { CliIo } from "./io.js";

/** Environment variables naming call-log files, in order of preference. */
export const EXEC_LOG_VARIABLES = ["MARIMO_PAIR_EXEC_LOG", "EXECUTE_CODE_LOG"] as const;

/** `2026-11-24T09:30:00Z`: UTC, whole seconds. */
export function logTimestamp(now: Date): string {
  return now.toISOString().replace(/\.\d+Z$/, "Z");
}

/** Append one timestamp line to every distinct log file named in the environment. A failure only warns. */
export async function logExecCall(io: CliIo, now = new Date()): Promise<void> {
  const paths = new Set<string>();
  for (const name of EXEC_LOG_VARIABLES) {
    const value = io.env[name];
    if (value !== undefined && value !== "") paths.add(value);
  }
  for (const path of paths) {
    try {
      await process.getBuiltinModule("node:fs/promises").appendFile(path, `${logTimestamp(now)}\n`);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? String(error);
      await io.stderr.write(`marimo-pair: warning: could not append to the call log '${path}' (${reason})\n`);
    }
  }
}
