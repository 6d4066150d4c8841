/**
 * Wire schemas of marimo's session listing and server status endpoints.
 *
 * @module
 */
import * as z from "./zod.js";

/**
 * One value of `GET {base}/api/sessions` (keyed by session id).
 * marimo ≥ 0.25 adds `session_id`: a stable id that survives browser reloads.
 */
export const SessionEntrySchema = z.lazy(() => z.looseObject({
  session_id: z.optional(z.string()),
  filename: z.nullable(z.string()),
  path: z.nullable(z.string()),
}));
/** One value of `GET /api/sessions`. */
export type SessionEntry = z.infer<typeof SessionEntrySchema>;

/** `GET {base}/api/sessions`: session id → entry, in creation order. */
export const SessionsResponseSchema = z.lazy(() => z.record(z.string(), SessionEntrySchema));
/** The body of `GET /api/sessions`. */
export type SessionsResponse = z.infer<typeof SessionsResponseSchema>;

/** `GET {base}/health`. */
export const HealthResponseSchema = z.lazy(() => z.looseObject({ status: z.string() }));
/** The body of `GET /health`. */
export type HealthResponse = z.infer<typeof HealthResponseSchema>;

/** `GET {base}/api/status` (edit scope). `requirements` became an object in later releases. */
export const ServerStatusResponseSchema = z.lazy(() => z.looseObject({
  status: z.string(),
  filenames: z.array(z.string()),
  mode: z.string(),
  sessions: z.int(),
  version: z.string(),
  python_version: z.optional(z.string()),
  requirements: z.optional(z.unknown()),
  node_version: z.optional(z.nullable(z.string())),
  lsp_running: z.optional(z.boolean()),
}));
/** The body of `GET /api/status`. */
export type ServerStatusResponse = z.infer<typeof ServerStatusResponseSchema>;

/** `GET {base}/api/kernel/status` (marimo ≥ 0.23.9). */
export const KernelStatusResponseSchema = z.lazy(() => z.looseObject({
  state: z.enum(["running", "idle", "stopped"]),
}));
/** The body of `GET /api/kernel/status`. */
export type KernelStatusResponse = z.infer<typeof KernelStatusResponseSchema>;

/** An error body: marimo uses `detail` for most errors and `error` for a few (skew protection, takeover). */
export const ErrorBodySchema = z.lazy(() => z.looseObject({
  detail: z.optional(z.unknown()),
  error: z.optional(z.unknown()),
}));

/** One entry of `POST /api/home/workspace_files` (directories carry `children`). */
export interface WorkspaceFileEntry {
  path: string;
  isDirectory?: boolean | undefined;
  isMarimoFile?: boolean | undefined;
  children?: WorkspaceFileEntry[] | undefined;
}

/** An entry of `POST /api/home/workspace_files`. */
export const WorkspaceFileSchema: z.ZodMiniType<WorkspaceFileEntry> = z.lazy(() =>
  z.looseObject({
    path: z.string(),
    isDirectory: z.optional(z.boolean()),
    isMarimoFile: z.optional(z.boolean()),
    children: z.optional(z.array(WorkspaceFileSchema)),
  }),
);

/** `POST {base}/api/home/workspace_files`: the notebooks a server serves; `root` is `""` for a single-file server. */
export const WorkspaceFilesResponseSchema = z.lazy(() => z.looseObject({
  root: z.string(),
  files: z.array(WorkspaceFileSchema),
}));
/** The body of `POST /api/home/workspace_files`. */
export type WorkspaceFilesResponse = z.infer<typeof WorkspaceFilesResponseSchema>;
