import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { ConnectionError, HttpError, SessionNotFoundError, TimeoutError } from "../../../src/errors.js";
import { normalizeBaseUrl } from "../../../src/http/base-url.js";
import { createNodeHttp, NODE_HTTP_AGENT_OPTIONS } from "../../../src/http/node-http.js";
import { readSse } from "../../../src/execute/sse.js";

// Routes: a silent event stream (like marimo while code runs), JSON, errors, hangs.
let server: Server;
const servedOnce = new WeakSet<object>();
let base: URL;
const closed: string[] = [];
const seen: { url: string; headers: Record<string, string | string[] | undefined>; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res: ServerResponse) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      seen.push({ url: req.url ?? "", headers: req.headers, body });
      res.on("close", () => closed.push(req.url ?? ""));
      const path = new URL(req.url ?? "/", "http://x").pathname;
      if (path === "/one-per-socket") {
        // Like uvicorn after a 500: the kept-alive socket is closed when it is used again.
        if (servedOnce.has(req.socket)) {
          req.socket.destroy();
          return;
        }
        servedOnce.add(req.socket);
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ detail: "Invalid session id: s_gone" }));
      } else if (path === "/silent") {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write('event: stdout\ndata: {"data": "started"}\n\n');
      } else if (path === "/json") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ a: 1 }));
      } else if (path === "/unknown-session") {
        res.writeHead(400, { "content-type": "application/json" });
        res.end(JSON.stringify({ detail: "Invalid session id: s_gone" }));
      } else if (path === "/html-error") {
        res.writeHead(500, { "content-type": "text/html" });
        res.end("<html><body>Internal   error</body></html>");
      } else if (path === "/redirect") {
        res.writeHead(307, { location: "http://example.com/" });
        res.end();
      } else if (path === "/cut") {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write('event: stdout\ndata: {"data": "x"}\n\n');
        setTimeout(() => res.socket?.destroy(), 50);
      } else if (path === "/stall-body") {
        res.writeHead(200, { "content-type": "application/json" });
        res.write('{"a":');
      }
      // "/hang": never answers.
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = normalizeBaseUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, false);
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

/** "alive" when `read` neither yields nor fails for `ms` (a silent stream kept open), else "failed". */
const silentFor = (ms: number, read: Promise<unknown>): Promise<string> =>
  Promise.race([
    read.then(
      () => "failed",
      () => "failed",
    ),
    new Promise<string>((r) => setTimeout(() => r("alive"), ms)),
  ]);

const until = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe("the node:http transport", () => {
  it("sets no socket timeout on its agent (Node's global agent closes idle sockets after 5 s)", () => {
    expect(NODE_HTTP_AGENT_OPTIONS).toEqual({ keepAlive: true, timeout: 0 });
  });

  it("keeps a silent event stream open (no body timeout), and closing it closes the connection", async () => {
    const http = createNodeHttp({ baseUrl: base, timeoutMs: 300 });
    const controller = new AbortController();
    const response = await http.request("POST", "/silent", { json: { code: "x" }, accept: "text/event-stream", signal: controller.signal });
    expect(response.headers.get("Content-Type")).toBe("text/event-stream");
    const reader = response.body!.getReader();
    await reader.read();
    expect(await silentFor(1500, reader.read())).toBe("alive");
    controller.abort();
    await until(() => closed.includes("/silent"));
    expect(closed).toContain("/silent");
  });

  it("sends the token, Accept, JSON body and query, and validates JSON with a schema", async () => {
    const http = createNodeHttp({ baseUrl: base, timeoutMs: 5000, token: "t0k" });
    expect(await http.json("POST", "/json", z.object({ a: z.number() }), { json: { q: 1 }, searchParams: { x: "y z" } })).toEqual({ a: 1 });
    const request = seen.at(-1)!;
    expect(request.url).toBe("/json?x=y+z");
    expect(request.headers["authorization"]).toBe(`Basic ${btoa("marimo-pair:t0k")}`);
    expect(request.headers["accept"]).toBe("application/json");
    expect(request.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(request.body)).toEqual({ q: 1 });
  });

  it("maps error answers onto the SDK's errors, and does not follow a redirect", async () => {
    const http = createNodeHttp({ baseUrl: base, timeoutMs: 5000 });
    await expect(http.request("POST", "/unknown-session")).rejects.toBeInstanceOf(SessionNotFoundError);
    const html = await http.request("GET", "/html-error").catch((e: unknown) => e);
    expect(html).toBeInstanceOf(HttpError);
    expect((html as HttpError).message).toContain("Internal error");
    const redirect = await http.request("POST", "/redirect").catch((e: unknown) => e);
    expect(redirect).toBeInstanceOf(HttpError);
    expect((redirect as HttpError).status).toBe(307);
  });

  it("reports a refused connection as ConnectionError naming the code", async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const http = createNodeHttp({ baseUrl: normalizeBaseUrl(`http://127.0.0.1:${port}`, false), timeoutMs: 5000 });
    const error = await http.request("GET", "/api/sessions").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toContain("ECONNREFUSED");
  });

  it("sends a request once more when the kept-alive socket it reused was closed by the server", async () => {
    const http = createNodeHttp({ baseUrl: base, token: undefined, timeoutMs: 2000 });
    const before = seen.length;
    for (let i = 0; i < 3; i++) {
      await expect(http.request("POST", "/one-per-socket", { json: { i }, sessionId: "s_gone" })).rejects.toBeInstanceOf(SessionNotFoundError);
    }
    // Each reuse of the socket was reset by the server and sent again on a new one.
    const bodies = seen.slice(before).map((r) => r.body);
    expect(bodies).toEqual(['{"i":0}', '{"i":1}', '{"i":1}', '{"i":2}', '{"i":2}']);
  });

  it("times out waiting for headers, and for a JSON body that stalls", async () => {
    const http = createNodeHttp({ baseUrl: base, timeoutMs: 200 });
    const hang = await http.request("GET", "/hang").catch((e: unknown) => e);
    expect(hang).toBeInstanceOf(TimeoutError);
    expect((hang as TimeoutError).timer).toBe("headers");
    const stall = await http.json("GET", "/stall-body", z.unknown()).catch((e: unknown) => e);
    expect(stall).toBeInstanceOf(TimeoutError);
    expect((stall as TimeoutError).message).toContain("did not complete");
  });

  it("rejects with the caller's reason on an abort before the headers", async () => {
    const http = createNodeHttp({ baseUrl: base, timeoutMs: 5000 });
    const early = new AbortController();
    const pending = http.request("GET", "/hang", { signal: early.signal, timeoutMs: false });
    const reason = new Error("stop");
    early.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it("errors the body with a TypeError when the connection is cut mid-stream", async () => {
    const http = createNodeHttp({ baseUrl: base, timeoutMs: 5000 });
    const response = await http.request("POST", "/cut", { accept: "text/event-stream" });
    const events: string[] = [];
    const error = await (async () => {
      for await (const message of readSse(response.body!)) events.push(message.data);
    })().catch((e: unknown) => e);
    expect(events).toEqual(['{"data": "x"}']);
    expect(error).toBeInstanceOf(TypeError);
  });
});

describe("the node:http transport's chunks() (the body without web streams)", () => {
  it("yields the whole body", async () => {
    const http = createNodeHttp({ baseUrl: base, timeoutMs: 5000 });
    const response = await http.request("GET", "/json");
    const parts: string[] = [];
    for await (const chunk of response.chunks!()) parts.push(Buffer.from(chunk).toString());
    expect(parts.join("")).toBe('{"a":1}');
  });

  it("throws a TypeError when the connection is cut mid-stream, as the web body does", async () => {
    const http = createNodeHttp({ baseUrl: base, timeoutMs: 5000 });
    const response = await http.request("POST", "/cut", { accept: "text/event-stream" });
    const events: string[] = [];
    const error = await (async () => {
      for await (const message of readSse(response.chunks!())) events.push(message.data);
    })().catch((e: unknown) => e);
    expect(events).toEqual(['{"data": "x"}']);
    expect(error).toBeInstanceOf(TypeError);
  });

  it("keeps a silent event stream open (no timer of its own), and an abort closes the connection", async () => {
    const http = createNodeHttp({ baseUrl: base, timeoutMs: 300 });
    const controller = new AbortController();
    const response = await http.request("POST", "/silent?chunks", { accept: "text/event-stream", signal: controller.signal });
    const chunks = response.chunks!()[Symbol.asyncIterator]();
    await chunks.next();
    expect(await silentFor(1500, chunks.next())).toBe("alive");
    controller.abort();
    await until(() => closed.includes("/silent?chunks"));
    expect(closed).toContain("/silent?chunks");
  });

  it("closes the connection when the loop is left early", async () => {
    const http = createNodeHttp({ baseUrl: base, timeoutMs: 5000 });
    const response = await http.request("POST", "/silent?early", { accept: "text/event-stream" });
    for await (const message of readSse(response.chunks!())) {
      expect(message.data).toBe('{"data": "started"}');
      break;
    }
    await until(() => closed.includes("/silent?early"));
    expect(closed).toContain("/silent?early");
  });
});

describe("the node:http transport's bodies", () => {
  it("can be cancelled after the whole body arrived (as readSse does after `done`)", async () => {
    const http = createNodeHttp({ baseUrl: base, timeoutMs: 5000 });
    for (let i = 0; i < 20; i++) {
      const response = await http.request("GET", "/json");
      await new Promise((r) => setTimeout(r, 5));
      await response.body!.cancel();
    }
    const response = await http.request("GET", "/json");
    expect(await response.text()).toBe('{"a":1}');
  });
});
