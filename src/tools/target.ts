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
import type { MarimoClient } from "../session/client.js";
import { connect } from "../session/connect-node.js";
import { isOwnedSession, locateSession } from "../session/find.js";
import { discoveredIsAllowed } from "../session/host-policy.js";
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

/** A resolved notebook: its server and its session. */
export interface ResolvedNotebook {
  /** The server's base URL. */
  url: string;
  /** The session (selected by file when the target names one, so it survives reloads). */
  notebook: NotebookSession;
  /** True when this call opened the session (bind_notebook on a notebook nobody had open). */
  opened: boolean;
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
  readonly #discovered = new Set<string>();
  #binding: NotebookTarget | undefined;

  constructor(options: NotebookResolverOptions = {}, binding?: NotebookTarget) {
    this.#options = options;
    this.#binding = binding;
  }

  /** The notebook calls act on when they name none. */
  get binding(): NotebookTarget | undefined {
    return this.#binding === undefined ? undefined : { ...this.#binding };
  }

  /**
   * The client of `url` (one per server, reused). A remote host is refused unless
   * `allowRemote`, or discovery found it (the host policy: the Windows host under WSL).
   */
  client(url: string): MarimoClient {
    let client = this.#clients.get(url);
    if (client === undefined) {
      const allowRemote = this.#options.allowRemote === true || this.#discovered.has(url);
      client = connect(url, { token: this.#options.token, allowRemote });
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
    const live = servers.filter((s): s is DiscoveredServer & { url: string } => s.url !== null && discoveredIsAllowed(s));
    for (const server of live) this.#discovered.add(server.url);
    return live;
  }

  /** The target a call means: its own fields, else the binding; nothing means the only open notebook. */
  targetOf(input: NotebookTarget): NotebookTarget {
    if (input.file !== undefined || input.session !== undefined) {
      const url = input.url ?? this.#binding?.url;
      return { ...(url === undefined ? {} : { url }), ...pick(input) };
    }
    if (input.url !== undefined) return { url: input.url };
    if (this.#binding !== undefined) return { ...this.#binding };
    return {};
  }

  /**
   * The notebook a call acts on: the one it names, else the bound one, else the only
   * notebook open on any server.
   *
   * @throws the core resolver's errors (`no_server`, `no_session`, `ambiguous_session`, …).
   */
  resolve(input: NotebookTarget, signal?: AbortSignal): Promise<ResolvedNotebook> {
    return this.#resolveTarget(this.targetOf(input), false, signal);
  }

  /**
   * Bind this toolset to a notebook: later calls that name none act on it. The notebook is
   * resolved now (and opened without a browser when a server serves the named file but
   * nobody has it open), and remembered by server URL and absolute path (or session id for
   * an unsaved notebook).
   */
  async bind(input: NotebookTarget, signal?: AbortSignal): Promise<{ url: string; session: SessionInfo; opened: boolean }> {
    const { url, notebook, opened } = await this.#resolveTarget(input, input.file !== undefined, signal);
    const info = notebook.info;
    this.#binding = info.path !== null ? { url, file: info.path } : { url, session: info.stableId ?? info.sessionId };
    return { url, session: info, opened };
  }

  async #resolveTarget(target: NotebookTarget, open: boolean, signal: AbortSignal | undefined): Promise<ResolvedNotebook> {
    if (target.file !== undefined && target.session !== undefined) {
      throw new TypeError("Name the notebook by file or by session, not both.");
    }
    const selector = { ...selectorOf(target), ...(open ? { open: true } : {}) };
    const found = await locateSession(selector, {
      ...(target.url === undefined ? {} : { urls: [target.url], discover: false }),
      token: this.#options.token,
      allowRemote: this.#options.allowRemote === true,
      env: this.#options.env,
      signal,
      client: (url) => {
        // locateSession applied the host policy to `target.url`; the others came from discovery.
        this.#discovered.add(url);
        return this.client(url);
      },
    });
    if (found.opened && isOwnedSession(found.session)) {
      // marimo keeps the session; this toolset reaches it over HTTP like any other.
      const info = found.session.info;
      await found.session.close();
      return { url: found.url, notebook: await found.client.session(info.path !== null ? { file: info.path } : { sessionId: info.stableId ?? info.sessionId }, { signal }), opened: true };
    }
    return { url: found.url, notebook: found.session, opened: found.opened };
  }
}

function pick(input: NotebookTarget): { file: string } | { session: string } | Record<string, never> {
  if (input.file !== undefined) return { file: input.file };
  if (input.session !== undefined) return { session: input.session };
  return {};
}
