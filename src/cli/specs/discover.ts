/**
 * Options and help of `marimo-pair discover`.
 *
 * @module
 */
import type { CommandSpec } from "../spec.js";

/** `marimo-pair discover`: list the marimo servers registered on this machine. */
export const DISCOVER_SPEC: CommandSpec = {
  name: "discover",
  summary: "list the marimo servers running on this machine (JSON)",
  options: {},
  maxPositionals: 0,
  help: `Usage: marimo-pair discover

List the marimo servers registered on this machine, as a JSON array on stdout:

  [{ "server_id": "127.0.0.1:2718", "started_at": "2026-11-24T09:30:00.000000+00:00",
     "version": "0.25.2", "origin": "local", "url": "http://127.0.0.1:2718" }]

  server_id   host:port as marimo registered it
  started_at  when the server started (ISO-8601, UTC)
  version     the server's marimo version
  origin      "local", or "windows_host" for a server of the Windows host seen from WSL
  url         the base URL that answered a health check, or null when nothing answered

Only servers started with --no-token register themselves. Entries whose process is
certainly gone and whose address does not answer are removed from the registry.
Explanations (unreachable servers, stale entries, WSL networking hints) go to stderr.
An empty registry prints [] and still exits 0.

Environment:
  XDG_STATE_HOME   the registry is <XDG_STATE_HOME>/marimo/servers
                   (default ~/.local/state/marimo/servers; %USERPROFILE%\\.marimo\\servers on Windows)

Examples:
  marimo-pair discover
  marimo-pair discover | jq -r '.[] | select(.url) | .url'
`,
};
