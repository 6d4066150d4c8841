/**
 * Types of discovery results. Kept free of `node:` imports so the client entry
 * can accept a {@link DiscoveredServer} without pulling in discovery itself.
 *
 * @module
 */

/** Where a registry entry was found. @inline */
export type ServerOrigin = "local" | "windows_host";

/** What is known about a registry entry's process. @inline */
export type PidState = "alive" | "dead" | "unknown";

/** A marimo server found in a registry directory. */
export interface DiscoveredServer {
  /** `"<host>:<port>"`, as marimo wrote it. */
  serverId: string;
  /** The base URL that answered `/health` (including the `base_url` prefix), or null when nothing answered. */
  url: string | null;
  /** `local`, or `windows_host` for entries of the Windows host read from WSL. */
  origin: ServerOrigin;
  /** marimo version of the server. */
  version: string;
  /** When the server started (ISO-8601, as written by marimo). */
  startedAt: string;
  /** The server's process id. */
  pid: number;
  /** The host as written in the registry (may be a bind-all address). */
  host: string;
  /** The port as written in the registry. */
  port: number;
  /** The `--base-url` prefix, `""` when none. */
  baseUrl: string;
  /**
   * Whether the pid is alive: `alive`, `dead` (certainly gone — such a server is listed only when
   * something still answers at its address) or `unknown` (could not tell, e.g. no `tasklist.exe`).
   */
  pidState: PidState;
  /** Absolute path of the registry file. */
  registryFile: string;
}
