/**
 * The tools that find notebooks: discover servers, list sessions, bind this connection to
 * one notebook.
 *
 * @module
 */
import type { SessionInfo } from "../../session/types.js";
import { defineTool, ok } from "../define.js";
import type { ToolEnv } from "../env.js";
import { ListSessionsInput, NoInput, NotebookInput } from "../inputs.js";
import type { ToolAnnotations, ToolDefinition } from "../types.js";

const READ: ToolAnnotations = { title: "", readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

interface ServerSessions {
  url: string;
  version?: string;
  sessions: SessionInfo[];
  error?: string;
}

function sessionLine(s: SessionInfo): string {
  return `    ${s.path ?? "(unsaved notebook)"}  session ${s.sessionId}`;
}

function serverText(server: ServerSessions): string {
  const head = `${server.url}${server.version === undefined ? "" : `  (marimo ${server.version})`}`;
  if (server.error !== undefined) return `${head}\n    could not list sessions: ${server.error}`;
  if (server.sessions.length === 0) return `${head}\n    no notebook open (open it in the browser, or in marimo)`;
  return `${head}\n${server.sessions.map(sessionLine).join("\n")}`;
}

async function sessionsOf(env: ToolEnv, url: string, version?: string): Promise<ServerSessions> {
  const client = env.resolver.client(url);
  try {
    return { url: client.url, ...(version === undefined ? {} : { version }), sessions: await client.sessions() };
  } catch (error) {
    return { url: client.url, sessions: [], error: (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "" };
  }
}

function bindingLine(env: ToolEnv): string {
  const b = env.resolver.binding;
  return b === undefined ? "This connection is not bound to a notebook." : `This connection is bound to ${b.file ?? `session ${b.session ?? ""}`} on ${b.url ?? "?"}.`;
}

/** The `discover_servers` tool. */
export function discoverServersTool(env: ToolEnv): ToolDefinition {
  return defineTool({
    name: "discover_servers",
    description:
      "Find the marimo servers running on this machine (those started with --no-token register themselves) and the " +
      "notebooks open on each. Start here; then pass url and file to the other tools, or call bind_notebook.",
    input: NoInput,
    annotations: { ...READ, title: "Discover marimo servers" },
    async run() {
      const live = await env.resolver.liveServers();
      const servers = await Promise.all(live.map((s) => sessionsOf(env, s.url, s.version)));
      const text =
        servers.length === 0
          ? "No running marimo server found. Ask the person to start one with `marimo edit NOTEBOOK.py --no-token` " +
            "(a server with a token does not register; then pass its url, with MARIMO_TOKEN set where this server runs)."
          : `${servers.length} server(s):\n${servers.map(serverText).join("\n")}\n${bindingLine(env)}`;
      return ok(text, { servers, binding: env.resolver.binding ?? null });
    },
  });
}

/** The `list_sessions` tool. */
export function listSessionsTool(env: ToolEnv): ToolDefinition {
  return defineTool({
    name: "list_sessions",
    description: "List the notebooks open on a marimo server (default: the bound server, else every discovered server).",
    input: ListSessionsInput,
    annotations: { ...READ, title: "List open notebooks" },
    async run(input) {
      const url = input.url ?? env.resolver.binding?.url;
      const servers =
        url !== undefined ? [await sessionsOf(env, url)] : await Promise.all((await env.resolver.liveServers()).map((s) => sessionsOf(env, s.url, s.version)));
      const text = servers.length === 0 ? "No running marimo server found; pass url." : servers.map(serverText).join("\n");
      return ok(`${text}\n${bindingLine(env)}`, { servers, binding: env.resolver.binding ?? null });
    },
  });
}

/** The `bind_notebook` tool. */
export function bindNotebookTool(env: ToolEnv): ToolDefinition {
  return defineTool({
    name: "bind_notebook",
    description:
      "Bind this connection to one notebook, so later calls that name no notebook act on it. Only this connection is " +
      "affected; other agents keep their own. Calls that name a notebook still act on the one they name. When a server " +
      "serves the named file but nobody has it open (a headless server), the notebook is opened (opened: true).",
    input: NotebookInput,
    annotations: { ...READ, readOnlyHint: false, title: "Bind this connection to a notebook" },
    async run(input, context) {
      const { url, session, opened } = await env.resolver.bind(input, context.signal);
      const what = `${session.path ?? `session ${session.sessionId}`} on ${url}`;
      return ok(opened ? `Opened ${what} (nobody had it open) and bound to it.` : `Bound to ${what}.`, {
        url,
        session,
        opened,
        binding: env.resolver.binding ?? null,
      });
    },
  });
}
