/**
 * The notebooks a server serves, open or not (`POST /api/home/workspace_files`): the file of
 * a single-file server, or the marimo files under a directory server's directory.
 *
 * @module
 */
import type { Http } from "../http/client.js";
import { type WorkspaceFileEntry, WorkspaceFilesResponseSchema } from "../schemas/sessions.js";
import { postProtected } from "./skew-token.js";

/** A notebook a server serves. */
export interface ServedNotebook {
  /** The file key marimo expects in `?file=` (relative to the directory, or the absolute path). */
  key: string;
  /** The absolute path. */
  path: string;
}

function flatten(entries: readonly WorkspaceFileEntry[]): WorkspaceFileEntry[] {
  return entries.flatMap((e) => (e.isDirectory === true ? flatten(e.children ?? []) : [e]));
}

function join(root: string, key: string): string {
  if (root === "" || key.startsWith("/") || /^[A-Za-z]:[\\/]/.test(key)) return key;
  const sep = root.includes("\\") && !root.includes("/") ? "\\" : "/";
  return `${root.replace(/[\\/]+$/, "")}${sep}${key}`;
}

/** @internal The notebooks `http`'s server serves. */
export async function servedNotebooks(http: Http, signal: AbortSignal | undefined): Promise<ServedNotebook[]> {
  const body = await postProtected(http, "/api/home/workspace_files", WorkspaceFilesResponseSchema, {
    json: { include_markdown: false },
    signal,
  });
  return flatten(body.files)
    .filter((f) => f.isMarimoFile !== false)
    .map((f) => ({ key: f.path, path: join(body.root, f.path) }));
}
