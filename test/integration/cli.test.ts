/**
 * The built CLI against real marimo: `exec` with every code source, streaming, exit
 * codes and guidance, tokens, the call log, Ctrl-C; `sessions`.
 */
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createTcpServer, connect as tcpConnect, type Server as TcpServer } from "node:net";
import { networkInterfaces } from "node:os";
import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { has } from "../helpers/feature.js";
import {
  makeTempDir,
  type MarimoServer,
  openRawSession,
  type RawSession,
  SIMPLE_NOTEBOOK,
  startMarimo,
  stopAll,
} from "../helpers/marimo-server.js";
import { cliPath, type CliRun, NODE, prepareCli, runCli } from "./cli-helpers.js";

const TOKEN = `tok-${Math.random().toString(36).slice(2)}-${Date.now()}`;
const WRONG = `wrong-${Math.random().toString(36).slice(2)}`;

let server: MarimoServer; // two notebooks, both open
let tokenServer: MarimoServer; // --token-password
let pathA: string;
let pathB: string;
let tmp: string;
const held: RawSession[] = [];

beforeAll(async () => {
  await prepareCli();
  tmp = await makeTempDir("cli-");
  [server, tokenServer] = await Promise.all([
    startMarimo({ notebooks: { "a.py": SIMPLE_NOTEBOOK, "b.py": SIMPLE_NOTEBOOK } }),
    startMarimo({ tokenPassword: TOKEN }),
  ]);
  pathA = join(server.dir, "a.py");
  pathB = join(server.dir, "b.py");
  held.push(await openRawSession(server, { file: pathA }));
  held.push(await openRawSession(server, { file: pathB }));
});

afterAll(async () => {
  for (const session of held) session.close();
  await Promise.all([server?.stop(), tokenServer?.stop()]);
  await stopAll();
});

/** The parts of a run worth showing when an assertion fails. */
const outcome = (run: CliRun) => ({ code: run.code, stdout: run.stdout, stderr: run.stderr });

/** `exec` on notebook a.py of the main server. */
const execA = (args: string[], options: Parameters<typeof runCli>[1] = {}) =>
  runCli(["exec", "--url", server.url, "--file", pathA, ...args], options);

describe("exec: code sources", () => {
  it("-c: streams stdout, prints the last value, exits 0", async () => {
    const run = await execA(["-c", "print('hello')\n1 + 41"]);
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe("hello\n<pre class='text-xs'>42</pre>\n");
    expect(run.code).toBe(0);
  });

  it("a file path", async () => {
    const file = join(tmp, "code.py");
    await writeFile(file, "print('from a file')\n");
    const run = await execA([file]);
    expect(run).toMatchObject({ code: 0, stdout: "from a file\n", stderr: "" });
  });

  it("- reads stdin", async () => {
    const run = await execA(["-"], { stdin: "print('from dash')" });
    expect(run).toMatchObject({ code: 0, stdout: "from dash\n", stderr: "" });
  });

  it("piped stdin without any code argument", async () => {
    const run = await execA([], { stdin: "print('from the pipe')" });
    expect(run).toMatchObject({ code: 0, stdout: "from the pipe\n", stderr: "" });
  });

  it("a file that does not exist is a usage error", async () => {
    const run = await execA([join(tmp, "missing.py")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot read the code file .*missing\.py.*ENOENT/);
  });
});

describe("exec: text that breaks shell scripts round-trips exactly", () => {
  // Quotes of every kind, backticks, ${}, $(), $VAR, backslashes, %, braces, non-ASCII.
  const PAYLOAD = String.raw`He said "hi" & 'bye'; ${"`"}ls -la${"`"} ${"${HOME}"} $(whoami) $PATH \n \\ \t \" %s {x} {{y}} é ✓ 🐍 ;|&<>`;
  const CODE = `payload = r"""${PAYLOAD}"""\nprint(payload, end="")\n`;

  it("through piped stdin", async () => {
    const run = await execA(["-"], { stdin: CODE });
    expect(outcome(run)).toEqual({ code: 0, stdout: PAYLOAD, stderr: "" });
  });

  it("through -c", async () => {
    const run = await execA(["-c", CODE]);
    expect(outcome(run)).toEqual({ code: 0, stdout: PAYLOAD, stderr: "" });
  });

  it("through a quoted bash heredoc, as an agent would write it", async () => {
    const script = `"$MP_NODE" "$MP_CLI" exec --url "$MP_URL" --file "$MP_FILE" <<'EOF'\n${CODE}EOF\n`;
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      // HOME points at an empty directory so no startup file of the developer runs.
      const child = spawn("bash", ["--norc", "--noprofile", "-c", script], {
        env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: tmp, MP_NODE: NODE, MP_CLI: cliPath(), MP_URL: server.url, MP_FILE: pathA },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
    expect(run).toEqual({ code: 0, stdout: PAYLOAD, stderr: "" });
  });
});

describe("exec: output streams and exit codes", () => {
  it("sends stdout and stderr events to the matching streams, as they arrive", async () => {
    const code = [
      "import sys, time",
      "print('first', flush=True)",
      "print('warned', file=sys.stderr, flush=True)",
      "time.sleep(2.5)",
      "print('second', flush=True)",
    ].join("\n");
    const run = await execA(["-c", code]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("first\nsecond\n");
    expect(run.stderr).toBe("warned\n");
    const firstAt = run.chunks.find((c) => c.data.includes("first"))?.at ?? Infinity;
    const secondAt = run.chunks.find((c) => c.data.includes("second"))?.at ?? -Infinity;
    // 'first' was written long before the run ended, not buffered until the end.
    expect(secondAt - firstAt).toBeGreaterThan(1500);
  });

  it("a Python exception: traceback on stderr, nothing on stdout, exit 1", async () => {
    const run = await execA(["-c", "raise ValueError('boom')"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("Traceback (most recent call last)");
    expect(run.stderr).toContain("ValueError: boom");
  });

  it("a syntax error: exit 1", async () => {
    const run = await execA(["-c", "def :"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("SyntaxError");
  });

  it("several open notebooks and no selector: exit 1, lists them with their files", async () => {
    const run = await runCli(["exec", "--url", server.url, "-c", "1"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/2 notebooks are open on http:\/\/127\.0\.0\.1:\d+.*--file/s);
    expect(run.stderr).toContain(pathA);
    expect(run.stderr).toContain(pathB);
  });

  it("--file that matches nothing: exit 1, lists the open notebooks", async () => {
    const run = await runCli(["exec", "--url", server.url, "--file", "nope.py", "-c", "1"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no open notebook matches --file 'nope.py'/);
    expect(run.stderr).toContain(pathA);
  });

  it("--file by bare name works", async () => {
    const run = await runCli(["exec", "--url", server.url, "--file", "b.py", "-c", "print('b')"]);
    expect(run).toMatchObject({ code: 0, stdout: "b\n" });
  });

  it("--session with a live id works; a stale id fails with advice to use --file", async () => {
    const list = await runCli(["sessions", "--url", server.url, "--json"]);
    expect(list.code).toBe(0);
    const sessions = JSON.parse(list.stdout) as { sessionId: string; stableId: string | null; path: string }[];
    const a = sessions.find((s) => s.path === pathA);
    expect(a).toBeDefined();
    const ok = await runCli(["exec", "--url", server.url, "--session", a?.sessionId ?? "", "-c", "print('by id')"]);
    expect(ok).toMatchObject({ code: 0, stdout: "by id\n" });
    // exec sends the execute to the id at once; a stable id (marimo >= 0.25) is looked up
    // after marimo refuses it (a 500, after which uvicorn closes the kept-alive socket).
    if (a?.stableId != null) {
      const stable = await runCli(["exec", "--url", server.url, "--session", a.stableId, "-c", "print('by stable id')"]);
      expect(stable).toMatchObject({ code: 0, stdout: "by stable id\n" });
    }
    const stale = await runCli(["exec", "--url", server.url, "--session", "s_gone00", "-c", "1"]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/no session 's_gone00'.*--file PATH/s);
    expect(stale.stderr).toContain(pathA);
  });

  it("--file and --session together: usage error, exit 2", async () => {
    const run = await runCli(["exec", "--url", server.url, "--file", pathA, "--session", "x", "-c", "1"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/exclude each other/);
  });

  it("an unreachable URL: exit 1 with advice to check it", async () => {
    const run = await runCli(["exec", "--url", "http://127.0.0.1:9", "-c", "1"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/failed to connect to http:\/\/127\.0\.0\.1:9\..*Check the URL/);
  });

  it("Ctrl-C: exit 130 once the interrupted run has ended; the next run neither waits nor sees its output", async () => {
    let pid = 0;
    let live: CliRun["chunks"] = [];
    // The interrupted code still prints 1 s after the interrupt: marimo would stream that to
    // whichever execute is attached then, so exec waits for the run to end before it exits.
    const code = [
      "import time",
      "print('sleeping', flush=True)",
      "try:",
      "    time.sleep(300)",
      "except KeyboardInterrupt:",
      "    time.sleep(1.0)",
      "    print('late', flush=True)",
      "    raise",
    ].join("\n");
    const pending = execA(["-c", code], {
      onSpawn: (p, chunks) => {
        pid = p;
        live = chunks;
      },
    });
    await waitFor(() => live.some((c) => c.data.includes("sleeping")));
    const interruptedAt = performance.now();
    process.kill(pid, "SIGINT");
    const run = await pending;
    const tookMs = performance.now() - interruptedAt;
    expect(run.stdout).toBe("sleeping\n");
    expect(run.stderr).toMatch(/interrupted/);
    expect(run.stderr).not.toMatch(/still reports running/);
    expect(run.code).toBe(130);
    if (has("kernelStatus", "separateExecutes")) expect(tookMs).toBeGreaterThanOrEqual(900);
    // Without kernelStatus the CLI cannot see the run end (the capability table's `before`), and
    // before separateExecutes marimo reports the kernel idle at once after the disconnect (seen on
    // 0.23.14): the CLI exits at once. Let any late print pass before the next run.
    else await new Promise((r) => setTimeout(r, 2500));
    // Had the kernel kept sleeping, this run would queue behind it for minutes.
    const next = await execA(["-c", "print('awake')"], { timeoutMs: 30_000 });
    expect(next).toMatchObject({ code: 0, stdout: "awake\n" });
  });
});

async function waitFor(check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("exec: tokens", () => {
  const execT = (args: string[], env: Record<string, string> = {}) =>
    runCli(["exec", "--url", tokenServer.url, ...args], { env });
  const noLeak = (run: CliRun) => {
    for (const secret of [TOKEN, WRONG]) {
      expect(run.stdout).not.toContain(secret);
      expect(run.stderr).not.toContain(secret);
    }
  };

  it("no token: exit 1, says to set MARIMO_TOKEN", async () => {
    const run = await execT(["-c", "1"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/refused the request \(401.*Set MARIMO_TOKEN \(or pass --token\)/);
  });

  it("a wrong token (flag or environment): exit 1, and the token is never printed", async () => {
    const byFlag = await execT(["--token", WRONG, "-c", "1"]);
    const byEnv = await execT(["-c", "1"], { MARIMO_TOKEN: WRONG });
    for (const run of [byFlag, byEnv]) {
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/401/);
      noLeak(run);
    }
  });

  it("the right token but no open notebook: exit 1, says to open it", async () => {
    const run = await execT(["-c", "1"], { MARIMO_TOKEN: TOKEN });
    expect(run.code).toBe(1);
    if (has("skewFreeSessionList")) {
      expect(run.stderr).toMatch(/no notebook is open on http:\/\/127\.0\.0\.1:\d+\..*marimo-pair open --file PATH/s);
    } else {
      // Before 0.22.3 a token server lists sessions to nobody: the CLI says how to get past that.
      expect(run.stderr).toMatch(/lists sessions only when started with --no-token and --no-skew-protection.*--url URL --session ID/s);
    }
    noLeak(run);
  });

  it("with an open notebook: MARIMO_TOKEN and --token both work; --token wins", async () => {
    const raw = await openRawSession(tokenServer);
    held.push(raw);
    // Before 0.22.3 the session must be named (the server lists none); it is then used as named.
    const named = has("skewFreeSessionList") ? [] : ["--session", raw.sessionId];
    const byEnv = await execT([...named, "-c", "print('env ok')"], { MARIMO_TOKEN: TOKEN });
    expect(byEnv).toMatchObject({ code: 0, stdout: "env ok\n" });
    const byFlag = await execT([...named, "--token", TOKEN, "-c", "print('flag ok')"], { MARIMO_TOKEN: WRONG });
    expect(byFlag).toMatchObject({ code: 0, stdout: "flag ok\n" });
    noLeak(byEnv);
    noLeak(byFlag);
  });
});

describe("exec: call log and hosts", () => {
  it("appends one UTC timestamp per call to MARIMO_PAIR_EXEC_LOG and EXECUTE_CODE_LOG", async () => {
    const ours = join(tmp, "calls.log");
    const legacy = join(tmp, "legacy.log");
    const env = { MARIMO_PAIR_EXEC_LOG: ours, EXECUTE_CODE_LOG: legacy };
    expect((await execA(["-c", "1"], { env })).code).toBe(0);
    expect((await execA(["-c", "raise ValueError('x')"], { env })).code).toBe(1);
    for (const file of [ours, legacy]) {
      const lines = (await readFile(file, "utf8")).split("\n");
      expect(lines).toHaveLength(3);
      expect(lines[2]).toBe("");
      for (const line of lines.slice(0, 2)) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
  });

  it("a non-local host: warns on stderr (without the token) and still runs", async () => {
    // A TCP relay on this machine's non-loopback address makes the server reachable
    // through a host name that is not local.
    const address = Object.values(networkInterfaces())
      .flat()
      .find((a) => a !== undefined && a.family === "IPv4" && !a.internal)?.address;
    if (address === undefined) {
      // No external interface: the warning still comes first, then the connection fails.
      const run = await runCli(["exec", "--url", "http://marimo-pair-test.invalid:9", "-c", "1"], {
        env: { MARIMO_TOKEN: TOKEN },
      });
      expect(run.stderr).toMatch(/warning: 'marimo-pair-test.invalid' is not this machine; your code and token/);
      expect(run.stderr).not.toContain(TOKEN);
      expect(run.code).toBe(1);
      return;
    }
    const relay = await startRelay(address, server.port);
    try {
      const run = await runCli(["exec", "--url", `http://${address}:${relay.port}`, "--file", pathA, "-c", "print('far')"], {
        env: { MARIMO_TOKEN: TOKEN },
      });
      expect(run.stderr).toBe(`marimo-pair: warning: '${address}' is not this machine; your code and token will be sent there. Make sure you trust it.\n`);
      expect(run.stdout).toBe("far\n");
      expect(run.code).toBe(0);
    } finally {
      relay.server.close();
    }
  });

  it("a local host: no warning", async () => {
    const run = await runCli(["exec", "--url", server.url.replace("127.0.0.1", "localhost"), "--file", pathA, "-c", "print(1)"]);
    expect(run).toMatchObject({ code: 0, stderr: "", stdout: "1\n" });
  });
});

describe("exec: a stream that ends before completion", () => {
  // A real marimo only does this when it dies mid-run; a fake server does it on demand.
  let fake: Server;
  let fakeUrl = "";

  beforeAll(async () => {
    fake = createHttpServer((req, res) => {
      if (req.url === "/api/sessions") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ s_fake: { filename: "x.py", path: "/tmp/x.py" } }));
        return;
      }
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end('event: stdout\ndata: {"data": "partial\\n"}\n\n');
    });
    await new Promise<void>((r) => fake.listen(0, "127.0.0.1", () => r()));
    const address = fake.address();
    fakeUrl = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`;
  });

  afterAll(() => {
    fake?.close();
  });

  it("prints what arrived, explains, exits 1", async () => {
    const run = await runCli(["exec", "--url", fakeUrl, "-c", "1"]);
    expect(run.stdout).toBe("partial\n");
    expect(run.stderr).toMatch(/ended before marimo reported completion.*retry with --file PATH/);
    expect(run.code).toBe(1);
  });
});

describe("sessions", () => {
  it("prints a table for people", async () => {
    const run = await runCli(["sessions", "--url", server.url]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^SESSION\s+NOTEBOOK$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[1]).sort()).toEqual([pathA, pathB].sort());
  });

  it("prints JSON for programs", async () => {
    const run = await runCli(["sessions", "--url", server.url, "--json"]);
    expect(run.code).toBe(0);
    const rows = JSON.parse(run.stdout) as Record<string, unknown>[];
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(["url", "sessionId", "stableId", "filename", "path"]);
      expect(row["url"]).toBe(server.url);
      expect(row["sessionId"]).toMatch(/^s_/);
    }
  });

  it("exits 1 with advice when the server cannot be reached", async () => {
    const run = await runCli(["sessions", "--url", "http://127.0.0.1:9"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/failed to connect/);
  });
});

/** A TCP relay listening on `host`, forwarding to 127.0.0.1:`targetPort`. */
async function startRelay(host: string, targetPort: number): Promise<{ server: TcpServer; port: number }> {
  const relay = createTcpServer((socket) => {
    const upstream = tcpConnect(targetPort, "127.0.0.1");
    socket.pipe(upstream).pipe(socket);
    socket.on("error", () => upstream.destroy());
    upstream.on("error", () => socket.destroy());
  });
  await new Promise<void>((r) => relay.listen(0, host, () => r()));
  const address = relay.address();
  return { server: relay, port: typeof address === "object" && address !== null ? address.port : 0 };
}
