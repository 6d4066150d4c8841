import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { connect } from "../../../src/session/client.js";
import type { NotebookEvent } from "../../../src/session/event-types.js";
import { SessionOpenError } from "../../../src/errors.js";

/** A fake marimo speaking just enough: version, sessions, and `/sse` scripted per connection. */
interface Fake {
  url: string;
  /** Query strings of every `/sse` request. */
  connections: URLSearchParams[];
  close(): Promise<void>;
}

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

function message(op: string, data: Record<string, unknown>): string {
  return `data: ${JSON.stringify({ op, data: { op, ...data } })}\n\n`;
}

const READY = message("kernel-ready", { cell_ids: ["a"], codes: ["x = 1"], names: ["_"] });

async function fakeMarimo(script: (n: number, res: ServerResponse) => void): Promise<Fake> {
  const connections: URLSearchParams[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname === "/api/version") return void res.end("0.25.2");
    if (url.pathname === "/api/sessions") {
      res.setHeader("Content-Type", "application/json");
      return void res.end(JSON.stringify({ s_main: { session_id: "sess-1", filename: "/nb.py", path: "/nb.py" } }));
    }
    if (url.pathname === "/sse") {
      connections.push(url.searchParams);
      res.writeHead(200, { "Content-Type": "text/event-stream" });
      return script(connections.length, res);
    }
    res.statusCode = 404;
    res.end();
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections,
    close: () =>
      new Promise((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

async function collect(iterable: AsyncIterable<NotebookEvent>, max = 100): Promise<NotebookEvent[]> {
  const out: NotebookEvent[] = [];
  for await (const event of iterable) {
    out.push(event);
    if (out.length >= max) break;
  }
  return out;
}

describe("nb.events() stream handling", () => {
  it("attaches as a kiosk viewer with a fresh id and the session's file", async () => {
    const fake = await fakeMarimo((_n, res) => res.end(READY + `event: close\ndata: {"code": 1000, "reason": "MARIMO_SHUTDOWN"}\n\n`));
    const nb = await connect(fake.url).session();
    await collect(nb.events());
    const params = fake.connections[0]!;
    expect(params.get("kiosk")).toBe("true");
    expect(params.get("file")).toBe("/nb.py");
    expect(params.get("session_id")).toMatch(/^w_[0-9a-z]{8}$/);
    expect(params.get("session_id")).not.toBe("s_main");
  });

  it("reconnects after a stream ends without close, and stops at close", async () => {
    const fake = await fakeMarimo((n, res) => {
      if (n === 1) return void res.end(READY + message("cell-op", { cell_id: "a", status: "running" }));
      if (n === 2) return void res.destroy(); // a dropped connection
      res.end(READY + message("cell-op", { cell_id: "a", status: "idle" }) + `event: close\ndata: {"code": 1000, "reason": "MARIMO_SHUTDOWN"}\n\n`);
    });
    const nb = await connect(fake.url).session();
    const events = await collect(nb.events({ reconnectTimeoutMs: 20_000 }));
    expect(events.map((e) => e.type)).toEqual(["kernel_ready", "cell", "kernel_ready", "cell", "closed"]);
    expect(events.at(-1)).toEqual({ type: "closed", op: "close", code: 1000, reason: "MARIMO_SHUTDOWN" });
    expect(fake.connections.length).toBe(3);
    expect(new Set(fake.connections.map((p) => p.get("session_id"))).size).toBe(3);
  });

  it("does not reconnect when asked not to", async () => {
    const fake = await fakeMarimo((_n, res) => res.end(READY));
    const nb = await connect(fake.url).session();
    expect((await collect(nb.events({ reconnect: false }))).map((e) => e.type)).toEqual(["kernel_ready"]);
    expect(fake.connections.length).toBe(1);
  });

  it("rejects with SessionOpenError when the first connection is refused", async () => {
    const fake = await fakeMarimo((_n, res) => res.end(`event: close\ndata: {"code": 1000, "reason": "MARIMO_NO_SESSION"}\n\n`));
    const nb = await connect(fake.url).session();
    const error = await collect(nb.events()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionOpenError);
    expect((error as SessionOpenError).reason).toBe("MARIMO_NO_SESSION");
  });

  it("passes unknown notifications through, skips the scratchpad, and decodes typed ones", async () => {
    const fake = await fakeMarimo((_n, res) =>
      res.end(
        READY +
          message("brand-new-op", { answer: 42 }) +
          message("cell-op", { cell_id: "__scratch__", status: "running" }) +
          message("cell-op", { cell_id: "a", console: { channel: "stdout", mimetype: "text/plain", data: "hi\n" } }) +
          message("notebook-document-transaction", {
            transaction: { changes: [{ type: "set-config", cellId: "a", column: null, disabled: true, hideCode: false }], source: "frontend", version: 3 },
          }) +
          message("banner", { title: "Kernel stopped", description: "exit 1", variant: "danger", action: "restart" }) +
          message("completed-run", { run_id: "r1" }) +
          `: keep-alive\n\n` +
          `event: close\ndata: {"code": 1000, "reason": "MARIMO_SHUTDOWN"}\n\n`,
      ),
    );
    const nb = await connect(fake.url).session();
    const events = await collect(nb.events());
    expect(events).toEqual([
      { type: "kernel_ready", op: "kernel-ready", cellIds: ["a"], codes: ["x = 1"], names: ["_"] },
      { type: "other", op: "brand-new-op", data: { answer: 42 } },
      {
        type: "cell",
        op: "cell-op",
        cellId: "a",
        status: null,
        output: null,
        console: [{ channel: "stdout", mimetype: "text/plain", data: "hi\n", timestamp: null }],
        staleInputs: null,
        runId: null,
      },
      {
        type: "document",
        op: "notebook-document-transaction",
        source: "frontend",
        version: 3,
        changes: [{ type: "set-config", cellId: "a", config: { column: null, disabled: true, hideCode: false } }],
      },
      { type: "banner", op: "banner", title: "Kernel stopped", description: "exit 1", variant: "danger", action: "restart" },
      { type: "completed_run", op: "completed-run", runId: "r1", outcome: null, error: null },
      { type: "closed", op: "close", code: 1000, reason: "MARIMO_SHUTDOWN" },
    ]);
  });

  it("ends quietly when the signal aborts, even while waiting for data", async () => {
    const fake = await fakeMarimo((_n, res) => res.write(READY)); // never ends
    const nb = await connect(fake.url).session();
    const controller = new AbortController();
    const seen: NotebookEvent[] = [];
    const done = (async () => {
      for await (const event of nb.events({ signal: controller.signal })) seen.push(event);
    })();
    while (seen.length === 0) await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    await expect(done).resolves.toBeUndefined();
    expect(seen.map((e) => e.type)).toEqual(["kernel_ready"]);
  });

  it("treats a silent connection as dropped after the idle timeout, then reconnects", async () => {
    const fake = await fakeMarimo((n, res) => {
      if (n === 1) return void res.write(READY); // then silence
      res.end(READY + `event: close\ndata: {"code": 1000, "reason": "MARIMO_SHUTDOWN"}\n\n`);
    });
    const nb = await connect(fake.url).session();
    const events = await collect(nb.events({ idleTimeoutMs: 300 }));
    expect(events.map((e) => e.type)).toEqual(["kernel_ready", "kernel_ready", "closed"]);
  });

  it("gives up reconnecting after reconnectTimeoutMs with the last error", async () => {
    let fake: Fake | undefined;
    fake = await fakeMarimo((_n, res) => {
      // The server goes away for good after the first event.
      res.end(READY, () => void fake?.close());
    });
    const nb = await connect(fake.url).session();
    const seen: NotebookEvent[] = [];
    const error = await (async () => {
      for await (const event of nb.events({ reconnectTimeoutMs: 500 })) seen.push(event);
    })().catch((e: unknown) => e);
    expect(seen.map((e) => e.type)).toEqual(["kernel_ready"]);
    expect((error as { code?: string }).code).toBe("connection_failed");
  });
});
