/**
 * Deleting a stale registry file, carefully: only a file whose process is certainly gone and
 * at whose address nothing answered, and only if it still holds the bytes that were judged —
 * a marimo restarted on the same host and port rewrites the same file name.
 *
 * @module
 */
import type { DiscoveryDiagnostic, EntryDiagnosticFields } from "./diagnostics.js";
import { readBoundedFile, type RegistryFile } from "./registry-read.js";
import { type DiscoverySystem, errorCode } from "./system.js";

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** The diagnostic fields that identify a registry file's server. */
export function entryFields(file: RegistryFile): EntryDiagnosticFields {
  return { file: file.file, serverId: file.entry.server_id, pid: file.entry.pid, origin: file.origin };
}

/**
 * Handle a stale registry file: delete it (when `prune`), or say why it stays.
 *
 * @param file - the entry, with the bytes it had when it was judged stale.
 * @param prune - false to only report it.
 * @param maxBytes - the read cap used for the re-check.
 * @param system - deletes the file.
 * @returns the diagnostic describing what happened.
 */
export async function removeStaleFile(
  file: RegistryFile,
  prune: boolean,
  maxBytes: number,
  system: Pick<DiscoverySystem, "removeFile">,
): Promise<DiscoveryDiagnostic> {
  const fields = entryFields(file);
  const what = `Registry file ${file.file} (${file.entry.server_id}, pid ${file.entry.pid})`;
  if (!prune) {
    return {
      kind: "stale_entry_kept",
      severity: "info",
      reason: "prune_disabled",
      ...fields,
      message: `${what} is stale: the process is gone and nothing answers. Left in place (pruning is off).`,
    };
  }
  const current = await readBoundedFile(file.file, maxBytes);
  if (!current.ok || !sameBytes(current.bytes, file.bytes)) {
    if (!current.ok && current.reason === "unreadable" && current.detail === "ENOENT") {
      // Already gone (its server shut down, or another discovery removed it).
      return { kind: "stale_entry_removed", severity: "info", ...fields, message: `${what} was stale and is gone.` };
    }
    return {
      kind: "stale_entry_kept",
      severity: "info",
      reason: "file_changed",
      ...fields,
      message: `${what} changed while discovery ran (a server may have restarted there); left in place.`,
    };
  }
  try {
    await system.removeFile(file.file);
  } catch (error) {
    const code = errorCode(error);
    if (code !== "ENOENT") {
      return {
        kind: "remove_failed",
        severity: "warning",
        ...fields,
        error: code ?? String(error),
        message: `${what} is stale (process gone, nothing answers) but could not be deleted (${code ?? String(error)}).`,
      };
    }
  }
  return {
    kind: "stale_entry_removed",
    severity: "info",
    ...fields,
    message: `Removed stale ${what.charAt(0).toLowerCase()}${what.slice(1)}: the process is gone and nothing answers.`,
  };
}
