/**
 * `marimo-pair sessions`: the open notebook sessions of one server (`--url`) or of every
 * discovered server, as a table or as JSON.
 *
 * @module
 */
import type { SessionInfo } from "../../session/types.js";
import { flag, stringOption } from "../argv.js";
import { ExitCode } from "../exit-codes.js";
import type { FailureContext } from "../guidance.js";
import type { CliIo } from "../io.js";
import { reportFailure } from "../report.js";
import type { ParsedArgs } from "../spec.js";
import { formatTable } from "../table.js";
import type { SessionRow } from "../discovered.js";
import { connectToUrl } from "../target.js";
import type { TargetOptions } from "../target-options.js";


/** The `--json` shape of {@link SessionRow}, with a fixed key order. */
function toJson(row: SessionRow): Record<string, unknown> {
  return { url: row.url, sessionId: row.sessionId, stableId: row.stableId, filename: row.filename, path: row.path };
}

/** The table for people. */
export function sessionsTable(rows: readonly SessionRow[], showServer: boolean): string {
  const headers = showServer ? ["SESSION", "NOTEBOOK", "SERVER"] : ["SESSION", "NOTEBOOK"];
  return formatTable(
    headers,
    rows.map((r) => {
      const cells = [r.sessionId, r.path ?? r.filename ?? "(unsaved notebook)"];
      return showServer ? [...cells, r.url] : cells;
    }),
  );
}

/** Run `marimo-pair sessions`. */
export async function runSessions(args: ParsedArgs, io: CliIo): Promise<number> {
  const options: TargetOptions = { url: stringOption(args, "url"), token: stringOption(args, "token"), file: undefined, session: undefined };
  const context: FailureContext = { url: options.url };
  let rows: SessionRow[];
  let status: number = ExitCode.Ok;
  try {
    if (options.url !== undefined) {
      const client = await connectToUrl(options.url, options, io, "sessions");
      context.url = client.url;
      rows = (await client.sessions()).map((s) => ({ ...s, url: client.url }));
    } else {
      const { sessionsOfDiscoveredServers } = await import("../discovered.js");
      const found = await sessionsOfDiscoveredServers(options, io);
      rows = found.rows;
      if (found.failed) status = ExitCode.Failure;
    }
  } catch (error) {
    return reportFailure(io, error, context);
  }
  if (flag(args, "json")) await io.stdout.write(`${JSON.stringify(rows.map(toJson), null, 2)}\n`);
  else if (rows.length === 0) await io.stderr.write("marimo-pair: no notebook is open.\n");
  else await io.stdout.write(sessionsTable(rows, options.url === undefined));
  return status;
}
