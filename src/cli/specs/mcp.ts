/**
 * Options and help of `marimo-pair mcp`.
 *
 * @module
 */
import { type CommandSpec, TARGET_OPTIONS } from "../spec.js";

/** `marimo-pair mcp`: serve the marimo tools to an agent over MCP. */
export const MCP_SPEC: CommandSpec = {
  name: "mcp",
  summary: "serve typed notebook tools to an agent over MCP (stdio, or HTTP on loopback)",
  options: {
    ...TARGET_OPTIONS,
    http: { type: "boolean" },
    host: { type: "string" },
    port: { type: "string" },
    "allow-remote": { type: "boolean" },
    "max-output-chars": { type: "string" },
    "max-output-lines": { type: "string" },
    "exec-timeout": { type: "string" },
  },
  maxPositionals: 0,
  help: `Usage: marimo-pair mcp [--url URL] [--file PATH | --session ID] [--http [--port N]]

Serve tools for live marimo notebooks to an agent over the Model Context Protocol:
discover_servers, list_sessions, bind_notebook, execute_code, read_cells, create_cell,
edit_cell, run_cell, delete_cell, move_cell, install_packages, remove_packages,
set_ui_value, apply_operations, get_errors, get_variables, get_graph, get_cell_output.

Each call names its notebook (url + file), or acts on the notebook its connection is
bound to: --url/--file/--session bind every connection at the start, and the agent can
rebind its own connection with bind_notebook. Connections never share a binding.

Uses the package @modelcontextprotocol/sdk (a peer dependency, which npm installs with
marimo-pair): npx -y marimo-pair mcp

Binding (optional):
  --url URL        the marimo server of the bound notebook
  --file PATH      the bound notebook, by path (absolute, relative, or a bare file name)
  --session ID     the bound session, by id (ids change when a browser reloads)
  --token TOKEN    the server's token. Prefer the MARIMO_TOKEN environment variable:
                   arguments are visible to other users in \`ps\`. Tools never take a token,
                   so it never reaches the model.

Transport:
  (default)        stdio: the agent starts this command and speaks MCP on its stdin/stdout
  --http           streamable HTTP at http://HOST:PORT/mcp instead; the URL is printed
                   on stderr. Every client gets its own session and binding.
  --host HOST      a loopback address: 127.0.0.1 (default), ::1 or localhost
  --port N         the port (default: a free one)

Limits:
  --max-output-chars N  characters of each output (stdout, stderr, value) an agent sees:
                        two thirds from the start, one third from the end, and a note of
                        what was cut in between (default 12000)
  --max-output-lines N  the same in lines (default 180)
  --exec-timeout S      seconds before execute_code interrupts the kernel, unless the call
                        passes timeout_ms (default 300)
  --allow-remote        allow server URLs whose host is not this machine

Examples:
  marimo-pair mcp
  marimo-pair mcp --url http://127.0.0.1:2718 --file analysis.py
  marimo-pair mcp --http --port 7777
  claude mcp add marimo -- npx -y -p marimo-pair -p @modelcontextprotocol/sdk marimo-pair mcp
`,
};
