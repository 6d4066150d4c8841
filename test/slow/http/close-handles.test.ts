/**
 * Every handle lets go: `close()`, `await using` and abort end what the SDK started, after a
 * forced collection too. "Gone" is the fault server's count of sockets that still carry a
 * request, never a timer.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { connect as connectClient } from "../../../src/client.js";
import { connect } from "../../../src/session/connect-node.js";
import { type FaultServer, sseEvent, startFaultServer, startSse } from "../../helpers/fault-server.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

let server: FaultServer;

beforeEach(async () => {
  server = await startFaultServer();
});
afterEach(async () => {
  await server.close();
});

function message(op: string, data: Record<string, unknown>): string {
  return `data: ${JSON.stringify({ op, data: { op, ...data } })}\n\n`;
}
const READY = message("kernel-ready", { cell_ids: ["a"], codes: ["x = 1"], names: ["_"] });

/** `/sse` answers kernel-ready and stays open; an execute prints once and never finishes. */
function serveOpenEnded(): void {
  server.on("GET /sse", (_req, res) => {
    startSse(res);
    res.write(READY);
  });
  server.on("POST /api/kernel/execute", (_req, res) => {
    startSse(res);
    res.write(sseEvent("stdout", { data: "working\n" }));
  });
}

async function collect(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Requests still open on the server (0 once the client closed every connection). */
async function openRequests(): Promise<number> {
  try {
    await server.waitForNoSockets(3000);
    return 0;
  } catch {
    return server.openSockets();
  }
}

/** Wait until `condition` holds; fail after 3 s. */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not reached within 3 s");
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Wait until `n` requests reached `route`. */
async function requestsOn(route: string, n: number): Promise<void> {
  while (server.seen(route).length < n) await new Promise((r) => setTimeout(r, 5));
}

describe("close() and await using", () => {
  it("client.close() ends an owned session, its event stream and an abandoned execution", async () => {
    serveOpenEnded();
    const client = connect(server.url);
    const nb = await client.openSession({ file: "nb.py" });
    const events = nb.events();
    const first = await events.next();
    expect(first.done).toBe(false);
    // Read one event of the execution, then abandon it without break or abort.
    const run = nb.stream("while True: pass");
    const iterator = run[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toMatchObject({ type: "stdout" });
    await collect();
    expect(server.openSockets()).toBe(3);
    await client.close();
    expect(await openRequests()).toBe(0);
    expect(await events.next()).toEqual({ done: true, value: undefined });
    await expect(run.result()).rejects.toMatchObject({ name: "AbortError" });
  });

  it("await using closes the client, the session and the event stream", async () => {
    serveOpenEnded();
    {
      await using client = connectClient(server.url);
      await using nb = await client.openSession({ file: "nb.py" });
      await using events = nb.events();
      await events.next();
      expect(server.openSockets()).toBe(2);
    }
    expect(await openRequests()).toBe(0);
  });

  it("a session's close() ends its unread executions but leaves other session objects alone", async () => {
    serveOpenEnded();
    const client = connect(server.url);
    const a = await client.session();
    const b = await client.session();
    const runA = a.stream("1");
    const runB = b.stream("1");
    await requestsOn("POST /api/kernel/execute", 2);
    await collect();
    await a.close();
    await expect(runA.result()).rejects.toMatchObject({ name: "AbortError" });
    // b's execution is still open: exactly one request left in flight.
    await until(() => server.openSockets() === 1);
    expect(runB.request.method).toBe("POST");
    runB.abort();
    expect(await openRequests()).toBe(0);
    await client.close();
  });

  it("await using on an ExecutionStream stops it when the scope ends", async () => {
    serveOpenEnded();
    const nb = await connect(server.url).session();
    {
      await using run = nb.stream("while True: pass");
      for await (const event of run) if (event.type === "stdout") break;
    }
    {
      await using run = nb.stream("while True: pass");
      await requestsOn("POST /api/kernel/execute", 2);
      expect(run.request.method).toBe("POST");
    }
    expect(await openRequests()).toBe(0);
  });

  it("events: abort() ends a pending next() and closes the connection, after a collection", async () => {
    serveOpenEnded();
    const nb = await connect(server.url).session();
    const events = nb.events();
    await events.next();
    const pending = events.next();
    await collect();
    events.abort();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(await openRequests()).toBe(0);
  });

  it("events: a reconnected stream still closes on abort after a collection", async () => {
    server.on("GET /sse", (_req, res, ctx) => {
      startSse(res);
      res.write(READY);
      // The first connection drops; the second stays open.
      if (ctx.call === 0) res.end();
    });
    const nb = await connect(server.url).session();
    const controller = new AbortController();
    const events = nb.events({ signal: controller.signal });
    await events.next();
    await events.next();
    expect(server.seen("GET /sse")).toHaveLength(2);
    await collect();
    controller.abort();
    expect(await events.next()).toEqual({ done: true, value: undefined });
    expect(await openRequests()).toBe(0);
  });

  it("events: abort during the reconnect backoff ends at once", async () => {
    server.on("GET /sse", (_req, res) => {
      startSse(res);
      res.end(READY);
    });
    const nb = await connect(server.url).session();
    const events = nb.events({ reconnectTimeoutMs: 60_000 });
    await events.next();
    // The stream ended; the next next() waits in the backoff before reconnecting.
    const pending = events.next();
    await requestsOn("GET /sse", 1);
    events.abort();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(await openRequests()).toBe(0);
  });
});

describe("the Node entry's connection pool", () => {
  it("keeps a keep-alive connection after a call, and client.close() closes it at once", async () => {
    const { createServer } = await import("node:http");
    const sockets = new Set<import("node:net").Socket>();
    const keepAlive = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("0.25.2");
    });
    keepAlive.keepAliveTimeout = 60_000;
    keepAlive.on("connection", (socket) => {
      sockets.add(socket);
      socket.once("close", () => sockets.delete(socket));
    });
    await new Promise<void>((r) => keepAlive.listen(0, "127.0.0.1", r));
    const { port } = keepAlive.address() as import("node:net").AddressInfo;
    try {
      const client = connect(`http://127.0.0.1:${port}`);
      expect(await client.version()).toBe("0.25.2");
      // The pool keeps the idle connection for reuse (it does not keep the process alive).
      expect(sockets.size).toBe(1);
      await client.close();
      await until(() => sockets.size === 0);
    } finally {
      keepAlive.closeAllConnections();
      await new Promise((r) => keepAlive.close(r));
    }
  });
});
