/**
 * Which notebook a tool call acts on: the one the call names (`url` + `file` or `session`),
 * else the one this toolset (one agent connection) was bound to. There is no process-wide
 * "current notebook": two toolsets never see each other's binding.
 *
 * @module
 */
import { z } from "zod";
import { discoverServersDetailed } from "../discovery/discover.js";
import type { DiscoveredServer } from "../discovery/types.js";
import { AmbiguousSessionError } from "../errors.js";
import type { MarimoClient } from "../session/client.js";
import { connect } from "../session/connect-node.js";
import type { NotebookSession } from "../session/notebook.js";
import type { SessionInfo, SessionSelector } from "../session/types.js";

/** The fields every notebook tool accepts to name its notebook. */
export const NotebookTargetSchema = z.strictObject({
  url: z
    .string()
    .min(1)
    .optional()
    .describe("The marimo server, e.g. http://127.0.0.1:2718 (from discover_servers). Optional when only one running server has the notebook."),
  file: z
    .string()
    .min(1)
    .optional()
    .describe("The notebook, by path (absolute, relative to the server's directory, or a bare file name). Preferred over session."),
  session: z.string().min(1).optional().describe("The session id (changes when a browser reloads the notebook; prefer file)."),
});
/** A notebook named by a tool call or a binding. */
export type NotebookTarget = z.infer<typeof NotebookTargetSchema>;

/** The notebook was neither named by the call nor bound. */
export class NotebookNotNamedError extends Error {
  /** Always `notebook_not_named`. */
  readonly code = "notebook_not_named" as const;

  constructor() {
    super(
      "No notebook named: pass url and file (see discover_servers or list_sessions), or call bind_notebook once " +
        "so later calls of this connection act on that notebook.",
    );
    this.name = "NotebookNotNamedError";
  }
}

/** No running server (or none with the named notebook) could be found by discovery. */
export class ServerNotFoundError extends Error {
  /** Always `server_not_found`. */
  readonly code = "server_not_found" as const;

  constructor(message: string) {
    super(message);
    this.name = "ServerNotFoundError";
  }
}

/** A resolved notebook: its server and its session. */
export interface ResolvedNotebook {
  /** The server's base URL. */
  url: string;
  /** The session (selected by file when the target names one, so it survives reloads). */
  notebook: NotebookSession;
}

/** Options of {@link NotebookResolver}. */
export interface NotebookResolverOptions {
  /** The token for servers started with one. @default process.env.MARIMO_TOKEN */
  token?: string | undefined;
  /** Allow URLs whose host is not this machine. @default false */
  allowRemote?: boolean | undefined;
  /** Environment for discovery (registry directories). @default process.env */
  env?: Readonly<Record<string, string | undefined>> | undefined;
}

function selectorOf(target: NotebookTarget): SessionSelector {
  if (target.session !== undefined) return { sessionId: target.session };
  if (target.file !== undefined) return { file: target.file };
  return {};
}

/**
 * Resolves tool calls to notebooks and holds one toolset's binding. One resolver per agent
 * connection.
 */
export class NotebookResolver {
  readonly #options: NotebookResolverOptions;
  readonly #clients = new Map<string, MarimoClient>();
  #binding: NotebookTarget | undefined;

  constructor(options: NotebookResolverOptions = {}, binding?: NotebookTarget) {
    this.#options = options;
    this.#binding = binding;
  }

  /** The notebook calls act on when they name none. */
  get binding(): NotebookTarget | undefined {
    return this.#binding === undefined ? undefined : { ...this.#binding };
  }

  /** The client of `url` (one per server, reused). */
  client(url: string): MarimoClient {
    let client = this.#clients.get(url);
    if (client === undefined) {
      client = connect(url, { token: this.#options.token, allowRemote: this.#options.allowRemote === true });
      const key = client.url;
      const known = this.#clients.get(key);
      if (known !== undefined) client = known;
      this.#clients.set(key, client);
      this.#clients.set(url, client);
    }
    return client;
  }

  /** Close every client made so far (their calls in flight and their connections); later calls make new ones. */
  async close(): Promise<void> {
    const clients = new Set(this.#clients.values());
    this.#clients.clear();
    await Promise.all([...clients].map((client) => client.close()));
  }

  /** Discovered servers that answered. */
  async liveServers(): Promise<(DiscoveredServer & { url: string })[]> {
    const { servers } = await discoverServersDetailed(this.#options.env === undefined ? {} : { env: this.#options.env });
    return servers.filter((s): s is DiscoveredServer & { url: string } => s.url !== null);
  }

  /** The target a call means: its own fields, else the binding. */
  targetOf(input: NotebookTarget): NotebookTarget {
    if (input.file !== undefined || input.session !== undefined) {
      const url = input.url ?? this.#binding?.url;
      return { ...(url === undefined ? {} : { url }), ...pick(input) };
    }
    if (input.url !== undefined) return { url: input.url };
    if (this.#binding !== undefined) return { ...this.#binding };
    throw new NotebookNotNamedError();
  }

  /**
   * The notebook a call acts on: the one it names, else the bound one.
   *
   * @throws {NotebookNotNamedError} when the call names none and nothing is bound.
   * @throws {ServerNotFoundError} when no URL is known and discovery finds no server with the notebook.
   * @throws the library's selection and connection errors.
   */
  resolve(input: NotebookTarget, signal?: AbortSignal): Promise<ResolvedNotebook> {
    return this.#resolveTarget(this.targetOf(input), signal);
  }

  /**
   * Bind this toolset to a notebook: later calls that name none act on it. The notebook is
   * resolved now, and remembered by server URL and absolute path (or session id for an
   * unsaved notebook).
   */
  async bind(input: NotebookTarget, signal?: AbortSignal): Promise<{ url: string; session: SessionInfo }> {
    if (input.file === undefined && input.session === undefined && input.url === undefined) throw new NotebookNotNamedError();
    const { url, notebook } = await this.#resolveTarget(input, signal);
    const info = notebook.info;
    this.#binding = info.path !== null ? { url, file: info.path } : { url, session: info.stableId ?? info.sessionId };
    return { url, session: info };
  }

  async #resolveTarget(target: NotebookTarget, signal: AbortSignal | undefined): Promise<ResolvedNotebook> {
    if (target.file !== undefined && target.session !== undefined) {
      throw new TypeError("Name the notebook by file or by session, not both.");
    }
    const selector = selectorOf(target);
    if (target.url !== undefined) {
      const client = this.client(target.url);
      return { url: client.url, notebook: await client.session(selector, { signal }) };
    }
    if (selector.file === undefined && selector.sessionId === undefined) throw new NotebookNotNamedError();
    const live = await this.liveServers();
    if (live.length === 0) {
      throw new ServerNotFoundError(
        "No running marimo server was discovered (only servers started with --no-token register). Pass url.",
      );
    }
    const found: ResolvedNotebook[] = [];
    const ambiguous: string[] = [];
    await Promise.all(
      live.map(async (server) => {
        const client = this.client(server.url);
        try {
          found.push({ url: client.url, notebook: await client.session(selector, { signal }) });
        } catch (error) {
          // Servers that do not have the notebook, or cannot be asked, are simply not candidates.
          if (error instanceof AmbiguousSessionError) ambiguous.push(client.url);
        }
      }),
    );
    const [only, ...more] = found;
    if (only !== undefined && more.length === 0 && ambiguous.length === 0) return only;
    const what = selector.file !== undefined ? `file '${selector.file}'` : `session '${selector.sessionId ?? ""}'`;
    if (only === undefined && ambiguous.length === 0) {
      throw new ServerNotFoundError(
        `None of the ${live.length} running marimo servers has a notebook open that matches ${what} ` +
          `(${live.map((s) => s.url).join(", ")}). Open it first, or pass url.`,
      );
    }
    throw new ServerNotFoundError(
      `${what} matches notebooks on more than one server (${[...found.map((f) => f.url), ...ambiguous].join(", ")}): ` +
        "pass url, and the absolute path.",
    );
  }
}

function pick(input: NotebookTarget): { file: string } | { session: string } | Record<string, never> {
  if (input.file !== undefined) return { file: input.file };
  if (input.session !== undefined) return { session: input.session };
  return {};
}
