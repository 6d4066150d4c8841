/**
 * The command table: each command's spec (cheap, static) and a loader that imports its
 * implementation only when it runs, so `--help` and `--version` load no library code.
 *
 * @module
 */
import type { CliIo } from "./io.js";
import type { CommandSpec, ParsedArgs } from "./spec.js";
import { APPLY_SPEC } from "./specs/apply.js";
import { CELLS_SPEC } from "./specs/cells.js";
import { DISCOVER_SPEC } from "./specs/discover.js";
import { EXEC_SPEC } from "./specs/exec.js";
import { MCP_SPEC } from "./specs/mcp.js";
import { OPEN_SPEC } from "./specs/open.js";
import { SESSIONS_SPEC } from "./specs/sessions.js";
import { SCREENSHOT_SPEC } from "./specs/screenshot.js";

/** A command implementation: gets parsed arguments, returns the exit status. */
export type CommandRun = (args: ParsedArgs, io: CliIo) => Promise<number>;

/** A command: its spec and how to load its implementation. */
export interface CommandEntry {
  /** Options and help. */
  spec: CommandSpec;
  /** Import the implementation. */
  load(): Promise<CommandRun>;
}

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  { spec: DISCOVER_SPEC, load: async () => (await import("./commands/discover.js")).runDiscover },
  { spec: EXEC_SPEC, load: async () => (await import("./commands/exec.js")).runExec },
  { spec: OPEN_SPEC, load: async () => (await import("./commands/open.js")).runOpen },
  { spec: SESSIONS_SPEC, load: async () => (await import("./commands/sessions.js")).runSessions },
  { spec: CELLS_SPEC, load: async () => (await import("./commands/cells.js")).runCells },
  { spec: APPLY_SPEC, load: async () => (await import("./commands/apply.js")).runApply },
  { spec: MCP_SPEC, load: async () => (await import("./commands/mcp.js")).runMcp },
  { spec: SCREENSHOT_SPEC, load: async () => (await import("./commands/screenshot.js")).runScreenshot },
];

/** The command named `name`, if any. */
export function findCommand(name: string): CommandEntry | undefined {
  return COMMANDS.find((c) => c.spec.name === name);
}
