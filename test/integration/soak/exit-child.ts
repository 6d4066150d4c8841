/**
 * A script that closes what it opened, written as a user would with `await using`; it never
 * calls `process.exit`. The parent checks that it exits by itself. Mode (argv[2]):
 * - `mcp`: `connectMcp(SOAK_URL)`, a session, an execute;
 * - `launch`: `launchServer` (marimo from SOAK_MARIMO, notebook SOAK_NOTEBOOK), `openSession`,
 *   an execute, an `events()` watcher;
 * - `serve`: our MCP HTTP server, one tool call from the official MCP client.
 * Prints `ok <detail>` on success.
 */
import { connect, launchServer } from "../../../dist/index.js";
import { connectMcp, serveMcpHttp } from "../../../dist/tools.js";

const mode = process.argv[2];
const url = process.env["SOAK_URL"] ?? "";

if (mode === "mcp") {
  await using client = await connectMcp(url);
  const nb = await client.session({ file: process.env["SOAK_FILE"] ?? "" });
  console.log(`ok ${(await nb.execute("print('over mcp')")).stdout.trim()}`);
} else if (mode === "launch") {
  await using server = await launchServer({
    command: [process.env["SOAK_MARIMO"] ?? "marimo"],
    notebook: process.env["SOAK_NOTEBOOK"],
    headless: true,
  });
  await using client = connect(server.url);
  await using nb = await client.openSession({});
  await using events = nb.events();
  const first = await events.next();
  const run = await nb.execute("print('launched')");
  console.log(`ok ${run.stdout.trim()} ${first.done === true ? "none" : first.value.type}`);
} else if (mode === "serve") {
  const { Client } = await import("@modelcontextprotocol/sdk/client/index.js");
  const { StreamableHTTPClientTransport } = await import("@modelcontextprotocol/sdk/client/streamableHttp.js");
  await using server = await serveMcpHttp({});
  const client = new Client({ name: "exit-child", version: "0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
  const tools = await client.listTools();
  await client.close();
  console.log(`ok ${tools.tools.length} tools`);
} else {
  throw new Error(`unknown mode ${String(mode)}`);
}
