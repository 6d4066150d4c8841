/**
 * Row 3: discovery over 100 registry entries (one live marimo, dead pids, live pids whose
 * port accepts connections but never answers) against the cost of a single probe of one
 * silent port with the same timeout. Entries are probed in parallel, so the whole run
 * should cost about one timeout.
 */
import { spawnSync } from "node:child_process";
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { discoverServersDetailed } from "marimo-pair";
import { ms, quantile, type Row, time } from "./stats.ts";

/** The probe timeout for both sides (discovery's default). */
const PROBE_TIMEOUT_MS = 2000;

/** A TCP server that accepts connections and never answers. */
async function silentServer(): Promise<{ port: number; server: Server; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return { port: address.port, server, sockets };
}

function entry(pid: number, port: number, startedAt: string): string {
  return JSON.stringify({
    server_id: `127.0.0.1:${port}`,
    pid,
    host: "127.0.0.1",
    port,
    base_url: "",
    started_at: startedAt,
    version: "0.25.2",
  });
}

/** Row 3. `liveRegistryFile` is the registry file of a running marimo. */
export async function discovery(dir: string, liveRegistryFile: string, rounds: number): Promise<Row[]> {
  await mkdir(dir, { recursive: true });
  const deadPid = spawnSync("true").pid ?? 999_999;
  const silent = await silentServer();
  try {
    await copyFile(liveRegistryFile, join(dir, "live.json"));
    for (let i = 0; i < 99; i++) {
      // Dead pids on distinct unused ports, and live pids (ours) on the silent port.
      const dead = i % 2 === 0;
      const port = dead ? 20_000 + i : silent.port;
      await writeFile(join(dir, `e${i}.json`), entry(dead ? deadPid : process.pid, port, `2026-01-01T00:00:${String(i % 60).padStart(2, "0")}+00:00`));
    }
    const ours: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < rounds; i++) {
      ours.push(await time(() => discoverServersDetailed({ directories: [dir], prune: false, timeoutMs: PROBE_TIMEOUT_MS })));
      // The baseline: one probe of the silent port, with the same timeout.
      floor.push(
        await time(() =>
          fetch(`http://127.0.0.1:${silent.port}/health`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) }).catch(() => undefined),
        ),
      );
    }
    const a = quantile(ours, 0.5);
    const b = quantile(floor, 0.5);
    return [
      {
        row: "3",
        measure: `discovery of 100 entries (1 live, 50 dead pids, 49 silent ports), median of ${rounds}`,
        ours: ms(a),
        baseline: `${ms(b)} (one probe timeout)`,
        ratio: `${(a / b).toFixed(3)}×`,
        target: "≤ 1.2×",
        met: a / b <= 1.2 ? "yes" : "no",
      },
    ];
  } finally {
    for (const socket of silent.sockets) socket.destroy();
    silent.server.close();
  }
}
