import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connect,
  type ExecuteEvent,
  type MarimoClient,
  type NotebookSession,
  type OwnedSession,
  SessionNotFoundError,
  StreamIncompleteError,
  TimeoutError,
  UnsupportedVersionError,
} from "../../src/index.js";
import { hasFeature } from "../../src/version.js";
import { type MarimoServer, startMarimo, stopAll, TEST_MARIMO_VERSION } from "../helpers/marimo-server.js";

let server: MarimoServer;
let client: MarimoClient;
let owned: OwnedSession;
let nb: NotebookSession;

beforeAll(async () => {
  server = await startMarimo();
  client = connect(server.url);
  owned = await client.openSession({});
  nb = await client.session({ file: server.notebookPath });
});

afterAll(async () => {
  await owned?.close();
  await server?.stop();
  await stopAll();
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function collect(stream: AsyncIterable<ExecuteEvent>): Promise<ExecuteEvent[]> {
  const events: ExecuteEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe("execute against real marimo", () => {
  it("streams stdout in order, before done", async () => {
    const events = await collect(
      nb.stream("import time\nfor i in range(5):\n    print(f'line {i}', flush=True)\n    time.sleep(0.05)"),
    );
    const last = events.at(-1);
    expect(last).toMatchObject({ type: "done", success: true });
    expect(events.slice(0, -1).every((e) => e.type === "stdout")).toBe(true);
    const text = events.flatMap((e) => (e.type === "stdout" ? [e.data] : [])).join("");
    expect(text).toBe("line 0\nline 1\nline 2\nline 3\nline 4\n");
  });

  it("streams stderr", async () => {
    const r = await nb.execute("import sys\nprint('warn', file=sys.stderr)\nprint('out')");
    expect(r).toMatchObject({ success: true, stdout: "out\n", stderr: "warn\n" });
  });

  it("returns the value of 1 + 1 with its mimetype", async () => {
    const r = await nb.execute("1 + 1");
    expect(r.success).toBe(true);
    expect(r.output).toEqual({ mimetype: "text/html", data: "<pre class='text-xs'>2</pre>" });
  });

  it("reports a SyntaxError as data", async () => {
    const r = await nb.execute("def :");
    expect(r.success).toBe(false);
    // marimo < 0.23.7 reports it in the legacy `error` of `done`, not as stderr.
    expect(hasFeature(TEST_MARIMO_VERSION, "stalenessCheck") ? r.stderr : r.error?.msg).toContain("SyntaxError");
    expect(r.output).toEqual({ mimetype: "text/plain", data: "" });
  });

  it("reports a raised exception with its traceback, as plain text on every release", async () => {
    // marimo 0.22.4 – 0.23.1 send it as highlighted HTML; the SDK gives the text.
    const r = await nb.execute("def fail():\n    raise ValueError('<b> & boom')\nfail()");
    expect(r.success).toBe(false);
    expect(r.stderr).toMatch(/^Traceback \(most recent call last\):\n/);
    expect(r.stderr).toContain("    raise ValueError('<b> & boom')\n");
    expect(r.stderr).toContain(", in fail\n");
    expect(r.stderr).toMatch(/ValueError: <b> & boom\n$/);
    expect(r.stderr).not.toMatch(/codehilite|&lt;|&amp;|<span/);
  });

  it("can throw on a Python error when asked", async () => {
    await expect(nb.execute("raise KeyError('k')", { throwOnError: true })).rejects.toMatchObject({
      code: "execution_failed",
      stderr: expect.stringContaining("KeyError"),
    });
  });

  it("reads notebook variables (after running the notebook's cell through code mode)", async () => {
    const r = await nb.execute(
      // marimo 0.21 names a cell's id `cell_id`.
      "import marimo._code_mode as cm\nasync with cm.get_context() as ctx:\n    c = ctx.cells[0]\n    ctx.run_cell(getattr(c, 'id', None) or c.cell_id)",
    );
    expect(r.success).toBe(true);
    expect((await nb.execute("print(x + 41)")).stdout).toBe("42\n");
  });

  it(`keeps 5 MB of output intact${hasFeature(TEST_MARIMO_VERSION, "consoleBeforeDone") ? "" : " (marimo < 0.23.3 may lose its end: it is a prefix)"}`, async () => {
    // Ten writes of 500 kB each stay under marimo's per-write truncation limit. marimo < 0.23.3
    // ends the stream 50 ms after the code ends, before its console writer has sent the 5 MB
    // (seen empty on 0.21.1, 0.22.5, 0.23.1 and 0.23.2): the capability table's consoleBeforeDone.
    const expected = [..."0123456789"].map((d) => d.repeat(500_000)).join("");
    for (let round = 0; round < 3; round++) {
      const r = await nb.execute("import sys\nfor i in range(10):\n    sys.stdout.write(str(i) * 500_000)\n    sys.stdout.flush()");
      expect(r.success).toBe(true);
      if (hasFeature(TEST_MARIMO_VERSION, "consoleBeforeDone")) {
        expect(r.stdout.length).toBe(5_000_000);
        expect(r.stdout).toBe(expected);
      } else {
        expect(expected.startsWith(r.stdout)).toBe(true);
        // Late output may land in the next execute: let it arrive, and flush it out.
        await new Promise((resolve) => setTimeout(resolve, 2000));
        await nb.execute("pass");
      }
    }
  });

  it("records marimo's per-write limit: sys.getsizeof(text) > 1,000,000 truncates with ' ... '", async () => {
    // The limit compares the str object's size (with its ~50-byte header), so exactly
    // 1,000,000 ASCII characters is already cut, and a warning goes to stderr.
    const r = await nb.execute("import sys\nsys.stdout.write('a' * 1_000_000)");
    expect(r.stdout).toBe(`${"a".repeat(1_000_000)} ... `);
    expect(r.stderr).toContain("marimo truncated a very large console output");
  });

  it("keeps non-ASCII text intact (emoji, CJK, combining marks, astral)", async () => {
    const text = "héllo 🎉 日本語 e\u0301 \u{1D54F} ∑ — Ω";
    const r = await nb.execute(`print(${JSON.stringify(text)})`);
    expect(r.stdout).toBe(`${text}\n`);
  });

  it("bounds the buffered output with maxOutputBytes but still streams everything", async () => {
    let streamed = 0;
    const r = await nb.execute("print('x' * 10000)", {
      maxOutputBytes: 100,
      onEvent: (e) => {
        if (e.type === "stdout") streamed += e.data.length;
      },
    });
    expect(r.truncated).toBe(true);
    expect(r.stdout).toBe("x".repeat(100));
    expect(streamed).toBe(10001);
  });

  it("aborting an infinite loop interrupts the kernel; the next execute answers within 2 s", async () => {
    const controller = new AbortController();
    const run = nb.stream("while True:\n    pass", { signal: controller.signal });
    const outcome = run.result();
    setTimeout(() => controller.abort(new Error("stop it")), 500);
    await expect(outcome).rejects.toThrow("stop it");
    const started = Date.now();
    const next = await nb.execute("print('alive')");
    expect(next.stdout).toBe("alive\n");
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("a total timeout closes the stream with a typed TimeoutError and interrupts the kernel", async () => {
    const error = await nb.execute("import time\ntime.sleep(30)", { timeoutMs: 700 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: "timeout", timer: "total", timeoutMs: 700 });
    expect((await nb.execute("print('after')")).stdout).toBe("after\n");
  });

  it("an idle timeout fires when nothing arrives", async () => {
    const error = await nb
      .execute("import time\nprint('start', flush=True)\ntime.sleep(30)", { idleTimeoutMs: 1500 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "timeout", timer: "idle" });
  });

  it("break in for-await closes the connection and interrupts the kernel", async () => {
    // One print, then sleep: an interrupt landing inside print() can deadlock marimo 0.25.2's kernel.
    for await (const event of nb.stream("import time\nprint('tick', flush=True)\nwhile True:\n    time.sleep(0.05)")) {
      if (event.type === "stdout") break;
    }
    const r = await nb.execute("print('free')");
    expect(r.stdout).toBe("free\n");
  });

  it("two concurrent executes on one session each get only their own output", async () => {
    const a = nb.execute("import time\nfor i in range(5):\n    print('A', i, flush=True)\n    time.sleep(0.05)");
    const b = nb.execute("import time\nfor i in range(5):\n    print('B', i, flush=True)\n    time.sleep(0.05)");
    const [ra, rb] = await Promise.all([a, b]);
    expect(ra.stdout).toBe("A 0\nA 1\nA 2\nA 3\nA 4\n");
    expect(rb.stdout).toBe("B 0\nB 1\nB 2\nB 3\nB 4\n");
  });

  it("result() can be awaited after iterating, and a second iteration is refused", async () => {
    const run = nb.stream("print('once')");
    const events = await collect(run);
    expect(events.at(-1)?.type).toBe("done");
    await expect(run.result()).resolves.toMatchObject({ stdout: "once\n" });
    expect(() => run[Symbol.asyncIterator]()).toThrow(TypeError);
  });

  it("an unknown session id is a typed error", async () => {
    const error = await client.session({ sessionId: "s_nope" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "no_session" });
    // Straight to the server with a made-up id.
    const res = await fetch(`${server.url}/api/kernel/execute`, {
      method: "POST",
      headers: { "Marimo-Session-Id": "s_nope" },
      body: JSON.stringify({ code: "1" }),
    });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ detail: "Invalid session id: s_nope" });
  });

  it("reports the kernel state", async () => {
    if (!hasFeature(TEST_MARIMO_VERSION, "kernelStatus")) {
      await expect(nb.status()).rejects.toBeInstanceOf(UnsupportedVersionError);
      return;
    }
    expect(await nb.status()).toBe("idle");
    const run = nb.stream("import time\ntime.sleep(2)");
    let state = await nb.status();
    for (let i = 0; i < 20 && state !== "running"; i++) {
      await new Promise((r) => setTimeout(r, 100));
      state = await nb.status();
    }
    expect(state).toBe("running");
    await run.result();
  });

  it("lists sessions, version and status", async () => {
    const sessions = await client.sessions();
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ sessionId: owned.connectionId, path: server.notebookPath });
    if (hasFeature(TEST_MARIMO_VERSION, "stableSessionIds")) expect(sessions[0]?.stableId).toMatch(/^sess-/);
    else expect(sessions[0]?.stableId).toBeNull();
    expect(await client.version()).toBe(TEST_MARIMO_VERSION);
    expect(await client.health()).toEqual({ status: "healthy" });
    expect(await client.status()).toMatchObject({ mode: "edit", version: TEST_MARIMO_VERSION, sessions: 1 });
  });
});

describe("session selection and re-keying", () => {
  it("a session selected by file survives the session being re-keyed by a reload", async () => {
    const server2 = await startMarimo();
    try {
      const c = connect(server2.url);
      const first = await c.openSession({});
      const byFile = await c.session({ file: "notebook.py" });
      expect((await byFile.execute("print('before')")).stdout).toBe("before\n");
      // A browser reload: the old connection goes away, a new id resumes the orphaned session.
      await first.close();
      await first.closed;
      // marimo notices the disconnect asynchronously; a reload races it the same way.
      await waitUntil(async () => {
        const res = await fetch(`${server2.url}/api/status/connections`);
        return ((await res.json()) as { active: number }).active === 0;
      });
      const second = await c.openSession({ connectionId: "s_reload" });
      expect(second.resumed).toBe(true);
      const ids = (await c.sessions()).map((s) => s.sessionId);
      expect(ids).toEqual(["s_reload"]);
      expect((await byFile.execute("print('after')")).stdout).toBe("after\n");
      if (hasFeature(TEST_MARIMO_VERSION, "kernelStatus")) expect(await byFile.status()).toBe("idle");
      expect(byFile.sessionId).toBe("s_reload");
      await second.close();
    } finally {
      await server2.stop();
    }
  });

  it("no session, several sessions, and a file match are reported with typed errors", async () => {
    const dirServer = await startMarimo({
      notebooks: { "a.py": (await import("../helpers/marimo-server.js")).SIMPLE_NOTEBOOK, "sub/a.py": (await import("../helpers/marimo-server.js")).SIMPLE_NOTEBOOK },
    });
    try {
      const c = connect(dirServer.url);
      await expect(c.session()).rejects.toMatchObject({ code: "no_session", available: [] });
      const one = await c.openSession({ file: "a.py" });
      const two = await c.openSession({ file: "sub/a.py" });
      const ambiguous = await c.session().catch((e: unknown) => e);
      expect(ambiguous).toMatchObject({ code: "ambiguous_session" });
      expect((ambiguous as Error).message).toContain("sub/a.py");
      await expect(c.session({ file: "a.py" })).rejects.toMatchObject({ code: "ambiguous_session" });
      const sub = await c.session({ file: "sub/a.py" });
      expect(sub.info.path).toBe(`${dirServer.dir}/sub/a.py`);
      const abs = await c.session({ file: `${dirServer.dir}/a.py` });
      expect(abs.info.path).toBe(`${dirServer.dir}/a.py`);
      await expect(c.session({ file: "b.py" })).rejects.toMatchObject({ code: "no_session" });
      await one.close();
      await two.close();
    } finally {
      await dirServer.stop();
    }
  });
});

describe("failures", () => {
  it("a stopped server mid-stream ends in a typed error", async () => {
    const doomed = await startMarimo();
    try {
      const c = connect(doomed.url);
      const s = await c.openSession({});
      const run = s.stream("import time\nprint('started', flush=True)\ntime.sleep(60)");
      const iterator = run[Symbol.asyncIterator]();
      expect((await iterator.next()).value).toMatchObject({ type: "stdout" });
      doomed.kill("SIGKILL");
      const error = await iterator.next().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StreamIncompleteError);
      await s.close();
    } finally {
      await doomed.stop();
    }
  });

  it("nothing listening is a connection error; a non-loopback URL is refused", async () => {
    const c = connect("http://127.0.0.1:1");
    await expect(c.health()).rejects.toMatchObject({ code: "connection_failed" });
    expect(() => connect("http://192.0.2.1:2718")).toThrow(expect.objectContaining({ code: "remote_not_allowed" }));
  });

  it("SessionNotFoundError carries the id for a direct session id", async () => {
    const error = new SessionNotFoundError({ request: { method: "POST", url: "u" }, status: 500, detail: "d" }, "s_x");
    expect(error.sessionId).toBe("s_x");
  });
});
