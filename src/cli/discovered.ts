/**
 * Commands without `--url` find their server through discovery: the only live one, the
 * only one holding the requested notebook, or an error that lists them.
 *
 * @module
 */
import { discoverServersDetailed } from "../discovery/discover.js";
import type { DiscoveryDiagnostic } from "../discovery/diagnostics.js";
import type { DiscoveredServer } from "../discovery/types.js";
import { AmbiguousSessionError, NoSessionError } from "../errors.js";
import type { MarimoClient } from "../session/client.js";
import { connectCli } from "./connect.js";
import type { SessionSelector } from "../session/types.js";
import type { SessionInfo } from "../session/types.js";
import { CliFailure } from "./failure.js";
import { describeFailure, type FailureContext } from "./guidance.js";
import type { CliIo } from "./io.js";
import { type ResolvedNotebook, type TargetOptions, tokenOf } from "./target-options.js";

/** A session row: the library's {@link SessionInfo} and the server it is on. */
export interface SessionRow extends SessionInfo {
  /** The server's base URL. */
  url: string;
}

/** Servers that answered, and the diagnostics about the rest. */
export interface LiveServers {
  /** Servers whose `/health` answered (their `url` is set), newest first. */
  live: (DiscoveredServer & { url: string })[];
  /** What discovery had to say about the others. */
  diagnostics: DiscoveryDiagnostic[];
}

/** Run discovery with the CLI's environment and keep the servers that answered. */
export async function liveServers(io: CliIo): Promise<LiveServers> {
  const { servers, diagnostics } = await discoverServersDetailed({ env: io.env });
  return { live: servers.filter((s): s is DiscoveredServer & { url: string } => s.url !== null), diagnostics };
}

function connectDiscovered(server: DiscoveredServer, options: TargetOptions, io: CliIo): MarimoClient {
  // Discovered addresses are this machine's, or the Windows host's seen from WSL.
  return connectCli(server, { token: tokenOf(options, io.env), allowRemote: server.origin === "windows-host" });
}

function serverLines(servers: readonly (DiscoveredServer & { url: string })[]): string {
  return servers.map((s) => `  ${s.url}  (marimo ${s.version}, started ${s.startedAt})`).join("\n");
}

function diagnosticLines(diagnostics: readonly DiscoveryDiagnostic[]): string {
  return diagnostics.length === 0 ? "" : `\n${diagnostics.map((d) => `  - ${d.message}`).join("\n")}`;
}

/** The message for "no live server". */
function noServer(diagnostics: readonly DiscoveryDiagnostic[]): CliFailure {
  return new CliFailure(
    "no running marimo server found. Start one with `marimo edit NOTEBOOK.py --no-token` (only servers " +
      "started with --no-token register for discovery), or pass --url (and MARIMO_TOKEN) for any other server." +
      diagnosticLines(diagnostics),
  );
}

/**
 * Select a notebook on a discovered server.
 *
 * @throws {CliFailure} when no server, or several, could be meant.
 * @throws the library's selection errors when exactly one server runs.
 */
export async function notebookFromDiscovery(
  selector: SessionSelector,
  options: TargetOptions,
  io: CliIo,
  context: FailureContext,
): Promise<ResolvedNotebook> {
  const { live, diagnostics } = await liveServers(io);
  const [only, ...others] = live;
  if (only === undefined) throw noServer(diagnostics);
  if (others.length === 0) {
    const client = connectDiscovered(only, options, io);
    context.url = client.url;
    return { url: client.url, client, notebook: await client.session(selector) };
  }
  if (selector.file === undefined && selector.sessionId === undefined) {
    throw new CliFailure(
      `${live.length} marimo servers are running, so none is picked automatically. Choose one with --url, ` +
        `or name the notebook with --file PATH:\n${serverLines(live)}`,
    );
  }
  // Several servers: use the one that has the requested notebook open.
  const found: ResolvedNotebook[] = [];
  const ambiguousOn: string[] = [];
  const problems: string[] = [];
  await Promise.all(
    live.map(async (server) => {
      const client = connectDiscovered(server, options, io);
      try {
        found.push({ url: client.url, client, notebook: await client.session(selector) });
      } catch (error) {
        if (error instanceof NoSessionError) return;
        if (error instanceof AmbiguousSessionError) ambiguousOn.push(`  ${client.url}: ${error.candidates.length} notebooks match`);
        else problems.push(`  ${client.url}: ${describeFailure(error, { url: client.url }).message.split("\n")[0] ?? ""}`);
      }
    }),
  );
  const what = selector.file !== undefined ? `--file '${selector.file}'` : `--session '${selector.sessionId ?? ""}'`;
  const [match, ...more] = found;
  if (match !== undefined && more.length === 0 && ambiguousOn.length === 0) {
    context.url = match.url;
    return match;
  }
  if (found.length > 1 || ambiguousOn.length > 0) {
    throw new CliFailure(
      `${what} matches notebooks on more than one running server; choose the server with --url ` +
        `(and the notebook with its absolute path):\n${[...found.map((f) => `  ${f.url}`), ...ambiguousOn].join("\n")}`,
    );
  }
  throw new CliFailure(
    `none of the ${live.length} running marimo servers has a notebook open that matches ${what}. ` +
      `Open it first, or check the servers with \`marimo-pair sessions\`:\n${serverLines(live)}` +
      (problems.length === 0 ? "" : `\nServers that could not be asked:\n${problems.join("\n")}`),
  );
}

/** Sessions of every discovered server; unreachable servers are reported on stderr. */
export async function sessionsOfDiscoveredServers(
  options: TargetOptions,
  io: CliIo,
): Promise<{ rows: SessionRow[]; failed: boolean }> {
  const { live, diagnostics } = await liveServers(io);
  if (live.length === 0) {
    await io.stderr.write(`marimo-pair: ${noServer(diagnostics).message}\n`);
    return { rows: [], failed: false };
  }
  let failed = false;
  const perServer = await Promise.all(
    live.map(async (server) => {
      const client = connectDiscovered(server, options, io);
      try {
        return (await client.sessions()).map((s): SessionRow => ({ ...s, url: client.url }));
      } catch (error) {
        failed = true;
        await io.stderr.write(`marimo-pair: ${describeFailure(error, { url: client.url }).message}\n`);
        return [];
      }
    }),
  );
  return { rows: perServer.flat(), failed };
}
