/**
 * `discoverServers()`: read marimo's server registry, check every entry's pid and `/health`
 * in parallel, prune stale files, and list the servers newest first.
 *
 * @module
 */
import { createHealthProber, DEFAULT_PROBE_CONNECT_TIMEOUT_MS, DEFAULT_PROBE_TIMEOUT_MS } from "../http/probe.js";
import type { DiscoveryDiagnostic } from "./diagnostics.js";
import { locateRegistryDirectories, type RegistryDirectoriesOptions } from "./directories.js";
import { judgeEntry, type LivenessContext } from "./liveness.js";
import type { RegistryDirectory } from "./paths.js";
import { windowsProcessTable } from "./pid.js";
import { removeStaleFile } from "./prune.js";
import { DEFAULT_MAX_ENTRY_BYTES, readRegistryDirectory, type RegistryFile } from "./registry-read.js";
import { resolveSystem } from "./system.js";
import type { DiscoveredServer } from "./types.js";
import { wslGateway } from "./wsl.js";

/** Options of {@link discoverServers} and {@link discoverServersDetailed}. */
export interface DiscoverOptions extends RegistryDirectoriesOptions {
  /**
   * Read these registry directories instead of the computed ones (a string is a local
   * directory). No Windows-host lookup is made then, unless a directory says `windows_host`.
   * @default the result of `registryDirectories(options)`
   */
  directories?: readonly (string | RegistryDirectory)[] | undefined;
  /** A fetch implementation for the `/health` probes. @default Node's fetch with a connect timeout */
  fetch?: typeof fetch | undefined;
  /** Aborts discovery; it then rejects with `signal.reason` and deletes nothing. */
  signal?: AbortSignal | undefined;
  /** Limit for each `/health` probe, in ms. All probes run at once, so this bounds the whole wait. @default 2000 */
  timeoutMs?: number | undefined;
  /** Limit for opening each probe's connection, in ms (ignored with a custom `fetch`). @default 1000 */
  connectTimeoutMs?: number | undefined;
  /**
   * Delete registry files whose process is certainly gone and at whose address nothing
   * answered. A file whose pid is alive or unknown is never deleted.
   * @default true
   */
  prune?: boolean | undefined;
  /** Registry files larger than this many bytes are skipped with a diagnostic. @default 65536 */
  maxEntryBytes?: number | undefined;
  /**
   * Receives each diagnostic. Only {@link discoverServers} calls it ({@link discoverServersDetailed}
   * returns the diagnostics instead), after discovery is done, in order; an exception thrown here
   * rejects the call.
   * @default diagnostics are dropped
   */
  onDiagnostic?: ((diagnostic: DiscoveryDiagnostic) => void) | undefined;
}

/** What {@link discoverServersDetailed} found. */
export interface DiscoveryResult {
  /** Live or possibly-live servers, newest first (by `startedAt`). Stale entries are not listed. */
  servers: DiscoveredServer[];
  /** Everything worth telling a person: bad files, silent servers, removed files, WSL hints. */
  diagnostics: DiscoveryDiagnostic[];
}

/** The largest delay timers accept (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

function positive(name: string, value: number | undefined, fallback: number, unit: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0 || value > MAX_TIMER_MS) {
    throw new RangeError(`${name} must be a positive number of ${unit} up to ${MAX_TIMER_MS}, got ${value}`);
  }
  return value;
}

function newestFirst(a: DiscoveredServer, b: DiscoveredServer): number {
  const ta = Date.parse(a.startedAt);
  const tb = Date.parse(b.startedAt);
  if (Number.isNaN(ta) !== Number.isNaN(tb)) return Number.isNaN(ta) ? 1 : -1;
  if (!Number.isNaN(ta) && ta !== tb) return tb - ta;
  // Same millisecond: marimo writes microseconds in one fixed UTC format, so the text orders them.
  if (a.startedAt !== b.startedAt) return a.startedAt < b.startedAt ? 1 : -1;
  return a.serverId < b.serverId ? -1 : a.serverId > b.serverId ? 1 : a.registryFile < b.registryFile ? -1 : 1;
}

function normalizeDirectories(directories: readonly (string | RegistryDirectory)[]): RegistryDirectory[] {
  const seen = new Set<string>();
  const result: RegistryDirectory[] = [];
  for (const d of directories) {
    const dir: RegistryDirectory = typeof d === "string" ? { path: d, origin: "local" } : d;
    if (seen.has(dir.path)) continue;
    seen.add(dir.path);
    result.push(dir);
  }
  return result;
}

/** The implementation of `discoverServersDetailed` (see `./public.ts`, which loads this module on first call). */
export async function discoverServersDetailed(options: DiscoverOptions = {}): Promise<DiscoveryResult> {
  const timeoutMs = positive("timeoutMs", options.timeoutMs, DEFAULT_PROBE_TIMEOUT_MS, "ms");
  const connectTimeoutMs = positive("connectTimeoutMs", options.connectTimeoutMs, DEFAULT_PROBE_CONNECT_TIMEOUT_MS, "ms");
  const maxEntryBytes = Math.floor(positive("maxEntryBytes", options.maxEntryBytes, DEFAULT_MAX_ENTRY_BYTES, "bytes"));
  const { signal } = options;
  signal?.throwIfAborted();
  const system = resolveSystem(options.system);
  const platform = options.platform ?? process.platform;

  const diagnostics: DiscoveryDiagnostic[] = [];
  let directories: RegistryDirectory[];
  if (options.directories !== undefined) {
    directories = normalizeDirectories(options.directories);
  } else {
    const located = await locateRegistryDirectories({ ...options, system });
    directories = located.directories;
    diagnostics.push(...located.diagnostics);
  }
  const contents = await Promise.all(directories.map((d) => readRegistryDirectory(d, maxEntryBytes)));
  const files: RegistryFile[] = [];
  for (const c of contents) {
    files.push(...c.files);
    diagnostics.push(...c.diagnostics);
  }
  signal?.throwIfAborted();

  const hasWindowsHost = files.some((f) => f.origin === "windows_host");
  let processes: Promise<Map<number, string> | undefined> | undefined;
  const prober = createHealthProber({ fetch: options.fetch, timeoutMs, connectTimeoutMs });
  try {
    const context: LivenessContext = {
      prober,
      system,
      platform,
      signal,
      gateway: hasWindowsHost ? await wslGateway(system, signal) : undefined,
      localPorts: new Set(files.filter((f) => f.origin === "local").map((f) => f.entry.port)),
      windowsProcesses: () => (processes ??= windowsProcessTable(system, signal)),
    };
    const verdicts = await Promise.all(files.map((file) => judgeEntry(file, context)));
    signal?.throwIfAborted();

    const servers: DiscoveredServer[] = [];
    const stale: RegistryFile[] = [];
    verdicts.forEach((verdict, i) => {
      if (verdict.server !== undefined) servers.push(verdict.server);
      diagnostics.push(...verdict.diagnostics);
      const file = files[i];
      if (verdict.stale && file !== undefined) stale.push(file);
    });
    const prune = options.prune ?? true;
    diagnostics.push(...(await Promise.all(stale.map((file) => removeStaleFile(file, prune, maxEntryBytes, system)))));
    servers.sort(newestFirst);
    return { servers, diagnostics: diagnostics.map(printable) };
  } finally {
    await prober.close();
  }
}

/**
 * Registry files, their names and other processes' command lines are not ours: a hostile one
 * could put terminal escape sequences into a message that a caller prints. Control
 * characters in messages are shown as `\u{…}` escapes instead.
 */
function printable(diagnostic: DiscoveryDiagnostic): DiscoveryDiagnostic {
  const message = diagnostic.message.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
  return message === diagnostic.message ? diagnostic : { ...diagnostic, message };
}

/** The implementation of `discoverServers` (see `./public.ts`). */
export async function discoverServers(options: DiscoverOptions = {}): Promise<DiscoveredServer[]> {
  const { servers, diagnostics } = await discoverServersDetailed(options);
  if (options.onDiagnostic !== undefined) for (const d of diagnostics) options.onDiagnostic(d);
  return servers;
}
