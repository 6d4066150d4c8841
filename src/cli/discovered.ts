/**
 * `marimo-pair sessions` without `--url`: the sessions of every discovered server. (Finding
 * one notebook across servers is the core resolver's job: `session/find.ts`.)
 *
 * @module
 */
import { discoverServersDetailed } from "../discovery/discover.js";
import type { DiscoveryDiagnostic } from "../discovery/diagnostics.js";
import type { DiscoveredServer } from "../discovery/types.js";
import { hintFor } from "../hints.js";
import type { MarimoClient } from "../session/client.js";
import { connectCli } from "./connect.js";
import type { SessionInfo } from "../session/types.js";
import { discoveredIsAllowed } from "../session/host-policy.js";
import { CliFailure } from "./failure.js";
import { describeFailure } from "./guidance.js";
import type { CliIo } from "./io.js";
import { type TargetOptions, tokenOf } from "./target-options.js";

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
  return {
    live: servers.filter((s): s is DiscoveredServer & { url: string } => s.url !== null && discoveredIsAllowed(s)),
    diagnostics,
  };
}

function connectDiscovered(server: DiscoveredServer, options: TargetOptions, io: CliIo): MarimoClient {
  // Discovered addresses are this machine's, or the Windows host's seen from WSL.
  return connectCli(server, { token: tokenOf(options, io.env), allowRemote: server.origin === "windows_host" });
}

function diagnosticLines(diagnostics: readonly DiscoveryDiagnostic[]): string {
  return diagnostics.length === 0 ? "" : `\n${diagnostics.map((d) => `  - ${d.message}`).join("\n")}`;
}

/** The message for "no live server". */
function noServer(diagnostics: readonly DiscoveryDiagnostic[]): CliFailure {
  return new CliFailure(
    `no running marimo server found. ${hintFor("no_server", "cli")}${diagnosticLines(diagnostics)}`,
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
