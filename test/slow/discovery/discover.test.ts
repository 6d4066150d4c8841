import { existsSync, writeFileSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { DiscoveryDiagnostic } from "../../../src/discovery/diagnostics.js";
import { discoverServers, discoverServersDetailed } from "../../../src/discovery/discover.js";
import {
  cleanup,
  closedPort,
  deadPid,
  entry,
  errno,
  fakeSystem,
  httpServer,
  marimoLike,
  silentPort,
  tempDir,
  writeEntry,
} from "../../unit/discovery/helpers.js";

afterEach(cleanup);

const kinds = (diagnostics: readonly DiscoveryDiagnostic[]) => diagnostics.map((d) => d.kind);

describe("discoverServers", () => {
  it("finds a live server with its URL and registry fields", async () => {
    const dir = await tempDir();
    const marimo = await marimoLike();
    const file = await writeEntry(dir, entry(marimo.port, { host: "0.0.0.0", base_url: "" }));
    const { servers, diagnostics } = await discoverServersDetailed({ directories: [dir] });
    expect(diagnostics).toEqual([]);
    expect(servers).toEqual([
      {
        serverId: `0.0.0.0:${marimo.port}`,
        url: `http://127.0.0.1:${marimo.port}`,
        origin: "local",
        version: "0.25.2",
        startedAt: "2026-08-21T21:51:55.123456+00:00",
        pid: process.pid,
        host: "0.0.0.0",
        port: marimo.port,
        baseUrl: "",
        pidState: "alive",
        registryFile: file,
      },
    ]);
  });

  it("reads <XDG_STATE_HOME>/marimo/servers from the given environment", async () => {
    const stateHome = await tempDir("state-");
    const dir = join(stateHome, "marimo", "servers");
    await mkdir(dir, { recursive: true });
    const marimo = await marimoLike();
    await writeEntry(dir, entry(marimo.port));
    const servers = await discoverServers({ env: { XDG_STATE_HOME: stateHome }, platform: "linux", wsl: false });
    expect(servers.map((s) => s.url)).toEqual([marimo.url]);
  });

  it("prunes a file whose pid is gone and whose port is closed", async () => {
    const dir = await tempDir();
    const file = await writeEntry(dir, entry(await closedPort(), { pid: await deadPid() }));
    const { servers, diagnostics } = await discoverServersDetailed({ directories: [dir] });
    expect(servers).toEqual([]);
    expect(diagnostics).toMatchObject([{ kind: "stale_entry_removed", severity: "info", file }]);
    expect(existsSync(file)).toBe(false);
  });

  it("prune: false reports the stale file and keeps it", async () => {
    const dir = await tempDir();
    const file = await writeEntry(dir, entry(await closedPort(), { pid: await deadPid() }));
    const { servers, diagnostics } = await discoverServersDetailed({ directories: [dir], prune: false });
    expect(servers).toEqual([]);
    expect(diagnostics).toMatchObject([{ kind: "stale_entry_kept", reason: "prune_disabled", file }]);
    expect(existsSync(file)).toBe(true);
  });

  it("keeps and reports an entry whose pid is alive but which does not answer, and suspects pid reuse", async () => {
    const dir = await tempDir();
    const port = await closedPort();
    const file = await writeEntry(dir, entry(port));
    const { servers, diagnostics } = await discoverServersDetailed({ directories: [dir] });
    expect(servers).toMatchObject([{ url: null, pidState: "alive", port }]);
    expect(existsSync(file)).toBe(true);
    const notResponding = diagnostics.find((d) => d.kind === "not_responding");
    expect(notResponding).toMatchObject({ severity: "warning", file, pid: process.pid, pidState: "alive" });
    expect(notResponding?.message).toContain(`http://127.0.0.1:${port} (refused)`);
    expect(notResponding?.message).toContain("The file is kept");
  });

  it("suspects pid reuse when a live pid runs something other than marimo", async () => {
    const dir = await tempDir();
    await writeEntry(dir, entry(await closedPort(), { pid: 4242 }));
    await writeEntry(dir, entry(await closedPort(), { pid: 4343, server_id: "marimo:1" }));
    const system = fakeSystem(
      {},
      {
        "/proc/4242/cmdline": "/usr/bin/node\0server.js\0",
        "/proc/4343/cmdline": "/home/u/.venv/bin/python\0/home/u/.venv/bin/marimo\0edit\0",
      },
    );
    const { diagnostics } = await discoverServersDetailed({ directories: [dir], system, platform: "linux" });
    expect(kinds(diagnostics).sort()).toEqual(["not_responding", "not_responding", "pid_reuse_suspected"]);
    const reuse = diagnostics.find((d) => d.kind === "pid_reuse_suspected");
    expect(reuse).toMatchObject({ pid: 4242, command: "/usr/bin/node server.js" });
    expect(reuse?.message).toContain("pid was reused");
  });

  it("an unknown pid state never prunes", async () => {
    const dir = await tempDir();
    const file = await writeEntry(dir, entry(await closedPort(), { pid: 4242 }));
    const system = fakeSystem({}, {}, () => {
      throw errno("EINVAL");
    });
    const { servers, diagnostics } = await discoverServersDetailed({ directories: [dir], system });
    expect(servers).toMatchObject([{ pidState: "unknown", url: null }]);
    expect(kinds(diagnostics)).toEqual(["not_responding"]);
    expect(existsSync(file)).toBe(true);
  });

  it("something other than marimo on the port is reported and blocks pruning", async () => {
    const dir = await tempDir();
    const other = await httpServer((_req, res) => {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("Not Found");
    });
    const dead = await writeEntry(dir, entry(other.port, { pid: await deadPid() }));
    const { servers, diagnostics } = await discoverServersDetailed({ directories: [dir] });
    expect(servers).toMatchObject([{ url: null, pidState: "dead" }]);
    expect(diagnostics).toMatchObject([{ kind: "not_marimo", url: other.url, status: 404, file: dead }]);
    expect(diagnostics[0]?.message).toContain("Not Found");
    expect(existsSync(dead)).toBe(true);
  });

  it("lists servers newest first", async () => {
    const dir = await tempDir();
    const marimo = await marimoLike();
    await writeEntry(dir, entry(marimo.port, { server_id: "a:1", started_at: "2026-01-01T00:00:00.000001+00:00" }));
    await writeFile(
      join(dir, "b.json"),
      JSON.stringify(entry(marimo.port, { server_id: "b:2", started_at: "2026-03-01T00:00:00+00:00" })),
    );
    await writeFile(
      join(dir, "c.json"),
      JSON.stringify(entry(marimo.port, { server_id: "c:3", started_at: "2026-01-01T00:00:00.000002+00:00" })),
    );
    await writeFile(join(dir, "d.json"), JSON.stringify(entry(marimo.port, { server_id: "d:4", started_at: "soon" })));
    const servers = await discoverServers({ directories: [dir] });
    expect(servers.map((s) => s.serverId)).toEqual(["b:2", "c:3", "a:1", "d:4"]);
  });

  it("bad files become diagnostics next to good servers", async () => {
    const dir = await tempDir();
    const marimo = await marimoLike();
    await writeEntry(dir, entry(marimo.port));
    await writeFile(join(dir, "bad.json"), "{nope");
    const seen: DiscoveryDiagnostic[] = [];
    const servers = await discoverServers({ directories: [dir], onDiagnostic: (d) => seen.push(d) });
    expect(servers).toHaveLength(1);
    expect(seen).toMatchObject([{ kind: "invalid_entry", reason: "invalid_json", file: join(dir, "bad.json") }]);
    expect(existsSync(join(dir, "bad.json"))).toBe(true);
  });

  it("probes every entry at once: 20 silent servers cost about one timeout", async () => {
    const dir = await tempDir();
    const port = await silentPort();
    for (let i = 0; i < 20; i++) {
      await writeFile(join(dir, `s${i}.json`), JSON.stringify(entry(port, { server_id: `127.0.0.1:${port}#${i}` })));
    }
    const timeoutMs = 1000;
    const started = performance.now();
    const { servers, diagnostics } = await discoverServersDetailed({ directories: [dir], timeoutMs });
    const elapsed = performance.now() - started;
    expect(servers).toHaveLength(20);
    expect(diagnostics.filter((d) => d.kind === "not_responding")).toHaveLength(20);
    for (const d of diagnostics) if (d.kind === "not_responding") expect(d.attempts[0]).toMatchObject({ reason: "timeout" });
    // Sequential probing would take 20 s; parallel takes about one timeout.
    expect(elapsed).toBeLessThan(3 * timeoutMs);
  });

  it("an abort rejects with the caller's reason and deletes nothing", async () => {
    const dir = await tempDir();
    const stale = await writeEntry(dir, entry(await closedPort(), { pid: await deadPid() }));
    await writeFile(join(dir, "silent.json"), JSON.stringify(entry(await silentPort(), { server_id: "silent:1" })));
    const controller = new AbortController();
    const reason = new Error("user gave up");
    setTimeout(() => controller.abort(reason), 100);
    await expect(discoverServers({ directories: [dir], timeoutMs: 10_000, signal: controller.signal })).rejects.toBe(
      reason,
    );
    expect(existsSync(stale)).toBe(true);
    await expect(discoverServers({ directories: [dir], signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });

  it("rejects nonsensical limits", async () => {
    await expect(discoverServers({ directories: [], timeoutMs: 0 })).rejects.toThrow(RangeError);
    await expect(discoverServers({ directories: [], connectTimeoutMs: Number.NaN })).rejects.toThrow(RangeError);
    await expect(discoverServers({ directories: [], maxEntryBytes: -1 })).rejects.toThrow(RangeError);
    await expect(discoverServers({ directories: [], timeoutMs: 2 ** 31 })).rejects.toThrow(RangeError);
  });

  it("reports a failed deletion and a file rewritten since it was read", async () => {
    const dir = await tempDir();
    const file = await writeEntry(dir, entry(await closedPort(), { pid: await deadPid() }));
    const failing = fakeSystem({}, {}, () => {
      throw errno("ESRCH");
    });
    failing.removeFile = async () => {
      throw errno("EROFS");
    };
    const { diagnostics } = await discoverServersDetailed({ directories: [dir], system: failing });
    expect(diagnostics).toMatchObject([{ kind: "remove_failed", severity: "warning", error: "EROFS", file }]);
    expect(existsSync(file)).toBe(true);

    // A server restarted on the same host:port rewrites the file between the read and the delete.
    const rewritten = JSON.stringify(entry(1, { pid: process.pid }));
    const racing = fakeSystem({}, {}, () => {
      writeFileSync(file, rewritten);
      throw errno("ESRCH");
    });
    racing.removeFile = async () => {
      throw new Error("must not delete a rewritten file");
    };
    const { diagnostics: second } = await discoverServersDetailed({ directories: [dir], system: racing });
    expect(second).toMatchObject([{ kind: "stale_entry_kept", reason: "file_changed", file }]);
    expect(await readFile(file, "utf8")).toBe(rewritten);
  });
});
