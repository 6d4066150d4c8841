/**
 * The HTTP seam against a misbehaving server: a JSON or text answer whose body stalls
 * after the headers ends in a `headers` TimeoutError instead of hanging, an error body
 * that stalls still yields the HttpError with its status, and the caller's signal wins.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { connect, HttpError, ProtocolError, TimeoutError } from "../../../src/client.js";
import { type FaultServer, sendJson, startFaultServer } from "../../helpers/fault-server.js";

let server: FaultServer;

beforeAll(async () => {
  server = await startFaultServer();
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => server.reset());

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );
}

function expectFiredAfter(elapsed: number, ms: number): void {
  expect(elapsed).toBeGreaterThanOrEqual(ms * 0.8);
  expect(elapsed).toBeLessThan(ms * 10);
}

/** Headers, the first bytes of a body, then silence. */
function stallAfterHeaders(status: number, type: string, start: string) {
  return (_req: unknown, res: import("node:http").ServerResponse) => {
    res.writeHead(status, { "content-type": type });
    res.write(start);
  };
}

describe("bodies that stall after the headers", () => {
  it("a JSON listing → TimeoutError 'headers' after about the client's timeoutMs; the connection is closed", async () => {
    server.on("GET /api/sessions", stallAfterHeaders(200, "application/json", '{"s_1": '));
    const started = performance.now();
    const error = await failure(connect(server.url, { timeoutMs: 400 }).sessions());
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ timer: "headers", timeoutMs: 400, request: { method: "GET", url: `${server.url}/api/sessions` } });
    expect((error as Error).message).toContain("The response body did not complete.");
    expectFiredAfter(elapsed, 400);
    await expect(server.seen("GET /api/sessions")[0]?.closed).resolves.toEqual({ early: true });
    await server.waitForNoSockets();
  });

  it("a text answer (version) → the same", async () => {
    server.on("GET /api/version", stallAfterHeaders(200, "text/plain", "0.2"));
    const error = await failure(connect(server.url, { timeoutMs: 300 }).version());
    expect(error).toMatchObject({ code: "timeout", timer: "headers" });
    await server.waitForNoSockets();
  });

  it("an error body → HttpError with the status, after about the timeout", async () => {
    server.on("GET /api/sessions", stallAfterHeaders(503, "text/plain", "Service Unav"));
    const started = performance.now();
    const error = await failure(connect(server.url, { timeoutMs: 300 }).sessions());
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(503);
    expectFiredAfter(performance.now() - started, 300);
    await server.waitForNoSockets();
  });

  it("an execute answered with an error status whose body stalls → HttpError, not a hang", async () => {
    server.on("POST /api/kernel/execute", stallAfterHeaders(500, "application/json", '{"detail": "Inv'));
    const nb = await connect(server.url, { timeoutMs: 300 }).session();
    const error = await failure(nb.execute("1"));
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(500);
    await server.waitForNoSockets();
  });

  it("the caller's signal during the body read → rejects with signal.reason", async () => {
    server.on("GET /api/sessions", stallAfterHeaders(200, "application/json", "{"));
    const controller = new AbortController();
    const reason = new Error("enough");
    const pending = connect(server.url, { timeoutMs: 10_000 }).sessions({ signal: controller.signal });
    await new Promise((r) => setTimeout(r, 100));
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await server.waitForNoSockets();
  });
});

describe("redirects", () => {
  it("a POST from a local server is not redirected (the code would go where the Location points); a GET is", async () => {
    const elsewhere = await startFaultServer();
    try {
      elsewhere.on("POST /api/kernel/execute", (_req, res) => sendJson(res, 500, { detail: "must not be reached" }));
      server.on("POST /api/kernel/execute", (_req, res) => {
        res.writeHead(307, { location: `${elsewhere.url}/api/kernel/execute` });
        res.end();
      });
      server.on("GET /api/version", (_req, res) => {
        res.writeHead(302, { location: `${elsewhere.url}/api/version` });
        res.end();
      });
      const c = connect(server.url, { token: "tok-not-for-elsewhere" });
      const error = await failure((await c.session()).execute("print('private')"));
      expect(error).toBeInstanceOf(HttpError);
      expect(error).toMatchObject({ status: 307, detail: "a redirect, which is not followed" });
      expect(elsewhere.seen("POST /api/kernel/execute")).toEqual([]);
      expect(await c.version()).toBe("0.25.2");
      // Followed across origins without the token (fetch drops Authorization there).
      expect(elsewhere.seen("GET /api/version")[0]?.headers.authorization).toBeUndefined();
      await server.waitForNoSockets();
      await elsewhere.waitForNoSockets();
    } finally {
      await elsewhere.close();
    }
  });
});

describe("ordinary answers", () => {
  it("a body that arrives slowly but within the allowance is read", async () => {
    server.on("GET /api/sessions", async (_req, res, ctx) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"s_1": ');
      await ctx.sleep(150);
      res.end('{"filename": "nb.py", "path": "/x/nb.py"}}');
    });
    expect(await connect(server.url, { timeoutMs: 2000 }).sessions()).toEqual([
      { sessionId: "s_1", stableId: null, filename: "nb.py", path: "/x/nb.py" },
    ]);
    await server.waitForNoSockets();
  });

  it("a listing of the wrong shape → ProtocolError with the raw value", async () => {
    server.on("GET /api/sessions", (_req, res) => sendJson(res, 200, ["s_1"]));
    const error = await failure(connect(server.url).sessions());
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).raw).toEqual(["s_1"]);
  });

  it("marimo ≥ 0.25's stable ids are read from the listing", async () => {
    server.on("GET /api/sessions", (_req, res) =>
      sendJson(res, 200, { s_1: { session_id: "sess-1", filename: "nb.py", path: "/x/nb.py", future_field: true } }),
    );
    expect(await connect(server.url).sessions()).toEqual([{ sessionId: "s_1", stableId: "sess-1", filename: "nb.py", path: "/x/nb.py" }]);
  });
});
