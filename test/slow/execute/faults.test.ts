/**
 * Fault tests of execute through the public client (`connect()` of `marimo-pair/client`)
 * against a misbehaving `node:http` server. Each case ends in its documented typed error
 * (or is tolerated) within the configured timeouts, and leaves no socket open on the
 * server and no timer behind in this process.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  AuthError,
  connect,
  ExecutionError,
  HttpError,
  type MarimoClient,
  NoSessionError,
  type NotebookSession,
  ProtocolError,
  SessionNotFoundError,
  StreamIncompleteError,
  TimeoutError,
} from "../../../src/client.js";
import type { ExecuteEvent } from "../../../src/execute/events.js";
import { connect as connectNode } from "../../../src/session/connect-node.js";
import {
  DONE_OK,
  type FaultServer,
  sendJson,
  sseEvent,
  startFaultServer,
  startSse,
} from "../../helpers/fault-server.js";

const EXECUTE = "POST /api/kernel/execute";
/** Headers timeout of the clients in this file: long enough for a loaded machine, short enough to test. */
const HEADERS_TIMEOUT_MS = 5000;

let server: FaultServer;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
/** Observed durations, in ms, by case (printed when MARIMO_PAIR_FIGURES is set). */
const figures: Record<string, number> = {};

beforeAll(async () => {
  server = await startFaultServer();
  process.on("unhandledRejection", onUnhandled);
});

afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await server.close();
});

beforeEach(() => server.reset());

function timersAlive(): number {
  return process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
}

/**
 * A fault case: runs `fn`, then requires that the server has no open socket, that no
 * behaviour timer is left, and that this process holds no more timers than before.
 */
function fault(name: string, fn: () => Promise<void>): void {
  it(name, async () => {
    const before = timersAlive();
    const started = performance.now();
    await fn();
    figures[name] = Math.round(performance.now() - started);
    await server.waitForNoSockets(5000);
    expect(server.activeTimers()).toBe(0);
    // Let closed sockets and settled promises release their handles; the test runner's own
    // short-lived timers may come and go meanwhile, a leaked SDK timer (60 s here) would not.
    const deadline = Date.now() + 2000;
    while (timersAlive() > before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(timersAlive()).toBeLessThanOrEqual(before);
  });
}

function client(options: { token?: string; timeoutMs?: number } = {}): MarimoClient {
  return connect(server.url, { timeoutMs: HEADERS_TIMEOUT_MS, ...options });
}

async function session(c: MarimoClient = client()): Promise<NotebookSession> {
  return c.session({ file: "nb.py" });
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );
}

/** Expect that the server saw the client close the execute connection before the response ended. */
async function expectClosedEarly(index = 0): Promise<void> {
  const seen = server.seen(EXECUTE)[index];
  if (seen === undefined) throw new Error("no execute request seen");
  await expect(seen.closed).resolves.toEqual({ early: true });
}

/** Expect `elapsed` to be a plausible firing of a timer set to `ms` on a loaded machine. */
function expectFiredAfter(elapsed: number, ms: number): void {
  expect(elapsed).toBeGreaterThanOrEqual(ms * 0.8);
  expect(elapsed).toBeLessThan(ms * 10);
}

describe("HTTP errors before the stream", () => {
  fault("500 with a JSON detail → HttpError carrying the detail; the POST is not retried", async () => {
    server.on(EXECUTE, (_req, res) => sendJson(res, 500, { detail: "Kernel exploded" }));
    const error = await failure((await session()).execute("1"));
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ code: "http_error", status: 500, detail: "Kernel exploded" });
    expect((error as Error).message).toBe(`POST ${server.url}/api/kernel/execute: HTTP 500: Kernel exploded`);
    expect(server.seen(EXECUTE)).toHaveLength(1);
  });

  fault("an HTML error page → HttpError with a short one-line detail", async () => {
    const page = `<!DOCTYPE html>\n<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n${"<p>upstream went away</p>\n".repeat(500)}</body>\n</html>\n`;
    server.on(EXECUTE, (_req, res) => {
      res.writeHead(502, { "content-type": "text/html" });
      res.end(page);
    });
    const error = await failure((await session()).execute("1"));
    expect(error).toBeInstanceOf(HttpError);
    const detail = (error as HttpError).detail;
    expect((error as HttpError).status).toBe(502);
    expect(detail).toContain("502 Bad Gateway");
    expect(detail.length).toBeLessThanOrEqual(300);
    expect(detail).not.toMatch(/\n/);
    expect((error as Error).message.length).toBeLessThan(500);
  });

  fault("401 → AuthError without the token in its message", async () => {
    const token = "tok-Very-Secret-4711";
    server.on(EXECUTE, (_req, res) => sendJson(res, 401, { detail: "Authorization header required" }));
    const error = await failure((await session(client({ token }))).execute("1"));
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ code: "unauthorized", status: 401, detail: "Authorization header required" });
    expect((error as Error).message).not.toContain(token);
    expect(JSON.stringify(error)).not.toContain(token);
    expect(String((error as Error).stack)).not.toContain(token);
    // The token was sent, as the password of a Basic header.
    expect(server.seen(EXECUTE)[0]?.headers.authorization === `Basic ${btoa(`marimo-pair:${token}`)}`).toBe(true);
  });

  fault("'Invalid session id' on a session selected by file → re-resolved, retried once, succeeds", async () => {
    server.on("GET /api/sessions", (_req, res, ctx) =>
      sendJson(res, 200, { [ctx.call === 0 ? "s_1" : "s_2"]: { filename: "nb.py", path: "/x/nb.py" } }),
    );
    server.on(EXECUTE, (req, res) => {
      if (req.headers["marimo-session-id"] !== "s_2") return sendJson(res, 500, { detail: "Invalid session id: s_1" });
      startSse(res);
      res.end(sseEvent("stdout", { data: "hi\n" }) + DONE_OK);
    });
    const nb = await session();
    expect(nb.sessionId).toBe("s_1");
    const result = await nb.execute("print('hi')");
    expect(result).toMatchObject({ success: true, stdout: "hi\n" });
    expect(server.seen(EXECUTE).map((r) => r.headers["marimo-session-id"])).toEqual(["s_1", "s_2"]);
    expect(nb.sessionId).toBe("s_2");
  });

  fault("'Invalid session id' every time, with a new id every listing → SessionNotFoundError after one retry", async () => {
    server.on("GET /api/sessions", (_req, res, ctx) => sendJson(res, 200, { [`s_${ctx.call + 1}`]: { filename: "nb.py", path: "/x/nb.py" } }));
    server.on(EXECUTE, (req, res) => sendJson(res, 500, { detail: `Invalid session id: ${String(req.headers["marimo-session-id"])}` }));
    const error = await failure((await session()).execute("1"));
    expect(error).toBeInstanceOf(SessionNotFoundError);
    expect(error).toMatchObject({ code: "session_not_found", sessionId: "s_2", status: 500 });
    expect(server.seen(EXECUTE)).toHaveLength(2);
    // One listing to select, one to re-resolve: not a loop.
    expect(server.seen("GET /api/sessions")).toHaveLength(2);
  });

  fault("'Invalid session id' while the listing still shows that id → no retry", async () => {
    server.on(EXECUTE, (_req, res) => sendJson(res, 500, { detail: "Invalid session id: s_1" }));
    const error = await failure((await session()).execute("1"));
    expect(error).toMatchObject({ code: "session_not_found", sessionId: "s_1" });
    expect(server.seen(EXECUTE)).toHaveLength(1);
  });

  fault("'Invalid session id' on a session selected by id that is gone → NoSessionError listing what is open", async () => {
    server.on("GET /api/sessions", (_req, res, ctx) =>
      sendJson(res, 200, { [ctx.call === 0 ? "s_1" : "s_9"]: { filename: "nb.py", path: "/x/nb.py" } }),
    );
    server.on(EXECUTE, (_req, res) => sendJson(res, 500, { detail: "Invalid session id: s_1" }));
    const nb = await client().session({ sessionId: "s_1" });
    const error = await failure(nb.execute("1"));
    expect(error).toBeInstanceOf(NoSessionError);
    expect((error as NoSessionError).available).toEqual([{ sessionId: "s_9", path: "/x/nb.py" }]);
    expect(server.seen(EXECUTE)).toHaveLength(1);
  });

  fault("200 with application/json instead of an event stream → ProtocolError with the body", async () => {
    server.on(EXECUTE, (_req, res) => sendJson(res, 200, { success: true }));
    const error = await failure((await session()).execute("1"));
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).message).toContain("expected an event stream, got 'application/json'");
    expect((error as ProtocolError).raw).toBe('{"success":true}');
  });

  fault("200 with an endless HTML body → ProtocolError with a bounded excerpt; the client stops reading", async () => {
    let written = 0;
    server.on(EXECUTE, (_req, res, ctx) => {
      res.writeHead(200, { "content-type": "text/html" });
      const piece = "<p>login required</p>\n".repeat(1000);
      const pump = (): void => {
        while (!ctx.gone() && written < 256 * 1024 * 1024) {
          written += piece.length;
          if (!res.write(piece)) {
            res.once("drain", pump);
            return;
          }
        }
        res.end();
      };
      pump();
    });
    const error = await failure((await session()).execute("1"));
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).raw).toBe("<p>login required</p>\n".repeat(1000).slice(0, 2000));
    await expectClosedEarly();
    expect(written).toBeLessThan(64 * 1024 * 1024);
    figures["bytes the server wrote before the close (endless HTML)"] = written;
  });

  fault("a content type in another letter case is still an event stream", async () => {
    server.on(EXECUTE, (_req, res) => {
      res.writeHead(200, { "content-type": "Text/Event-Stream; Charset=UTF-8" });
      res.end(sseEvent("stdout", { data: "ok\n" }) + DONE_OK);
    });
    expect(await (await session()).execute("1")).toMatchObject({ success: true, stdout: "ok\n" });
  });
});

describe("broken streams", () => {
  fault("garbage bytes as text/event-stream → StreamIncompleteError", async () => {
    // SSE ignores lines that are not fields, so binary noise yields no event at all: to the
    // client it is a stream that ended before `done`, which is what StreamIncompleteError says.
    // (Noise inside a known event's data is a ProtocolError: next case.)
    let seed = 42;
    const noise = Buffer.alloc(64 * 1024, 0);
    for (let i = 0; i < noise.length; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      noise[i] = seed >>> 24;
    }
    server.on(EXECUTE, (_req, res) => {
      startSse(res);
      res.end(noise);
    });
    const error = await failure((await session()).execute("1"));
    expect(error).toBeInstanceOf(StreamIncompleteError);
    expect((error as Error).message).toContain("ended before 'done'");
  });

  fault("noise in a stdout event's data → ProtocolError with the raw text", async () => {
    server.on(EXECUTE, (_req, res) => {
      startSse(res);
      res.end(Buffer.concat([Buffer.from("event: stdout\ndata: "), Buffer.from([0xff, 0xfe, 0x7b, 0x7b]), Buffer.from("\n\n"), Buffer.from(DONE_OK)]));
    });
    const error = await failure((await session()).execute("1"));
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).message).toContain("execute event 'stdout': the body is not JSON");
    expect((error as ProtocolError).raw).toBe("\ufffd\ufffd{{");
  });

  fault("unknown event names, unnamed events, id: and retry: lines → ignored", async () => {
    server.on(EXECUTE, (_req, res) => {
      startSse(res);
      res.end(
        sseEvent("progress", { percent: 50 }) +
          `data: {"data": "unnamed"}\n\n` +
          `id: 7\nretry: 1000\n` +
          sseEvent("stdout", { data: "a" }) +
          sseEvent("kernel-ready", "not even json") +
          sseEvent("stderr", { data: "b", extra: [1, 2] }) +
          sseEvent("stdout2", { data: "nope" }) +
          DONE_OK,
      );
    });
    const events: ExecuteEvent[] = [];
    for await (const event of (await session()).stream("1")) events.push(event);
    expect(events).toEqual([
      { type: "stdout", data: "a" },
      { type: "stderr", data: "b" },
      { type: "done", success: true, output: { mimetype: "text/plain", data: "" } },
    ]);
  });

  fault("a slow drip (an event every 50 ms) → every event delivered, in order", async () => {
    server.on(EXECUTE, (_req, res, ctx) => {
      startSse(res);
      let n = 0;
      ctx.every(50, () => {
        if (n === 20) {
          res.end(DONE_OK);
          return false;
        }
        res.write(sseEvent("stdout", { data: `${n++}\n` }));
        return true;
      });
    });
    const seen: string[] = [];
    const result = await (await session()).execute("drip", {
      idleTimeoutMs: 3000,
      onEvent: (e) => {
        if (e.type === "stdout") seen.push(e.data);
      },
    });
    const expected = Array.from({ length: 20 }, (_, i) => `${i}\n`);
    expect(seen).toEqual(expected);
    expect(result).toMatchObject({ success: true, stdout: expected.join("") });
  });

  fault("a stream cut (socket destroyed) without done → StreamIncompleteError, after the events before it", async () => {
    server.on(EXECUTE, async (_req, res, ctx) => {
      startSse(res);
      res.write(sseEvent("stdout", { data: "partial\n" }));
      await ctx.sleep(100);
      res.destroy();
    });
    const events: ExecuteEvent[] = [];
    const error = await failure(
      (async () => {
        for await (const event of (await session()).stream("1")) events.push(event);
      })(),
    );
    expect(events).toEqual([{ type: "stdout", data: "partial\n" }]);
    expect(error).toBeInstanceOf(StreamIncompleteError);
  });

  fault("a stream that ends cleanly without done → StreamIncompleteError; result() rejects the same way", async () => {
    server.on(EXECUTE, (_req, res) => {
      startSse(res);
      res.end(sseEvent("stdout", { data: "partial\n" }));
    });
    const run = (await session()).stream("1");
    const error = await failure(run.result());
    expect(error).toBeInstanceOf(StreamIncompleteError);
    expect(error).toMatchObject({ code: "stream_incomplete", request: { method: "POST", url: `${server.url}/api/kernel/execute` } });
  });

  fault("a done event with a malformed payload → ProtocolError with the zod issues", async () => {
    server.on(EXECUTE, (_req, res) => {
      startSse(res);
      res.end(sseEvent("done", { success: "yes", output: { mimetype: 3 } }));
    });
    const error = await failure((await session()).execute("1"));
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).issues.length).toBeGreaterThan(0);
    expect((error as ProtocolError).raw).toEqual({ success: "yes", output: { mimetype: 3 } });
  });

  fault("a done event that is not JSON → ProtocolError", async () => {
    server.on(EXECUTE, (_req, res) => {
      startSse(res);
      res.end("event: done\ndata: {success: true\n\n");
    });
    const error = await failure((await session()).execute("1"));
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).raw).toBe("{success: true");
  });

  fault("the pre-0.23.7 done shapes are parsed", async () => {
    server.on(EXECUTE, (_req, res, ctx) => {
      startSse(res);
      if (ctx.call === 0) {
        res.end(
          sseEvent("stderr", { data: "Traceback ...\nKeyError: 'k'\n" }) +
            sseEvent("done", { success: false, error: { type: "CellExecutionError", msg: "cell '__scratch__' raised KeyError", exception_type: null } }),
        );
      } else if (ctx.call === 1) {
        res.end(sseEvent("done", { success: true }));
      } else {
        res.end(sseEvent("done", { success: false, error: { type: "TimeoutError", msg: "timed out" } }));
      }
    });
    const nb = await session();
    expect(await nb.execute("d['k']")).toEqual({
      success: false,
      stdout: "",
      stderr: "Traceback ...\nKeyError: 'k'\n",
      output: { mimetype: "text/plain", data: "" },
      truncated: false,
      error: { type: "CellExecutionError", msg: "cell '__scratch__' raised KeyError" },
    });
    expect(await nb.execute("x = 1")).toEqual({ success: true, stdout: "", stderr: "", output: { mimetype: "text/plain", data: "" }, truncated: false });
    const thrown = await failure(nb.execute("slow()", { throwOnError: true }));
    expect(thrown).toBeInstanceOf(ExecutionError);
  });

  fault("an SSE line beyond maxBufferSize → ProtocolError, and the client stops reading", async () => {
    const piece = Buffer.alloc(16 * 1024, 0x61);
    let written = 0;
    server.on(EXECUTE, (_req, res, ctx) => {
      startSse(res);
      res.write("event: stdout\ndata: ");
      // An endless line, written as fast as the client reads it.
      const pump = (): void => {
        while (!ctx.gone() && written < 256 * 1024 * 1024) {
          written += piece.length;
          if (!res.write(piece)) {
            res.once("drain", pump);
            return;
          }
        }
        res.end();
      };
      pump();
    });
    const error = await failure((await session()).execute("1", { maxBufferSize: 64 * 1024 }));
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as Error).message).toContain("buffer limit of 65536 characters");
    await expectClosedEarly();
    // What the server got out before the client hung up: socket buffers, not the whole line.
    expect(written).toBeLessThan(64 * 1024 * 1024);
    figures["bytes the server wrote before the close (maxBufferSize 64 Ki chars)"] = written;
  });
});

describe("timeouts", () => {
  fault("a hang before headers → TimeoutError 'headers' from the client's timeoutMs", async () => {
    server.on(EXECUTE, () => undefined);
    const nb = await session(client({ timeoutMs: 500 }));
    const started = performance.now();
    const error = await failure(nb.execute("1"));
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: "timeout", timer: "headers", timeoutMs: 500 });
    expectFiredAfter(elapsed, 500);
    figures["headers timeout 500 ms fired after"] = Math.round(elapsed);
    await expectClosedEarly();
  });

  fault("a hang mid-stream with idleTimeoutMs → TimeoutError 'idle'", async () => {
    server.on(EXECUTE, (_req, res) => {
      startSse(res);
      res.write(sseEvent("stdout", { data: "started\n" }));
    });
    const run = (await session()).stream("1", { idleTimeoutMs: 500 });
    const iterator = run[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toEqual({ type: "stdout", data: "started\n" });
    const started = performance.now();
    const error = await failure(iterator.next());
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ timer: "idle", timeoutMs: 500 });
    expectFiredAfter(elapsed, 500 * 0.9);
    figures["idle timeout 500 ms fired after"] = Math.round(elapsed);
    await expect(run.result()).rejects.toBe(error);
    await expectClosedEarly();
  });

  fault("a stream that never finishes (events every 50 ms) with timeoutMs → TimeoutError 'total'", async () => {
    server.on(EXECUTE, (_req, res, ctx) => {
      startSse(res);
      ctx.every(50, () => void res.write(sseEvent("stdout", { data: "." })));
    });
    const started = performance.now();
    let events = 0;
    const error = await failure(
      (await session()).execute("forever", { timeoutMs: 800, idleTimeoutMs: 5000, onEvent: () => events++ }),
    );
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ timer: "total", timeoutMs: 800 });
    expectFiredAfter(elapsed, 800);
    expect(events).toBeGreaterThan(0);
    figures["total timeout 800 ms fired after"] = Math.round(elapsed);
    await expectClosedEarly();
  });

  fault("a hang before headers with timeoutMs on the execute → TimeoutError 'total'", async () => {
    server.on(EXECUTE, () => undefined);
    const started = performance.now();
    const error = await failure((await session()).execute("1", { timeoutMs: 500 }));
    const elapsed = performance.now() - started;
    expect(error).toMatchObject({ timer: "total", timeoutMs: 500 });
    expectFiredAfter(elapsed, 500);
    await expectClosedEarly();
  });
});

describe("cancellation", () => {
  fault("the caller's AbortSignal mid-stream → rejects with signal.reason; the server sees the close", async () => {
    server.on(EXECUTE, (_req, res) => {
      startSse(res);
      res.write(sseEvent("stdout", { data: "working\n" }));
    });
    const controller = new AbortController();
    const reason = new Error("caller gave up");
    const run = (await session()).stream("1", { signal: controller.signal });
    const iterator = run[Symbol.asyncIterator]();
    await iterator.next();
    controller.abort(reason);
    await expect(iterator.next()).rejects.toBe(reason);
    await expect(run.result()).rejects.toBe(reason);
    await expectClosedEarly();
  });

  fault("the caller's AbortSignal before headers → rejects with signal.reason", async () => {
    server.on(EXECUTE, () => undefined);
    const controller = new AbortController();
    const reason = new Error("never mind");
    const pending = (await session()).execute("1", { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 100));
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await expectClosedEarly();
  });

  fault("an already aborted signal → rejects with its reason", async () => {
    server.on(EXECUTE, () => undefined);
    const reason = new Error("too late");
    await expect((await session()).execute("1", { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });

  fault("break in for-await → the server sees the close; result() rejects with an AbortError", async () => {
    server.on(EXECUTE, (_req, res, ctx) => {
      startSse(res);
      ctx.every(20, () => void res.write(sseEvent("stdout", { data: "tick\n" })));
    });
    const run = (await session()).stream("1");
    for await (const event of run) {
      if (event.type === "stdout") break;
    }
    await expectClosedEarly();
    await expect(run.result()).rejects.toMatchObject({ name: "AbortError" });
  });

  fault("abort() with a reason → iteration and result() reject with it", async () => {
    server.on(EXECUTE, (_req, res) => {
      startSse(res);
      res.write(sseEvent("stdout", { data: "x" }));
    });
    const run = (await session()).stream("1", { timeoutMs: 60_000, idleTimeoutMs: 60_000 });
    const iterator = run[Symbol.asyncIterator]();
    await iterator.next();
    const reason = new Error("stop");
    run.abort(reason);
    await expect(iterator.next()).rejects.toBe(reason);
    await expect(run.result()).rejects.toBe(reason);
    await expectClosedEarly();
  });

  fault("abort() of a stream nobody reads, with timers set → no timer is left running", async () => {
    server.on(EXECUTE, () => undefined);
    const nb = await session();
    const run = nb.stream("1", { timeoutMs: 60_000, idleTimeoutMs: 60_000 });
    await new Promise((r) => setTimeout(r, 100));
    run.abort();
    // Neither iterated nor awaited: the timers must go with the abort, not 60 s later.
    await expectClosedEarly();
  });

  fault("abort() of a stream nobody reads, then result() → rejects with an AbortError", async () => {
    server.on(EXECUTE, () => undefined);
    const run = (await session()).stream("1", { timeoutMs: 60_000 });
    run.abort();
    await expect(run.result()).rejects.toMatchObject({ name: "AbortError" });
  });
});

describe("through the Node entry's fetch (an undici agent without timeouts of its own)", () => {
  const nodeSession = (timeoutMs = HEADERS_TIMEOUT_MS) => connectNode(server.url, { timeoutMs }).session({ file: "nb.py" });

  fault("a hang before headers → TimeoutError 'headers'", async () => {
    server.on(EXECUTE, () => undefined);
    const started = performance.now();
    const error = await failure((await nodeSession(500)).execute("1"));
    expect(error).toMatchObject({ code: "timeout", timer: "headers" });
    expectFiredAfter(performance.now() - started, 500);
    await expectClosedEarly();
  });

  fault("a hang mid-stream with idleTimeoutMs → TimeoutError 'idle'", async () => {
    server.on(EXECUTE, (_req, res) => {
      startSse(res);
      res.write(sseEvent("stdout", { data: "started\n" }));
    });
    const error = await failure((await nodeSession()).execute("1", { idleTimeoutMs: 500 }));
    expect(error).toMatchObject({ code: "timeout", timer: "idle" });
    await expectClosedEarly();
  });

  fault("a cut stream → StreamIncompleteError", async () => {
    server.on(EXECUTE, async (_req, res, ctx) => {
      startSse(res);
      res.write(sseEvent("stdout", { data: "partial\n" }));
      await ctx.sleep(50);
      res.destroy();
    });
    expect(await failure((await nodeSession()).execute("1"))).toBeInstanceOf(StreamIncompleteError);
  });

  fault("break in for-await → the server sees the close", async () => {
    server.on(EXECUTE, (_req, res, ctx) => {
      startSse(res);
      ctx.every(20, () => void res.write(sseEvent("stdout", { data: "tick\n" })));
    });
    for await (const event of (await nodeSession()).stream("1")) {
      if (event.type === "stdout") break;
    }
    await expectClosedEarly();
  });
});

describe("after all fault cases", () => {
  it("no promise rejection went unhandled", () => {
    if (process.env["MARIMO_PAIR_FIGURES"] !== undefined) console.error(JSON.stringify(figures, null, 1));
    expect(unhandled).toEqual([]);
    expect(Object.keys(figures).length).toBeGreaterThan(20);
  });
});
