/**
 * Options and help of `marimo-pair open`.
 *
 * @module
 */
import type { CommandSpec } from "../spec.js";

/** `marimo-pair open`: give a served notebook a session, without a browser. */
export const OPEN_SPEC: CommandSpec = {
  name: "open",
  summary: "open a notebook a server serves but nobody has open (headless servers, CI)",
  options: { url: { type: "string" }, token: { type: "string" }, file: { type: "string" }, json: { type: "boolean" } },
  maxPositionals: 0,
  help: `Usage: marimo-pair open --file PATH [--url URL] [--json]

Give a notebook a session without a browser, so \`exec\`, \`cells\` and \`apply\` can reach it:
on a headless server, in CI, or for a bot. The notebook must be one a running server
serves: the file of a single-file server (\`marimo edit nb.py\`), or a file under a
directory server's directory (\`marimo edit\`). Prints the session and exits; marimo keeps
the session afterwards (for as long as the server runs, unless it was started with
--session-ttl).

A notebook that already has a session is not opened again: the existing session is
printed (with "opened": false in --json).

Options:
  --file PATH      the notebook: absolute, relative to the server's directory, or a bare
                   file name (required)
  --url URL        the marimo server (default: every server found by discovery)
  --token TOKEN    the server's token; prefer the MARIMO_TOKEN environment variable
  --json           print {"url", "sessionId", "stableId", "filename", "path", "opened"}

Who drives the notebook: see "Opening a notebook nobody has open" in the README. In
short, a person who opens the notebook in a browser later joins as a viewer and can
take it over from the browser.

Exit status:
  0    the notebook has a session (opened now, or already open)
  1    no server serves it, several do, or it could not be opened (stderr says why)
  2    wrong usage

Examples:
  marimo-pair open --file analysis.py
  marimo-pair open --url http://127.0.0.1:2718 --file reports/weekly.py --json
`,
};
