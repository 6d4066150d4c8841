import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeFetch, nodeFetch } from "../../../src/http/node-fetch.js";

// A server that sends headers and one event, then stays silent (like marimo while code runs).
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.write('event: stdout\ndata: {"data": "started"}\n\n');
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

async function silentFor(fetchImpl: typeof fetch, ms: number): Promise<"alive" | "failed"> {
  const controller = new AbortController();
  const res = await fetchImpl(url, { signal: controller.signal });
  const reader = res.body!.getReader();
  await reader.read();
  const outcome = await Promise.race([
    reader.read().then(
      () => "failed" as const,
      () => "failed" as const,
    ),
    new Promise<"alive">((r) => setTimeout(() => r("alive"), ms)),
  ]);
  controller.abort();
  return outcome;
}

describe("the Node fetch", () => {
  it("honours the dispatcher's body timeout (the setting reaches undici)", async () => {
    expect(await silentFor(createNodeFetch({ bodyTimeoutMs: 200 }), 5000)).toBe("failed");
  });

  it("by default keeps a silent response open (no 300 s body timeout)", async () => {
    expect(await silentFor(nodeFetch(), 1500)).toBe("alive");
    expect(nodeFetch()).toBe(nodeFetch());
  });
});
