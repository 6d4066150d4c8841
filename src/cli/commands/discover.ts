/**
 * `marimo-pair discover`: the registry's servers as the JSON array the bash script
 * printed (`server_id`, `started_at`, `version`, `origin`, `url`), diagnostics on stderr.
 *
 * @module
 */
import { discoverServersDetailed } from "../../discovery/discover.js";
import type { DiscoveredServer } from "../../discovery/types.js";
import { ExitCode } from "../exit-codes.js";
import type { CliIo } from "../io.js";
import { reportFailure } from "../report.js";
import type { ParsedArgs } from "../spec.js";

/** One element of the output array, in the script's field names and order. */
export interface DiscoverRecord {
  server_id: string;
  started_at: string;
  version: string;
  origin: string;
  url: string | null;
}

/** Map a discovered server to its output record. */
export function toDiscoverRecord(server: DiscoveredServer): DiscoverRecord {
  return {
    server_id: server.serverId,
    started_at: server.startedAt,
    version: server.version,
    origin: server.origin,
    url: server.url,
  };
}

/** Run `marimo-pair discover`. */
export async function runDiscover(_args: ParsedArgs, io: CliIo): Promise<number> {
  try {
    const { servers, diagnostics } = await discoverServersDetailed({ env: io.env });
    for (const d of diagnostics) {
      await io.stderr.write(`marimo-pair: ${d.severity === "warning" ? "warning" : "note"}: ${d.message}\n`);
    }
    await io.stdout.write(`${JSON.stringify(servers.map(toDiscoverRecord), null, 2)}\n`);
    return ExitCode.Ok;
  } catch (error) {
    return reportFailure(io, error);
  }
}
