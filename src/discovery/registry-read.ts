/**
 * Reading a registry directory: list `*.json` files, read each with a size cap, validate it.
 * A bad file becomes an {@link InvalidEntryDiagnostic}; nothing here throws for bad data.
 *
 * @module
 */
import { constants } from "node:fs";
import { lstat, open, readdir, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { type RegistryEntry, RegistryEntrySchema } from "../schemas/registry.js";
import { describeIssue, issuePath } from "../schemas/issues.js";
import type { DiscoveryDiagnostic, EntryIssue, InvalidEntryDiagnostic, InvalidEntryReason } from "./diagnostics.js";
import type { RegistryDirectory } from "./paths.js";
import { errorCode } from "./system.js";
import type { ServerOrigin } from "./types.js";

/** Default cap on the size of one registry file (marimo writes about 250 bytes). */
export const DEFAULT_MAX_ENTRY_BYTES = 64 * 1024;

/** A valid registry file. */
export interface RegistryFile {
  /** Absolute path of the file. */
  file: string;
  /** Where it was found. */
  origin: ServerOrigin;
  /** Its validated content. */
  entry: RegistryEntry;
  /** Its exact bytes, to check before deleting that it has not been rewritten since. */
  bytes: Uint8Array;
}

/** What one directory held. */
export interface DirectoryContents {
  /** Valid entries, in file-name order. */
  files: RegistryFile[];
  /** Problems found while reading. */
  diagnostics: DiscoveryDiagnostic[];
}

/** The bytes of a file, or why they could not be read. */
export type ReadBytesResult = { ok: true; bytes: Uint8Array } | { ok: false; reason: InvalidEntryReason; detail: string };

const NONBLOCK = constants.O_NONBLOCK ?? 0;
const CHUNK_BYTES = 16 * 1024;

/**
 * Read a regular file of at most `maxBytes`. Pipes and devices are refused before opening (so a
 * FIFO named `x.json` cannot block discovery), and the read stops one byte past the cap.
 */
export async function readBoundedFile(file: string, maxBytes: number): Promise<ReadBytesResult> {
  try {
    const info = await stat(file);
    if (!info.isFile()) return { ok: false, reason: "not_a_file", detail: "not a regular file" };
    const handle = await open(file, constants.O_RDONLY | NONBLOCK);
    try {
      const chunks: Uint8Array[] = [];
      let length = 0;
      // Chunked, so a large cap costs nothing for the usual 250-byte file.
      while (length <= maxBytes) {
        const chunk = new Uint8Array(Math.min(CHUNK_BYTES, maxBytes + 1 - length));
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
        if (bytesRead === 0) break;
        chunks.push(chunk.subarray(0, bytesRead));
        length += bytesRead;
      }
      if (length > maxBytes) return { ok: false, reason: "too_large", detail: `larger than ${maxBytes} bytes` };
      return { ok: true, bytes: Buffer.concat(chunks, length) };
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = errorCode(error);
    if (code === "EISDIR") return { ok: false, reason: "not_a_file", detail: "a directory" };
    return { ok: false, reason: "unreadable", detail: code ?? String(error) };
  }
}

const REASON_TEXT: Record<InvalidEntryReason, string> = {
  unreadable: "cannot be read",
  "not_a_file": "is not a regular file",
  "too_large": "is too large",
  "invalid_json": "is not valid JSON",
  "invalid_fields": "is not a marimo registry entry",
};

function invalid(
  file: string,
  reason: InvalidEntryReason,
  detail: string,
  issues: EntryIssue[] = [],
): InvalidEntryDiagnostic {
  return {
    kind: "invalid_entry",
    severity: "warning",
    file,
    reason,
    issues,
    message: `Skipped registry file ${file}: it ${REASON_TEXT[reason]} (${detail}). It was left in place.`,
  };
}

/** Decode and validate the bytes of a registry file. */
export function parseEntryBytes(
  file: string,
  bytes: Uint8Array,
): { ok: true; entry: RegistryEntry } | { ok: false; diagnostic: InvalidEntryDiagnostic } {
  let raw: unknown;
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    raw = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, diagnostic: invalid(file, "invalid_json", detail) };
  }
  const parsed = RegistryEntrySchema.safeParse(raw);
  if (parsed.success) return { ok: true, entry: parsed.data };
  const issues = parsed.error.issues.map((i) => ({ path: issuePath(i.path), message: i.message }));
  const detail = parsed.error.issues.map((i) => describeIssue(i, "<root>")).join("; ");
  return { ok: false, diagnostic: invalid(file, "invalid_fields", detail, issues) };
}

/** True when nothing, not even a dangling symlink, is at `file` any more. */
async function vanished(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return false;
  } catch (error) {
    return errorCode(error) === "ENOENT";
  }
}

/**
 * Read every `*.json` file of a registry directory (temporary `*.tmp` files of a write in
 * progress are ignored). A missing directory is simply empty, and a file removed between the
 * listing and its read is skipped without a diagnostic.
 */
export async function readRegistryDirectory(directory: RegistryDirectory, maxBytes: number): Promise<DirectoryContents> {
  const dir = resolve(directory.path);
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith(".json")).sort();
  } catch (error) {
    const code = errorCode(error);
    if (code === "ENOENT") return { files: [], diagnostics: [] };
    const diagnostic: DiscoveryDiagnostic = {
      kind: "registry_unreadable",
      severity: "warning",
      file: dir,
      origin: directory.origin,
      message: `Cannot list the marimo registry directory ${dir} (${code ?? String(error)}); its servers are not shown.`,
    };
    return { files: [], diagnostics: [diagnostic] };
  }
  const results = await Promise.all(
    names.map(async (name) => {
      const file = resolve(dir, name);
      const read = await readBoundedFile(file, maxBytes);
      if (!read.ok) {
        // Gone since the listing (its server removed it, or another discovery pruned it): not a
        // bad entry. A dangling symlink fails the same way but is still there, and is reported.
        if (read.reason === "unreadable" && read.detail === "ENOENT" && (await vanished(file))) return {};
        return { diagnostic: invalid(file, read.reason, read.detail) };
      }
      const parsed = parseEntryBytes(file, read.bytes);
      if (!parsed.ok) return { diagnostic: parsed.diagnostic };
      return { value: { file, origin: directory.origin, entry: parsed.entry, bytes: read.bytes } };
    }),
  );
  const contents: DirectoryContents = { files: [], diagnostics: [] };
  for (const result of results) {
    if (result.value !== undefined) contents.files.push(result.value);
    else if (result.diagnostic !== undefined) contents.diagnostics.push(result.diagnostic);
  }
  return contents;
}
