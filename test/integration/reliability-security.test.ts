/**
 * Security against real processes and a real marimo:
 *
 * - the token never reaches the argv of a process: while `launchServer` and the CLI (`exec`,
 *   `discover`, and `mcp` answering tool calls over stdio) run with the token in
 *   `MARIMO_TOKEN`, every process's `/proc/<pid>/cmdline` is scanned over and over,
 *   and every helper program the SDK may start (`marimo`, `cmd.exe`, `wslpath`, `tasklist.exe`,
 *   `ip`, `ps`, `taskkill`, `uv`, `uvx`, `pixi`) is replaced on `PATH` by a recorder that logs
 *   its arguments — so short-lived helpers are caught too. WSL is simulated
 *   (`WSL_DISTRO_NAME`, a fake Windows registry) so discovery really starts its Windows helpers;
 * - a non-loopback URL is refused without `allowRemote` before any request is made, and the
 *   CLI warns (without printing the token);
 * - output beyond `maxOutputBytes` and an SSE event beyond `maxBufferSize` are bounded against
 *   a real marimo's real large events.
 *
 * (`test/unit/reliability/spawn-sites.test.ts` checks every spawn site in src/ statically.)
 */
import { spawn } from "node:child_process";
import { chmod, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  connect,
  type LaunchedServer,
  launchServer,
  ProtocolError,
  RemoteNotAllowedError,
} from "../../src/index.js";
import {
  freePort,
  makeTempDir,
  MARIMO_BIN,
  type MarimoServer,
  openRawSession,
  type RawSession,
  SIMPLE_NOTEBOOK,
  startMarimo,
  stopAll,
} from "../helpers/marimo-server.js";
import { has, itWhen } from "../helpers/feature.js";
import { cliPath, NODE, prepareCli, runCli } from "./cli-helpers.js";

/** A fresh token per run, so a leak cannot hide behind a fixed string. Never printed. */
const TOKEN = `tok-${Math.random().toString(36).slice(2)}-${Date.now()}`;
const HELPERS = ["marimo", "cmd.exe", "wslpath", "tasklist.exe", "ip", "ps", "taskkill", "uv", "uvx", "pixi"];

let tokenServer: MarimoServer;
let raw: RawSession;
let tmp: string;
let shims: string;
let spawnLog: string;
let fakeProfile: string;
const figures: Record<string, unknown> = {};

/** Watches every process's command line for the token until stopped. */
class CmdlineWatch {
  scans = 0;
  /** pids whose command line held the token (the line itself is never kept). */
  readonly hits = new Set<number>();
  /** Which of the watched substrings were seen in some command line. */
  readonly seen = new Set<string>();
  #stopped = false;
  readonly #done: Promise<void>;

  constructor(readonly watched: string[]) {
    this.#done = this.#loop();
  }

  async #loop(): Promise<void> {
    while (!this.#stopped) {
      await this.scan();
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async scan(): Promise<void> {
    const pids = (await readdir("/proc")).filter((e) => /^\d+$/.test(e));
    await Promise.all(
      pids.map(async (pid) => {
        let cmdline: string;
        try {
          cmdline = await readFile(`/proc/${pid}/cmdline`, "latin1");
        } catch {
          return;
        }
        // Arguments are NUL-separated; a token inside one argument is found either way.
        const line = cmdline.split("\0").join(" ");
        if (line.includes(TOKEN)) this.hits.add(Number(pid));
        for (const w of this.watched) if (line.includes(w)) this.seen.add(w);
      }),
    );
    this.scans++;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#done;
  }
}

let watch: CmdlineWatch;

/** Recorders for every helper program: log `name<TAB>args`, answer plausibly, run the real marimo. */
async function writeShims(): Promise<void> {
  for (const name of HELPERS) {
    const answer: Record<string, string> = {
      marimo: `exec '${MARIMO_BIN}' "$@"`,
      "cmd.exe": "printf 'C:\\\\Users\\\\tester\\r\\n'",
      wslpath: `printf '%s\\n' '${fakeProfile}'`,
      "tasklist.exe": `printf '"System Idle Process","0","Services","0","8 K"\\r\\n'`,
      ip: "printf 'default via 172.17.0.1 dev eth0\\n'",
    };
    const script = [
      "#!/bin/sh",
      `printf '%s\\t%s\\n' '${name}' "$*" >> '${spawnLog}'`,
      answer[name] ?? "exit 0",
      "",
    ].join("\n");
    await writeFile(join(shims, name), script);
    await chmod(join(shims, name), 0o755);
  }
}

beforeAll(async () => {
  await prepareCli();
  tmp = await makeTempDir("security-");
  shims = join(tmp, "bin");
  spawnLog = join(tmp, "spawned.log");
  fakeProfile = join(tmp, "windows-profile");
  await mkdir(shims);
  await writeFile(spawnLog, "");
  await writeShims();
  tokenServer = await startMarimo({ tokenPassword: TOKEN });
  raw = await openRawSession(tokenServer);
  watch = new CmdlineWatch(["main.js exec", "main.js discover", "main.js mcp", "launched.py"]);
});

afterAll(async () => {
  await watch?.stop();
  raw?.close();
  await tokenServer?.stop();
  await stopAll();
  if (process.env["MARIMO_PAIR_FIGURES"] !== undefined) console.error(`security figures ${JSON.stringify(figures)}`);
});

describe("the token never reaches a process's argv", () => {
  let launched: LaunchedServer | undefined;
  const state = () => join(tmp, "state");

  afterAll(async () => {
    await launched?.stop();
  });

  it("launchServer with MARIMO_TOKEN in the environment: marimo's argv, and every helper's, hold no token", async () => {
    const dir = join(tmp, "launch");
    await mkdir(dir);
    await writeFile(join(dir, "launched.py"), SIMPLE_NOTEBOOK);
    launched = await launchServer({
      cwd: dir,
      notebook: "launched.py",
      headless: true,
      port: await freePort(),
      timeoutMs: 90_000,
      env: {
        PATH: `${shims}:${process.env["PATH"] ?? "/usr/bin:/bin"}`,
        MARIMO_TOKEN: TOKEN,
        XDG_STATE_HOME: state(),
        XDG_CONFIG_HOME: join(tmp, "config"),
        XDG_CACHE_HOME: join(tmp, "cache"),
        MARIMO_SKIP_UPDATE_CHECK: "1",
        // The integration suite's leak check covers this server too.
        MARIMO_PAIR_MARIMO_OF: inject("marimoRunId"),
      },
    });
    // The decision tree found the recorder as `marimo` on PATH.
    expect(launched.runner).toBe("path");
    expect(launched.argv[0]).toBe(join(shims, "marimo"));
    expect(launched.argv.join(" ")).not.toContain(TOKEN);
    expect(launched.argv).toContain("--no-token");
    await watch.scan();
    expect(watch.seen.has("launched.py")).toBe(true);
  }, 120_000);

  it("the CLI with MARIMO_TOKEN: exec by --url on a token server, exec and discover through discovery under (simulated) WSL", async () => {
    // A Windows-host registry with one stale entry, so discovery asks tasklist.exe too.
    const windowsRegistry = join(fakeProfile, ".marimo", "servers");
    await mkdir(windowsRegistry, { recursive: true });
    const deadPort = await freePort();
    await writeFile(
      join(windowsRegistry, `127.0.0.1_${deadPort}.json`),
      JSON.stringify({
        server_id: `127.0.0.1:${deadPort}`,
        pid: 4242,
        host: "127.0.0.1",
        port: deadPort,
        base_url: "",
        started_at: "2026-08-21T21:51:55.123456+00:00",
        version: "0.25.2",
      }),
    );
    if (launched === undefined) throw new Error("the launch case did not run");
    const owned = await connect(launched.url).openSession({});
    const env = {
      MARIMO_TOKEN: TOKEN,
      PATH: `${shims}:${process.env["PATH"] ?? "/usr/bin:/bin"}`,
      WSL_DISTRO_NAME: "Simulated",
      XDG_STATE_HOME: state(),
    };
    // Long enough (1.5 s) for the scanner to read the CLI's own command line many times.
    const code = "import time\ntime.sleep(1.5)\nprint('ran')";
    try {
      // Before 0.22.3 a token server lists no sessions: the session is named.
      const named = has("skewFreeSessionList") ? [] : ["--session", raw.sessionId];
      const byUrl = await runCli(["exec", "--url", tokenServer.url, ...named, "-c", code], { env });
      expect({ code: byUrl.code, stdout: byUrl.stdout }).toEqual({ code: 0, stdout: "ran\n" });
      const discovered = await runCli(["exec", "-c", code], { env });
      expect({ code: discovered.code, stdout: discovered.stdout }).toEqual({ code: 0, stdout: "ran\n" });
      const listed = await runCli(["discover"], { env });
      expect(listed.code).toBe(0);
      expect(JSON.parse(listed.stdout)).toMatchObject([{ url: launched.url }]);
      for (const run of [byUrl, discovered, listed]) {
        expect(run.stdout + run.stderr).not.toContain(TOKEN);
      }
    } finally {
      await owned.close();
    }
  }, 60_000);

  it("the CLI's MCP server (stdio) with MARIMO_TOKEN: discover_servers and execute_code on the token server", async () => {
    const child = spawn(NODE, [cliPath(), "mcp", "--url", tokenServer.url], {
      env: {
        PATH: `${shims}:${process.env["PATH"] ?? "/usr/bin:/bin"}`,
        HOME: process.env["HOME"] ?? "/tmp",
        MARIMO_TOKEN: TOKEN,
        WSL_DISTRO_NAME: "Simulated",
        XDG_STATE_HOME: state(),
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const replies = new Map<number, unknown>();
    let stdout = "";
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
      for (let nl = stdout.indexOf("\n"); nl !== -1; nl = stdout.indexOf("\n")) {
        const message = JSON.parse(stdout.slice(0, nl)) as { id?: number };
        stdout = stdout.slice(nl + 1);
        if (typeof message.id === "number") replies.set(message.id, message);
      }
    });
    const send = (message: object) => child.stdin.write(`${JSON.stringify(message)}\n`);
    const reply = async (id: number) => {
      const deadline = Date.now() + 45_000;
      while (!replies.has(id)) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no MCP reply ${id}: ${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return replies.get(id) as { result?: { isError?: boolean; content?: { type: string; text?: string }[] } };
    };
    try {
      send({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "reliability-test", version: "0" } },
      });
      await reply(1);
      send({ jsonrpc: "2.0", method: "notifications/initialized" });
      send({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "discover_servers", arguments: {} } });
      expect((await reply(2)).result?.isError).not.toBe(true);
      send({
        jsonrpc: "2.0",
        id: 3,
        method: "tools/call",
        params: {
          name: "execute_code",
          arguments: {
            code: "import time\ntime.sleep(1.5)\nprint('ran over mcp')",
            // Before 0.22.3 a token server lists no sessions: the session is named.
            ...(has("skewFreeSessionList") ? {} : { session: raw.sessionId }),
          },
        },
      });
      const executed = await reply(3);
      expect(executed.result?.isError).not.toBe(true);
      expect(JSON.stringify(executed.result)).toContain("ran over mcp");
      expect(JSON.stringify([...replies.values()]) + stderr).not.toContain(TOKEN);
    } finally {
      child.stdin.end();
      const exited = new Promise((r) => child.once("exit", r));
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    }
  }, 60_000);

  it("no command line held the token while those ran, and every recorded helper call is token-free", async () => {
    await watch.scan();
    const log = await readFile(spawnLog, "utf8");
    const calls = log.split("\n").filter(Boolean);
    const programs = new Set(calls.map((line) => line.split("\t")[0]));
    // The paths under test really ran: the launch, and discovery's Windows helpers.
    for (const p of ["marimo", "cmd.exe", "wslpath", "tasklist.exe"]) expect(programs).toContain(p);
    expect(calls.filter((line) => line.includes(TOKEN))).toEqual([]);
    // The scanner watched the CLI processes and the launched server while they lived.
    expect([...watch.seen].sort()).toEqual(["launched.py", "main.js discover", "main.js exec", "main.js mcp"]);
    expect(watch.scans).toBeGreaterThan(20);
    expect([...watch.hits]).toEqual([]);
    figures["argvScan"] = { scans: watch.scans, helperCalls: calls.length, programs: [...programs].sort(), tokenHits: watch.hits.size };
  });
});

/** This machine's first non-loopback IPv4 address, if it has one. */
function externalAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((a) => a !== undefined && a.family === "IPv4" && !a.internal)?.address;
}

describe("a non-loopback URL", () => {
  let recorder: Server;
  const requests: IncomingMessage[] = [];

  beforeAll(async () => {
    recorder = createServer((req, res) => {
      requests.push(req);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(req.url === "/health" ? '{"status":"healthy"}' : "{}");
    });
    await new Promise<void>((r) => recorder.listen(0, "0.0.0.0", r));
  });

  afterAll(async () => {
    recorder.closeAllConnections();
    await new Promise((r) => recorder.close(r));
  });

  it("is refused by connect() without allowRemote, before any request, without the token in the error", async () => {
    const port = (recorder.address() as AddressInfo).port;
    const external = externalAddress();
    const remote = [
      ...(external === undefined ? [] : [`http://${external}:${port}`]),
      "http://192.0.2.1:2718",
      "http://10.0.0.1:2718",
      "http://172.16.0.1:2718",
      "http://192.168.1.1:2718",
      "http://[2001:db8::1]:2718",
      "http://[fd00::2]:2718",
      "http://[::ffff:192.0.2.1]:2718",
      "http://example.com",
      "https://marimo.example:443/prefix",
      "http://localhost.example.com:2718",
      "http://127.0.0.1.nip.io:2718",
    ];
    let fetched = 0;
    const spy: typeof fetch = async () => {
      fetched++;
      return new Response("{}");
    };
    for (const url of remote) {
      let error: unknown;
      try {
        connect(url, { token: TOKEN, fetch: spy });
      } catch (e) {
        error = e;
      }
      expect(error, url).toBeInstanceOf(RemoteNotAllowedError);
      expect(error).toMatchObject({ code: "remote_not_allowed" });
      expect(String((error as Error).message)).not.toContain(TOKEN);
      // A discovered server whose URL is remote is refused the same way.
      expect(() =>
        connect(
          {
            serverId: "x:1",
            url,
            origin: "local",
            version: "0.25.2",
            startedAt: "",
            pid: 1,
            host: "x",
            port: 1,
            baseUrl: "",
            pidState: "alive",
            registryFile: "/x",
          },
          { token: TOKEN, fetch: spy },
        ),
      ).toThrow(RemoteNotAllowedError);
    }
    expect(fetched).toBe(0);
    expect(requests).toHaveLength(0);
    // Loopback spellings are local (the URL parser normalises 127.1 and 0x7f000001 to 127.0.0.1).
    for (const url of ["http://127.0.0.1:1", "http://localhost:1", "http://[::1]:1", "http://127.1:1", "http://0x7f000001:1", "http://127.255.0.9:1"]) {
      expect(() => connect(url, { fetch: spy }), url).not.toThrow();
    }
    if (external !== undefined) {
      // With allowRemote the same address is reached, token and all (the caller chose it).
      await connect(`http://${external}:${port}`, { token: TOKEN, allowRemote: true }).sessions();
      expect(requests).toHaveLength(1);
      expect(requests[0]?.headers.authorization).toBe(`Basic ${btoa(`marimo-pair:${TOKEN}`)}`);
    }
    figures["remoteRefused"] = { urls: remote.length, requests: 0 };
  });

  it("the CLI warns on stderr (naming the host, not the token) before it sends anything", async () => {
    const external = externalAddress();
    const port = (recorder.address() as AddressInfo).port;
    const url = external === undefined ? "http://marimo-pair-test.invalid:9" : `http://${external}:${port}`;
    const host = new URL(url).hostname;
    const before = requests.length;
    const run = await runCli(["exec", "--url", url, "-c", "1"], { env: { MARIMO_TOKEN: TOKEN } });
    expect(run.stderr.split("\n")[0]).toBe(
      `marimo-pair: warning: '${host}' is not this machine; your code and token will be sent there. Make sure you trust it.`,
    );
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
    // The recorder lists no session, so the run ends in a no-session failure after the warning.
    expect(run.code).toBe(1);
    if (external !== undefined) expect(requests.length).toBeGreaterThan(before);
  });
});

describe("bounded against real marimo", () => {
  // Before consoleBeforeDone marimo itself can drop megabytes written just before the end.
  itWhen("consoleBeforeDone")("output beyond maxOutputBytes is dropped from the aggregate (8 MB printed, 64 KiB kept), streaming still sees all", async () => {
    const nb = await connect(tokenServer.url, { token: TOKEN }).session();
    let streamed = 0;
    const started = performance.now();
    const r = await nb.execute(
      "import sys\nfor i in range(16):\n    sys.stdout.write(str(i % 10) * 500_000)\n    sys.stdout.flush()",
      {
        maxOutputBytes: 65_536,
        timeoutMs: 60_000,
        onEvent: (e) => {
          if (e.type === "stdout") streamed += e.data.length;
        },
      },
    );
    expect(r).toMatchObject({ success: true, truncated: true, stderr: "" });
    expect(r.stdout).toBe("0".repeat(65_536));
    expect(streamed).toBe(8_000_000);
    figures["maxOutputBytes"] = { printed: streamed, kept: r.stdout.length, ms: Math.round(performance.now() - started) };
  }, 60_000);

  it("an SSE event beyond maxBufferSize ends the call with a ProtocolError; smaller events pass", async () => {
    // Before 0.22.3 a token server lists no sessions: the session is named.
    const nb = await connect(tokenServer.url, { token: TOKEN }).session(has("skewFreeSessionList") ? {} : { sessionId: raw.sessionId });
    const big = "import sys\nsys.stdout.write('y' * 900_000)\nsys.stdout.flush()";
    // The event is real and large: with the default limit it arrives whole.
    expect((await nb.execute(big, { timeoutMs: 60_000 })).stdout).toHaveLength(900_000);
    const small = await nb.execute("for i in range(20):\n    print('small', i)", { maxBufferSize: 100_000, timeoutMs: 60_000 });
    expect(small.stdout.split("\n").filter(Boolean)).toHaveLength(20);

    const started = performance.now();
    const error = await nb.execute(big, { maxBufferSize: 100_000, timeoutMs: 60_000 }).catch((e: unknown) => e);
    const ms = performance.now() - started;
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as Error).message).toMatch(/exceeded the parser's buffer limit of 100000 characters/);
    // The session is fine afterwards.
    expect((await nb.execute("print('after')", { timeoutMs: 30_000 })).stdout).toBe("after\n");
    figures["maxBufferSize"] = { limit: 100_000, eventChars: 900_000, msToProtocolError: Math.round(ms) };
  }, 60_000);
});
