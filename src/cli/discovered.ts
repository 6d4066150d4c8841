/**
 * Placeholder until discovery lands: commands without --url cannot pick a server yet.
 *
 * @module
 */
import type { SessionSelector } from "../session/types.js";
import type { FailureContext } from "./guidance.js";
import type { CliIo } from "./io.js";
import type { ResolvedNotebook, TargetOptions } from "./target.js";

/** Select a notebook on a discovered server. */
export async function notebookFromDiscovery(
  _selector: SessionSelector,
  _options: TargetOptions,
  _io: CliIo,
  _context: FailureContext,
): Promise<ResolvedNotebook> {
  throw new Error("discovery is not available yet: pass --url");
}

/** Sessions of every discovered server. */
export async function sessionsOfDiscoveredServers(
  _options: TargetOptions,
  _io: CliIo,
): Promise<{ rows: import("./commands/sessions.js").SessionRow[]; failed: boolean }> {
  throw new Error("discovery is not available yet: pass --url");
}
