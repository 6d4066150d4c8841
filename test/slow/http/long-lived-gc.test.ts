/**
 * The long-lived requests (an owned session's `/sse` stream, the events stream and its
 * reconnects) must still close their connection on `close()`/abort after a garbage
 * collection. Measured with the fault server's open-socket count.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { connect } from "../../../src/client.js";
import { connect as connectNode } from "../../../src/session/connect-node.js";
import { type FaultServer, startFaultServer } from "../../helpers/fault-server.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

let server: FaultServer;

// A server per test: a connection one case fails to close must not count against the next.
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

/**
 * Messages a busy notebook sends: enough of them that V8 optimizes the reading loops, as it
 * does in a long-running process. Interpreted code keeps every local of a suspended async
 * function; optimized code keeps only the live ones, so only then can a collection take the
 * `Response` while its body is still being read.
 */
const BUSY = message("variables", { variables: [] }).repeat(20_000);

/** `/sse` that sends kernel-ready and a burst of messages, then stays open. */
function serveSse(): void {
  server.on("GET /sse", (_req, res) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.write(READY);
    res.write(BUSY);
  });
}

async function collect(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function openSockets(): Promise<number> {
  try {
    await server.waitForNoSockets(2000);
    return 0;
  } catch {
    return server.openSockets();
  }
}

for (const [name, connectFn] of [
  ["global fetch", connect],
  ["node fetch", connectNode],
] as const) {
  describe(`after a forced collection (${name})`, () => {
    it("OwnedSession.close() closes the /sse connection", async () => {
      serveSse();
      const nb = await connectFn(server.url).openSession({ file: "nb.py" });
      await new Promise((r) => setTimeout(r, 500));
      await collect();
      expect(server.openSockets()).toBe(1);
      nb.close();
      expect(await openSockets()).toBe(0);
    });

    it("aborting events() closes the events connection", async () => {
      serveSse();
      const nb = await connectFn(server.url).session();
      const controller = new AbortController();
      const seen: string[] = [];
      const done = (async () => {
        for await (const event of nb.events({ signal: controller.signal })) seen.push(event.type);
      })();
      while (seen.length < 20_000) await new Promise((r) => setTimeout(r, 5));
      await collect();
      controller.abort();
      const ended = await Promise.race([done.then(() => "ended"), new Promise((r) => setTimeout(() => r("hang"), 3000))]);
      expect(ended).toBe("ended");
      expect(await openSockets()).toBe(0);
    });
  });
}
