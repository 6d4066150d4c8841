/**
 * Aborts must reach the connection even after a garbage collection. Node's fetch makes the
 * signal of a Request follow the caller's signal through a weak reference; ky passes a
 * Request, so without care a collection while a body is pending cuts the link and every
 * timer and abort silently stops working (the call hangs). Each case here collects garbage
 * every few milliseconds while the server stalls.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { connect, HttpError, TimeoutError } from "../../../src/client.js";
import { type FaultServer, sendJson, sseEvent, startFaultServer, startSse } from "../../helpers/fault-server.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

let server: FaultServer;

beforeAll(async () => {
  server = await startFaultServer();
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => server.reset());

/** Settle `promise` while collecting garbage; "hang" when it takes longer than 5 s. */
async function underGc(promise: Promise<unknown>): Promise<unknown> {
  const collector = setInterval(gc, 5);
  try {
    return await Promise.race([
      promise.then(
        () => "resolved",
        (error: unknown) => error,
      ),
      new Promise((resolve) => setTimeout(() => resolve("hang"), 5000).unref()),
    ]);
  } finally {
    clearInterval(collector);
  }
}

describe("under garbage collection", () => {
  it("a JSON body that stalls still times out", async () => {
    server.on("GET /api/sessions", (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write("{");
    });
    for (let i = 0; i < 3; i++) {
      expect(await underGc(connect(server.url, { timeoutMs: 200 }).sessions())).toBeInstanceOf(TimeoutError);
    }
    await server.waitForNoSockets();
  });

  it("an execute error body that stalls still ends in an HttpError", async () => {
    server.on("POST /api/kernel/execute", (_req, res) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.write("{");
    });
    // A next execute may ask the version while the last one is settling (the per-session
    // queue); the headers timeout is long enough for a loaded machine collecting every 5 ms.
    server.on("GET /api/version", (_req, res) => {
      res.end("0.25.2");
    });
    const nb = await connect(server.url, { timeoutMs: 1000 }).session();
    for (let i = 0; i < 3; i++) expect(await underGc(nb.execute("1"))).toBeInstanceOf(HttpError);
    await server.waitForNoSockets();
  });

  it("the idle and total timers and the caller's signal still close a silent stream", async () => {
    server.on("POST /api/kernel/execute", (_req, res) => {
      startSse(res);
      res.write(sseEvent("stdout", { data: "x" }));
    });
    const nb = await connect(server.url).session();
    expect(await underGc(nb.execute("1", { idleTimeoutMs: 200 }))).toMatchObject({ timer: "idle" });
    expect(await underGc(nb.execute("1", { timeoutMs: 300 }))).toMatchObject({ timer: "total" });
    const reason = new Error("stop");
    expect(await underGc(nb.execute("1", { signal: AbortSignal.timeout(300) }))).toMatchObject({ name: "TimeoutError" });
    const controller = new AbortController();
    setTimeout(() => controller.abort(reason), 300);
    expect(await underGc(nb.execute("1", { signal: controller.signal }))).toBe(reason);
    await server.waitForNoSockets();
  });

  it("a hang before headers still hits the headers timeout", async () => {
    server.on("POST /api/kernel/execute", () => undefined);
    server.on("GET /api/version", () => undefined);
    const c = connect(server.url, { timeoutMs: 200 });
    expect(await underGc(c.version())).toMatchObject({ timer: "headers" });
    expect(await underGc((await c.session()).execute("1"))).toMatchObject({ timer: "headers" });
    await server.waitForNoSockets();
  });

  it("a JSON answer that completes is read normally", async () => {
    server.on("GET /api/sessions", (_req, res) => sendJson(res, 200, { s_1: { filename: "nb.py", path: "/x/nb.py" } }));
    expect(await underGc(connect(server.url).sessions())).toBe("resolved");
  });
});
