/**
 * Options and help of `marimo-pair sessions`.
 *
 * @module
 */
import type { CommandSpec } from "../spec.js";

/** `marimo-pair sessions`: list open notebook sessions. */
export const SESSIONS_SPEC: CommandSpec = {
  name: "sessions",
  summary: "list the open notebook sessions (table, or --json)",
  options: { url: { type: "string" }, token: { type: "string" }, json: { type: "boolean" } },
  maxPositionals: 0,
  help: `Usage: marimo-pair sessions [--url URL] [--json]

List the notebooks open on a marimo server. Without --url, every running server found
by discovery is asked.

Options:
  --url URL        the marimo server (default: every discovered server)
  --token TOKEN    the server's token; prefer the MARIMO_TOKEN environment variable
  --json           print a JSON array instead of a table:
                   [{ "url", "sessionId", "stableId", "filename", "path" }]
                   (stableId survives browser reloads on marimo >= 0.25; null before)

A session exists only while the notebook is open: in a browser, or held by a client
such as the SDK's openSession().

Exit status: 0 (also when no session is open), 1 when a server could not be asked, 2 wrong usage.

Examples:
  marimo-pair sessions
  marimo-pair sessions --url http://127.0.0.1:2718 --json | jq -r '.[].path'
`,
};
