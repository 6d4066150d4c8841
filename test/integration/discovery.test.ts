/**
 * Discovery against real marimo servers, each writing its registry file into a state home of
 * the test's own.
 */
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { discoverServers, discoverServersDetailed } from "../../src/discovery/index.js";
import { freePort, makeTempDir, type MarimoServer, startMarimo, stopAll } from "../helpers/marimo-server.js";

let stateHome: string;
let plain: MarimoServer;
let prefixed: MarimoServer;

beforeAll(async () => {
  stateHome = await makeTempDir("state-");
  // Started one after the other so that their start times differ.
  plain = await startMarimo({ stateHome, extraArgs: ["--host", "0.0.0.0"] });
  prefixed = await startMarimo({ stateHome, baseUrl: "/pair" });
});

afterAll(async () => {
  await Promise.all([plain?.stop(), prefixed?.stop()]);
  await stopAll();
});

async function registryEntry(server: MarimoServer): Promise<Record<string, unknown>> {
  const names = (await readdir(server.registryDir)).filter((n) => n.endsWith(`_${server.port}.json`));
  expect(names).toHaveLength(1);
  return JSON.parse(await readFile(join(server.registryDir, names[0] ?? ""), "utf8")) as Record<string, unknown>;
}

describe("discovery against real marimo", () => {
  it("finds the servers' own registry files, with URL, version and pid, newest first", async () => {
    const written = await registryEntry(plain);
    expect(written).toMatchObject({ host: "0.0.0.0", port: plain.port, pid: plain.pid, base_url: "" });
    expect(await registryEntry(prefixed)).toMatchObject({ host: "127.0.0.1", base_url: "/pair" });

    const { servers, diagnostics } = await discoverServersDetailed({ env: { XDG_STATE_HOME: stateHome }, wsl: false });
    expect(diagnostics).toEqual([]);
    expect(servers).toHaveLength(2);
    expect(servers[0]).toMatchObject({
      serverId: `127.0.0.1:${prefixed.port}`,
      url: prefixed.url,
      origin: "local",
      pid: prefixed.pid,
      port: prefixed.port,
      baseUrl: "/pair",
      pidState: "alive",
      registryFile: join(prefixed.registryDir, `127.0.0.1_${prefixed.port}.json`),
    });
    expect(servers[1]).toMatchObject({
      serverId: `0.0.0.0:${plain.port}`,
      // A bind-all host is reached through loopback.
      url: `http://127.0.0.1:${plain.port}`,
      host: "0.0.0.0",
      pid: plain.pid,
      version: written["version"],
      startedAt: written["started_at"],
    });
    expect(servers[0]?.version).toMatch(/^\d+\.\d+\.\d+/);
    // The live servers' files are untouched.
    expect(await readdir(plain.registryDir)).toHaveLength(2);
  });

  it("finds them through an explicit directory too, and the found URL answers", async () => {
    const servers = await discoverServers({ directories: [prefixed.registryDir] });
    const found = servers.find((s) => s.pid === prefixed.pid);
    expect(found?.url).toBe(prefixed.url);
    const health = await fetch(`${found?.url}/health`);
    expect(await health.json()).toEqual({ status: "healthy" });
  });

  it("prunes the file of a SIGKILLed server", async () => {
    const home = await makeTempDir("state-killed-");
    const victim = await startMarimo({ stateHome: home });
    try {
      const file = join(victim.registryDir, `127.0.0.1_${victim.port}.json`);
      expect(existsSync(file)).toBe(true);
      victim.kill("SIGKILL");
      await victim.exited;
      // A hard kill skips marimo's own clean-up: the stale file stays behind.
      expect(existsSync(file)).toBe(true);

      const { servers, diagnostics } = await discoverServersDetailed({ directories: [victim.registryDir] });
      expect(servers).toEqual([]);
      expect(diagnostics).toMatchObject([
        { kind: "stale_entry_removed", file, pid: victim.pid, serverId: `127.0.0.1:${victim.port}` },
      ]);
      expect(existsSync(file)).toBe(false);
    } finally {
      // Kills whatever is left of the process group (a kernel child may linger).
      await victim.stop();
    }
  });

  it("keeps and reports an entry whose pid is alive but whose port answers nothing", async () => {
    const home = await makeTempDir("state-silent-");
    const dir = join(home, "marimo", "servers");
    await mkdir(dir, { recursive: true });
    const port = await freePort();
    const file = join(dir, `127.0.0.1_${port}.json`);
    await writeFile(
      file,
      JSON.stringify(
        {
          server_id: `127.0.0.1:${port}`,
          pid: process.pid,
          host: "127.0.0.1",
          port,
          base_url: "",
          started_at: new Date().toISOString().replace("Z", "+00:00"),
          version: "0.25.2",
        },
        null,
        2,
      ),
    );
    const { servers, diagnostics } = await discoverServersDetailed({ env: { XDG_STATE_HOME: home }, wsl: false });
    expect(servers).toMatchObject([{ url: null, pid: process.pid, pidState: "alive", port }]);
    expect(diagnostics[0]).toMatchObject({ kind: "not_responding", file, pidState: "alive" });
    expect(existsSync(file)).toBe(true);
  });
});
