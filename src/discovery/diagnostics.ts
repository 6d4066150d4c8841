/**
 * What discovery noticed besides the servers it found: files it could not use, servers that do
 * not answer, stale files it removed, and hints for reaching the Windows host from WSL. Every
 * diagnostic has a `kind` (the discriminant), a `severity`, the registry `file` it is about and
 * a one-paragraph `message` fit for a terminal.
 *
 * @module
 */
import type { HealthProbeResult } from "../http/probe.js";
import type { PidState, ServerOrigin } from "./types.js";

/** How much a diagnostic matters: `warning` asks for attention, `info` reports what was done. */
export type DiagnosticSeverity = "info" | "warning";

/** Why a registry file could not be used. @inline */
export type InvalidEntryReason =
  /** It could not be opened or read (permissions, I/O error). */
  | "unreadable"
  /** It is a directory, device or pipe, not a regular file. */
  | "not_a_file"
  /** It is larger than `maxEntryBytes`. */
  | "too_large"
  /** It is not UTF-8 JSON. */
  | "invalid_json"
  /** It is JSON but fields are missing or have the wrong type. */
  | "invalid_fields";

/** One schema problem in a registry file. @inline */
export interface EntryIssue {
  /** Path of the field, e.g. `port` or `a.b[0]` (`""` for the whole document). */
  path: string;
  /** What is wrong with it. */
  message: string;
}

/** Fields of diagnostics that are about one server's registry entry. */
export interface EntryDiagnosticFields {
  /** Absolute path of the registry file. */
  file: string;
  /** `"<host>:<port>"` as marimo wrote it. */
  serverId: string;
  /** The pid from the registry file. */
  pid: number;
  /** Where the entry was found. */
  origin: ServerOrigin;
}

/** A registry file that is not a valid entry; it is skipped and left in place. @inline */
export interface InvalidEntryDiagnostic {
  kind: "invalid_entry";
  severity: "warning";
  /** Absolute path of the file. */
  file: string;
  message: string;
  /** What is wrong. */
  reason: InvalidEntryReason;
  /** Schema problems (for `invalid_fields`), otherwise empty. */
  issues: readonly EntryIssue[];
}

/** A registry directory that exists but cannot be listed. @inline */
export interface RegistryUnreadableDiagnostic {
  kind: "registry_unreadable";
  severity: "warning";
  /** The directory. */
  file: string;
  message: string;
  /** Whose registry it is. */
  origin: ServerOrigin;
}

/** Under WSL, the Windows host's registry could not be located; only local servers are listed. @inline */
export interface WindowsHostRegistryUnavailableDiagnostic {
  kind: "windows_host_registry_unavailable";
  severity: "info";
  /** No file: the directory itself is unknown. */
  file: null;
  message: string;
}

/** The process may be alive (or its state is unknown), but nothing answered `/health`; the file is kept. @inline */
export interface NotRespondingDiagnostic extends EntryDiagnosticFields {
  kind: "not_responding";
  severity: "warning";
  message: string;
  /** `alive` or `unknown` (a `dead` pid with no answer is a stale entry instead). */
  pidState: PidState;
  /** Every probe and its outcome. */
  attempts: readonly HealthProbeResult[];
}

/** A Windows-host server (seen from WSL) that did not answer at any candidate address; with hints. @inline */
export interface WindowsHostUnreachableDiagnostic extends EntryDiagnosticFields {
  kind: "windows_host_unreachable";
  severity: "warning";
  message: string;
  /** `alive` or `unknown`. */
  pidState: PidState;
  /** Every probe and its outcome. */
  attempts: readonly HealthProbeResult[];
  /** What usually fixes it (listen on 0.0.0.0, a firewall rule, mirrored networking). */
  hints: readonly string[];
}

/** Something that is not marimo answered `/health` at a server's address. @inline */
export interface NotMarimoDiagnostic extends EntryDiagnosticFields {
  kind: "not_marimo";
  severity: "warning";
  message: string;
  /** The base URL that answered. */
  url: string;
  /** Its HTTP status. */
  status: number;
}

/** The entry's pid is alive but belongs to a program that does not look like marimo (pids are reused). @inline */
export interface PidReuseDiagnostic extends EntryDiagnosticFields {
  kind: "pid_reuse_suspected";
  severity: "warning";
  message: string;
  /** The command line (local) or image name (Windows host) now holding the pid. */
  command: string;
}

/** A stale file (process gone, nothing answering) was deleted. @inline */
export interface StaleEntryRemovedDiagnostic extends EntryDiagnosticFields {
  kind: "stale_entry_removed";
  severity: "info";
  message: string;
}

/** A stale file was left in place: pruning is off, or the file changed since it was read. @inline */
export interface StaleEntryKeptDiagnostic extends EntryDiagnosticFields {
  kind: "stale_entry_kept";
  severity: "info";
  message: string;
  /** Why it was kept. */
  reason: "prune_disabled" | "file_changed";
}

/** Deleting a stale file failed. @inline */
export interface RemoveFailedDiagnostic extends EntryDiagnosticFields {
  kind: "remove_failed";
  severity: "warning";
  message: string;
  /** The error's code or message. */
  error: string;
}

/** Anything discovery reports besides servers; switch on `kind`. */
export type DiscoveryDiagnostic =
  | InvalidEntryDiagnostic
  | RegistryUnreadableDiagnostic
  | WindowsHostRegistryUnavailableDiagnostic
  | NotRespondingDiagnostic
  | WindowsHostUnreachableDiagnostic
  | NotMarimoDiagnostic
  | PidReuseDiagnostic
  | StaleEntryRemovedDiagnostic
  | StaleEntryKeptDiagnostic
  | RemoveFailedDiagnostic;

/** The `kind` of every {@link DiscoveryDiagnostic}. */
export type DiscoveryDiagnosticKind = DiscoveryDiagnostic["kind"];

/** A one-line summary of probe outcomes, e.g. `http://127.0.0.1:2718 (refused)`. */
export function describeAttempts(attempts: readonly HealthProbeResult[]): string {
  if (attempts.length === 0) return "no address to try";
  return attempts
    .map((a) => {
      if (a.outcome === "unreachable") return `${a.url} (${a.reason})`;
      if (a.outcome === "not_marimo") return `${a.url} (HTTP ${a.status}, not marimo)`;
      return `${a.url} (${a.outcome})`;
    })
    .join(", ");
}
