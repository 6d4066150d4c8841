/**
 * List the marimo servers running on this machine (and, under WSL, on the Windows host).
 *
 *   node examples/discover.ts
 *
 * Only servers started with `--no-token` register themselves. One line per server, newest
 * first; what discovery noticed on the way (unreadable files, servers that do not answer,
 * stale entries it removed, WSL networking hints) goes to stderr.
 */
import { discoverServersDetailed } from "marimo-pair";

const { servers, diagnostics } = await discoverServersDetailed({ timeoutMs: 2000 });
for (const d of diagnostics) console.error(`${d.severity}: ${d.message}`);

if (servers.length === 0) {
  console.log("No marimo server is registered. Start one with: marimo edit notebook.py --no-token");
}
for (const s of servers) {
  const where = s.url ?? `${s.serverId} (not answering)`;
  console.log(`${where}  marimo ${s.version}  pid ${s.pid} (${s.pidState}, ${s.origin})  started ${s.startedAt}`);
}
