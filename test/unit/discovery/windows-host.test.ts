/**
 * Windows-host entries seen from WSL, with a scripted system (tasklist.exe, /proc/net/route) and a
 * fake fetch that plays the network: which candidate addresses answer and how.
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import type { WindowsHostUnreachableDiagnostic } from "../../../src/discovery/diagnostics.js";
import { discoverServersDetailed } from "../../../src/discovery/discover.js";
import { cleanup, entry, fakeSystem, tempDir, writeEntry } from "./helpers.js";

afterEach(cleanup);

const ROUTE_VIA_172 = "Iface\tDestination\tGateway\nethx\t00000000\t011014AC\n"; // 172.20.16.1
const TASKLIST = '"python.exe","4120","Console","1","154,332 K"\r\n"chrome.exe","5000","Console","1","9 K"\r\n';

type Behaviour = "healthy" | "refused" | "connect_timeout" | "html";

/** A fetch where each host answers as told (anything unlisted refuses). */
function network(hosts: Record<string, Behaviour>): { fetch: typeof fetch; requested: string[] } {
  const requested: string[] = [];
  const fail = (code: string) => {
    throw new TypeError("fetch failed", { cause: Object.assign(new Error(code), { code }) });
  };
  return {
    requested,
    fetch: async (input) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      requested.push(url.href);
      const behaviour = hosts[url.hostname] ?? "refused";
      if (behaviour === "healthy") return new Response('{"status":"healthy"}');
      if (behaviour === "html") return new Response("<html>router login</html>");
      return fail(behaviour === "refused" ? "ECONNREFUSED" : "UND_ERR_CONNECT_TIMEOUT");
    },
  };
}

async function windowsDir() {
  return { path: await tempDir("win-"), origin: "windows_host" as const };
}

describe("Windows-host entries (from WSL)", () => {
  it("reaches a 0.0.0.0 server through the WSL gateway and checks its pid with tasklist", async () => {
    const win = await windowsDir();
    await writeEntry(win.path, entry(2718, { host: "0.0.0.0", pid: 4120 }));
    const system = fakeSystem({ "tasklist.exe /FO CSV /NH": { stdout: TASKLIST } }, { "/proc/net/route": ROUTE_VIA_172 });
    const net = network({ "172.20.16.1": "healthy" });
    const { servers, diagnostics } = await discoverServersDetailed({ directories: [win], system, fetch: net.fetch });
    expect(diagnostics).toEqual([]);
    expect(servers).toMatchObject([
      { origin: "windows_host", url: "http://172.20.16.1:2718", pidState: "alive", host: "0.0.0.0" },
    ]);
    // Candidates are probed together; the earliest in preference order that answers wins.
    expect(net.requested.sort()).toEqual(["http://127.0.0.1:2718/health", "http://172.20.16.1:2718/health"]);
    expect(system.calls.filter((c) => c.command === "tasklist.exe")).toHaveLength(1);
  });

  it("prefers the specific address over the gateway and 127.0.0.1", async () => {
    const win = await windowsDir();
    await writeEntry(win.path, entry(2718, { host: "192.168.1.20", pid: 4120 }));
    const system = fakeSystem({ "tasklist.exe": { stdout: TASKLIST } }, { "/proc/net/route": ROUTE_VIA_172 });
    const net = network({ "192.168.1.20": "healthy", "172.20.16.1": "healthy", "127.0.0.1": "healthy" });
    const { servers } = await discoverServersDetailed({ directories: [win], system, fetch: net.fetch });
    expect(servers[0]?.url).toBe("http://192.168.1.20:2718");
  });

  it("uses 127.0.0.1 (mirrored networking) when nothing else answers", async () => {
    const win = await windowsDir();
    await writeEntry(win.path, entry(2718, { host: "127.0.0.1", pid: 4120 }));
    const system = fakeSystem({ "tasklist.exe": { stdout: TASKLIST } }, { "/proc/net/route": ROUTE_VIA_172 });
    const { servers } = await discoverServersDetailed({
      directories: [win],
      system,
      fetch: network({ "127.0.0.1": "healthy" }).fetch,
    });
    expect(servers[0]?.url).toBe("http://127.0.0.1:2718");
  });

  it("explains an unreachable server bound to 127.0.0.1 behind a firewall", async () => {
    const win = await windowsDir();
    const file = await writeEntry(win.path, entry(2718, { host: "127.0.0.1", pid: 4120 }));
    const system = fakeSystem({ "tasklist.exe": { stdout: TASKLIST } }, { "/proc/net/route": ROUTE_VIA_172 });
    const { servers, diagnostics } = await discoverServersDetailed({
      directories: [win],
      system,
      fetch: network({ "172.20.16.1": "connect_timeout" }).fetch,
    });
    expect(servers).toMatchObject([{ url: null, pidState: "alive" }]);
    const d = diagnostics[0] as WindowsHostUnreachableDiagnostic;
    expect(d).toMatchObject({ kind: "windows_host_unreachable", severity: "warning", file, pidState: "alive" });
    expect(d.hints.join("\n")).toContain("--host 0.0.0.0");
    expect(d.hints.join("\n")).toContain("networkingMode=mirrored");
    expect(d.hints.join("\n")).toContain('"vEthernet (WSL)"');
    expect(d.message).toContain("http://172.20.16.1:2718 (connect_timeout)");
    expect(existsSync(file)).toBe(true);
  });

  it("skips 127.0.0.1 when a local server uses the same port", async () => {
    const win = await windowsDir();
    const local = await tempDir("local-");
    await writeEntry(win.path, entry(2718, { host: "0.0.0.0", pid: 4120 }));
    await writeEntry(local, entry(2718, { pid: 4242 }));
    const system = fakeSystem({ "tasklist.exe": { stdout: TASKLIST } }, { "/proc/net/route": ROUTE_VIA_172 });
    const net = network({ "127.0.0.1": "healthy" });
    const { servers, diagnostics } = await discoverServersDetailed({ directories: [local, win], system, fetch: net.fetch });
    expect(servers.find((s) => s.origin === "local")?.url).toBe("http://127.0.0.1:2718");
    expect(servers.find((s) => s.origin === "windows_host")?.url).toBeNull();
    const d = diagnostics.find((x) => x.kind === "windows_host_unreachable") as WindowsHostUnreachableDiagnostic;
    expect(d.attempts.map((a) => a.url)).toEqual(["http://172.20.16.1:2718"]);
    expect(d.hints.join(" ")).toContain("127.0.0.1:2718 was not tried");
  });

  it("prunes a Windows-host file whose pid is absent from a well-formed tasklist", async () => {
    const win = await windowsDir();
    const file = await writeEntry(win.path, entry(2718, { host: "0.0.0.0", pid: 7777 }));
    const system = fakeSystem({ "tasklist.exe": { stdout: TASKLIST } }, { "/proc/net/route": ROUTE_VIA_172 });
    const { servers, diagnostics } = await discoverServersDetailed({ directories: [win], system, fetch: network({}).fetch });
    expect(servers).toEqual([]);
    expect(diagnostics).toMatchObject([{ kind: "stale_entry_removed", origin: "windows_host", file }]);
    expect(existsSync(file)).toBe(false);
  });

  it("keeps the file when tasklist cannot tell (pid unknown)", async () => {
    const win = await windowsDir();
    const file = await writeEntry(win.path, entry(2718, { host: "0.0.0.0", pid: 7777 }));
    const system = fakeSystem(
      { "tasklist.exe": { stdout: "INFO: No tasks are running which match the specified criteria.\r\n" } },
      {},
    );
    const { servers, diagnostics } = await discoverServersDetailed({ directories: [win], system, fetch: network({}).fetch });
    expect(servers).toMatchObject([{ pidState: "unknown", url: null }]);
    const d = diagnostics[0] as WindowsHostUnreachableDiagnostic;
    expect(d.kind).toBe("windows_host_unreachable");
    expect(d.hints.join(" ")).toContain("No private default gateway");
    expect(existsSync(file)).toBe(true);
  });

  it("warns when a live Windows pid belongs to another program", async () => {
    const win = await windowsDir();
    await writeEntry(win.path, entry(2718, { host: "0.0.0.0", pid: 5000 }));
    const system = fakeSystem({ "tasklist.exe": { stdout: TASKLIST } }, { "/proc/net/route": ROUTE_VIA_172 });
    const { diagnostics } = await discoverServersDetailed({ directories: [win], system, fetch: network({}).fetch });
    expect(diagnostics.map((d) => d.kind)).toEqual(["windows_host_unreachable", "pid_reuse_suspected"]);
    expect(diagnostics[1]).toMatchObject({ command: "chrome.exe", pid: 5000 });
  });

  it("with default directories under WSL, reads both registries", async () => {
    const local = await tempDir("state-");
    const winProfile = await tempDir("profile-");
    await mkdir(`${winProfile}/.marimo/servers`, { recursive: true });
    await writeEntry(`${winProfile}/.marimo/servers`, entry(2718, { host: "0.0.0.0", pid: 4120 }));
    const system = fakeSystem(
      {
        "cmd.exe /d /c echo %USERPROFILE%": { stdout: "C:\\Users\\Ada\r\n" },
        "wslpath -u C:\\Users\\Ada": { stdout: `${winProfile}\n` },
        "tasklist.exe": { stdout: TASKLIST },
      },
      { "/proc/net/route": ROUTE_VIA_172 },
    );
    const { servers } = await discoverServersDetailed({
      env: { XDG_STATE_HOME: local, WSL_DISTRO_NAME: "Ubuntu" },
      platform: "linux",
      system,
      fetch: network({ "172.20.16.1": "healthy" }).fetch,
    });
    expect(servers).toMatchObject([{ origin: "windows_host", url: "http://172.20.16.1:2718" }]);
  });
});
