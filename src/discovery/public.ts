/**
 * The discovery functions as the entries export them. Each loads the discovery code (the
 * registry reader, the liveness checks, `node:child_process`) on its first call, so that
 * `import("marimo-pair")` does not.
 *
 * @module
 */
import type { DiscoverOptions, DiscoveryResult } from "./discover.js";
import type { DiscoveredServer } from "./types.js";

const load = () => import("./discover.js");

/**
 * Find the marimo servers running on this machine (and, under WSL, on the Windows host).
 *
 * Reads every `*.json` file of marimo's server registry (only servers started with `--no-token`
 * register), validates it, and checks in parallel whether its pid is alive and whether a marimo
 * answers `GET {url}/health` — N silent servers cost one probe timeout, not N. A file is deleted
 * only when its pid is certainly gone **and** nothing answered (`prune: false` turns that off).
 * Bad files, silent servers and removals are reported through `onDiagnostic`, never thrown.
 *
 * @param options - see {@link DiscoverOptions}; every field is optional.
 * @returns live and possibly-live servers, newest first; `url` is null for one that did not answer.
 * @throws {RangeError} for a non-positive `timeoutMs`, `connectTimeoutMs` or `maxEntryBytes`.
 * @throws the caller's `signal.reason` when aborted (nothing is deleted then).
 * @example
 * ```ts
 * const servers = await discoverServers({ onDiagnostic: (d) => console.error(d.message) });
 * const live = servers.find((s) => s.url !== null);
 * if (live) console.log(`marimo ${live.version} at ${live.url}`);
 * ```
 */
export async function discoverServers(options: DiscoverOptions = {}): Promise<DiscoveredServer[]> {
  return (await load()).discoverServers(options);
}

/**
 * Like {@link discoverServers}, but returns the diagnostics beside the servers.
 *
 * @throws {RangeError} for a non-positive `timeoutMs`, `connectTimeoutMs` or `maxEntryBytes`.
 * @throws the caller's `signal.reason` when aborted (nothing is deleted then).
 * @example
 * ```ts
 * const { servers, diagnostics } = await discoverServersDetailed();
 * for (const d of diagnostics) console.error(`${d.severity}: ${d.message}`);
 * ```
 */
export async function discoverServersDetailed(options: DiscoverOptions = {}): Promise<DiscoveryResult> {
  return (await load()).discoverServersDetailed(options);
}
