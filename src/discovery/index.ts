/**
 * Discovery (Node-only): find the marimo servers registered on this machine — and, under WSL,
 * on the Windows host — check that they answer, and prune stale registry files.
 *
 * @module
 */
export { discoverServers, discoverServersDetailed } from "./discover.js";
export type { DiscoverOptions, DiscoveryResult } from "./discover.js";
export { registryDirectories } from "./directories.js";
export type { RegistryDirectoriesOptions } from "./directories.js";
export { registryDirectory } from "./paths.js";
export type { Environment, RegistryDirectory, RegistryPathOptions } from "./paths.js";
export type { CommandResult, CommandRunner, CommandRunOptions, DiscoverySystem } from "./system.js";
export type {
  DiagnosticSeverity,
  DiscoveryDiagnostic,
  DiscoveryDiagnosticKind,
  EntryDiagnosticFields,
  EntryIssue,
  InvalidEntryDiagnostic,
  InvalidEntryReason,
  NotMarimoDiagnostic,
  NotRespondingDiagnostic,
  PidReuseDiagnostic,
  RegistryUnreadableDiagnostic,
  RemoveFailedDiagnostic,
  StaleEntryKeptDiagnostic,
  StaleEntryRemovedDiagnostic,
  WindowsHostRegistryUnavailableDiagnostic,
  WindowsHostUnreachableDiagnostic,
} from "./diagnostics.js";
export type { DiscoveredServer, PidState, ServerOrigin } from "./types.js";
export { DEFAULT_PROBE_CONNECT_TIMEOUT_MS, DEFAULT_PROBE_TIMEOUT_MS } from "../http/probe.js";
export type { HealthProbeResult, ProbeFailureReason } from "../http/probe.js";
