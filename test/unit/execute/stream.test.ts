/**
 * `ExecutionStream` on its own, fed by an injected start function: the buffered result and
 * its `maxOutputBytes` budget, `throwOnError`, `onEvent`, and the rules of iteration.
 */
import { describe, expect, it } from "vitest";
import { ExecutionError, ProtocolError } from "../../../src/errors.js";
import type { ExecuteEvent } from "../../../src/execute/events.js";
import { type ExecuteOptions, ExecutionStream } from "../../../src/execute/stream.js";

const TARGET = { method: "POST", url: "http://127.0.0.1:2718/api/kernel/execute" };
const DONE_OK = `event: done\ndata: {"success": true, "output": {"mimetype": "text/plain", "data": ""}}\n\n`;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function sse(...events: [string, unknown][]): string {
  return events.map(([name, payload]) => `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`).join("");
}

/** A stream over a fixed body; records whether the body was cancelled and the signal aborted. */
function streamOver(body: string, options: ExecuteOptions = {}, endless = false, onCutShort?: () => void) {
  const state = { cancelled: false, signal: undefined as AbortSignal | undefined };
  const bytes = new TextEncoder().encode(body);
  let sent = false;
  const run = new ExecutionStream(
    TARGET,
    async (signal) => {
      state.signal = signal;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (!sent) {
            sent = true;
            controller.enqueue(bytes);
          } else if (!endless) controller.close();
          // Endless: never answer the next read.
          else return new Promise<void>(() => undefined);
          return undefined;
        },
        cancel() {
          state.cancelled = true;
        },
      });
      return new Response(stream, { headers: { "content-type": "text/event-stream" } });
    },
    options,
    onCutShort,
  );
  return { run, state };
}

describe("the buffered result", () => {
  it("joins stdout and stderr in order and keeps the output", async () => {
    const { run } = streamOver(
      sse(["stdout", { data: "a" }], ["stderr", { data: "x" }], ["stdout", { data: "b" }]) +
        `event: done\ndata: {"success": true, "output": {"mimetype": "text/html", "data": "<b>2</b>"}}\n\n`,
    );
    expect(await run.result()).toEqual({
      success: true,
      stdout: "ab",
      stderr: "x",
      output: { mimetype: "text/html", data: "<b>2</b>" },
      truncated: false,
    });
  });

  it("keeps exactly maxOutputBytes of ASCII (stdout and stderr share the budget) but streams everything", async () => {
    const seen: ExecuteEvent[] = [];
    const { run } = streamOver(sse(["stdout", { data: "12345" }], ["stderr", { data: "678" }], ["stdout", { data: "90" }]) + DONE_OK, {
      maxOutputBytes: 7,
      onEvent: (e) => seen.push(e),
    });
    const result = await run.result();
    expect(result).toMatchObject({ stdout: "12345", stderr: "67", truncated: true });
    expect(seen.map((e) => (e.type === "done" ? "done" : e.data))).toEqual(["12345", "678", "90", "done"]);
  });

  it("counts UTF-8 bytes and never cuts a character in two", async () => {
    // a, b (1 byte each), 😀 (4 bytes, two UTF-16 units), c.
    for (const [budget, kept] of [
      [2, "ab"],
      [3, "ab"],
      [5, "ab"],
      [6, "ab😀"],
      [7, "ab😀c"],
    ] as const) {
      const { run } = streamOver(sse(["stdout", { data: "ab😀c" }]) + DONE_OK, { maxOutputBytes: budget });
      const result = await run.result();
      expect(result.stdout, `budget ${budget}`).toBe(kept);
      expect(result.truncated, `budget ${budget}`).toBe(budget < 7);
      expect(new TextEncoder().encode(result.stdout).byteLength).toBeLessThanOrEqual(budget);
      // No lone surrogate at the cut.
      expect(result.stdout, `budget ${budget}`).not.toMatch(LONE_SURROGATE);
    }
    const { run } = streamOver(sse(["stdout", { data: "日本語" }]) + DONE_OK, { maxOutputBytes: 7 });
    expect(await run.result()).toMatchObject({ stdout: "日本", truncated: true });
  });

  it("an empty chunk after the budget is spent does not mark the result truncated", async () => {
    const { run } = streamOver(sse(["stdout", { data: "abc" }], ["stdout", { data: "" }]) + DONE_OK, { maxOutputBytes: 3 });
    expect(await run.result()).toMatchObject({ stdout: "abc", truncated: false });
  });

  it("a failure is data by default and an ExecutionError with throwOnError", async () => {
    const failed = sse(["stdout", { data: "before\n" }], ["stderr", { data: "Traceback\nValueError: boom\n" }]) +
      `event: done\ndata: {"success": false, "output": {"mimetype": "text/plain", "data": ""}}\n\n`;
    expect(await streamOver(failed).run.result()).toMatchObject({ success: false, stderr: "Traceback\nValueError: boom\n" });
    const { run } = streamOver(failed, { throwOnError: true });
    const error = await run.result().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExecutionError);
    expect(error).toMatchObject({ code: "execution_failed", stdout: "before\n", stderr: "Traceback\nValueError: boom\n" });
    expect((error as Error).message).toBe("The code raised an error: ValueError: boom");
  });
});

describe("iteration", () => {
  it("can be iterated once; result() is available after iterating", async () => {
    const { run } = streamOver(sse(["stdout", { data: "x" }]) + DONE_OK);
    const events: ExecuteEvent[] = [];
    for await (const e of run) events.push(e);
    expect(events.map((e) => e.type)).toEqual(["stdout", "done"]);
    expect(() => run[Symbol.asyncIterator]()).toThrow(TypeError);
    await expect(run.result()).resolves.toMatchObject({ stdout: "x" });
    expect(run.request).toEqual(TARGET);
  });

  it("an onEvent callback that throws ends the execution with its error and closes the connection", async () => {
    const oops = new Error("callback broke");
    const { run, state } = streamOver(sse(["stdout", { data: "x" }]), {
      onEvent: () => {
        throw oops;
      },
    }, true);
    await expect(run.result()).rejects.toBe(oops);
    expect(state.signal?.aborted).toBe(true);
    expect(state.cancelled).toBe(true);
  });

  it("a protocol error mid-stream closes the connection", async () => {
    const { run, state } = streamOver(`event: stdout\ndata: {"data": 5}\n\n`, {}, true);
    await expect(run.result()).rejects.toBeInstanceOf(ProtocolError);
    expect(state.signal?.aborted).toBe(true);
  });

  it("a start function that rejects rejects the iteration and result() with its error", async () => {
    const boom = new Error("no route");
    const run = new ExecutionStream(TARGET, () => Promise.reject(boom));
    await expect(run.result()).rejects.toBe(boom);
  });
});

describe("the cut-short hook (the session waits for an interrupted run to end)", () => {
  const STDOUT = sse(["stdout", { data: "a" }]);

  it("does not run when done arrived, not even for a later abort()", async () => {
    let calls = 0;
    const { run } = streamOver(STDOUT + DONE_OK, {}, false, () => calls++);
    await run.result();
    run.abort();
    expect(calls).toBe(0);
  });

  it("runs once for abort(), also when abort() is called twice", async () => {
    let calls = 0;
    const { run, state } = streamOver(STDOUT, {}, true, () => calls++);
    run.abort(new Error("stop"));
    run.abort(new Error("again"));
    expect(state.signal?.reason).toMatchObject({ message: "stop" });
    expect(calls).toBe(1);
  });

  it("runs for break, for the total timer and for a stream cut before done", async () => {
    const calls: string[] = [];
    const broken = streamOver(STDOUT, {}, true, () => calls.push("break"));
    for await (const _ of broken.run) break;
    // The fake body never answers again; only the timer's abort can end this one.
    const timed = new Promise<void>((resolve) => {
      streamOver(STDOUT, { timeoutMs: 30 }, true, () => {
        calls.push("timeout");
        resolve();
      }).run.result().catch(() => undefined);
    });
    await timed;
    const cut = streamOver(STDOUT, {}, false, () => calls.push("cut"));
    await cut.run.result().catch(() => undefined);
    expect(calls.sort()).toEqual(["break", "cut", "timeout"]);
  });
});

/**
 * A stream whose body the test feeds event by event; records the interrupts sent through the
 * interrupt-instead hook and whether the connection signal was aborted.
 */
function fedStream(interrupt: boolean | undefined) {
  const encoder = new TextEncoder();
  let feed!: ReadableStreamDefaultController<Uint8Array>;
  const state = { cancelled: false, interrupts: 0, signal: undefined as AbortSignal | undefined };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      feed = controller;
    },
    cancel() {
      state.cancelled = true;
    },
  });
  const run = new ExecutionStream(
    TARGET,
    async (signal) => {
      state.signal = signal;
      return new Response(body, { headers: { "content-type": "text/event-stream" } });
    },
    {},
    undefined,
    interrupt === undefined
      ? undefined
      : async () => {
          state.interrupts++;
          return interrupt;
        },
  );
  return { run, state, send: (text: string) => feed.enqueue(encoder.encode(text)) };
}

/** Let pending promise callbacks and stream reads run. */
const turn = () => new Promise((resolve) => setTimeout(resolve, 10));

describe("closing the connection", () => {
  it("a reader that returns at done cancels a body the server keeps open", async () => {
    const { run, state, send } = fedStream(undefined);
    send(sse(["stdout", { data: "x" }]) + DONE_OK);
    for await (const event of run) if (event.type === "done") break;
    await run.closed;
    expect(state.cancelled).toBe(true);
  });

  it("without the hook, an abort closes the connection at once", async () => {
    const { run, state, send } = fedStream(undefined);
    send(sse(["stdout", { data: "x" }]));
    for await (const _ of run) break;
    await run.closed;
    expect(state.signal?.aborted).toBe(true);
    expect(state.cancelled).toBe(true);
  });

  it("when the hook interrupts, an abort reads on to done before closing, and sends nothing more", async () => {
    const { run, state, send } = fedStream(true);
    send(sse(["stdout", { data: "x" }]));
    let closed = false;
    void run.closed.then(() => (closed = true));
    const iterating = (async () => {
      for await (const _ of run) {
        /* the abort ends this */
      }
    })();
    await turn();
    run.abort(new Error("stop"));
    await expect(iterating).rejects.toMatchObject({ message: "stop" });
    await turn();
    expect(state.interrupts).toBe(1);
    expect(state.signal?.aborted).toBe(false);
    expect(closed).toBe(false);
    send(sse(["stdout", { data: "late" }]));
    await turn();
    expect(closed).toBe(false);
    send(DONE_OK);
    await run.closed;
    expect(state.signal?.aborted).toBe(true);
    expect(state.interrupts).toBe(1);
    await expect(run.result()).rejects.toMatchObject({ message: "stop" });
  });

  it("when the hook declines, an abort closes the connection at once", async () => {
    const { run, state, send } = fedStream(false);
    send(sse(["stdout", { data: "x" }]));
    const iterating = (async () => {
      for await (const _ of run) {
        /* the abort ends this */
      }
    })();
    await turn();
    run.abort();
    await iterating.catch(() => undefined);
    await run.closed;
    expect(state.interrupts).toBe(1);
    expect(state.signal?.aborted).toBe(true);
  });
});

describe("closed", () => {
  it("resolves after done also when throwOnError rejects the result", async () => {
    const failed = `event: done\ndata: {"success": false, "output": {"mimetype": "text/plain", "data": ""}}\n\n`;
    const { run } = streamOver(failed, { throwOnError: true }, true);
    await expect(run.result()).rejects.toBeInstanceOf(ExecutionError);
    await run.closed;
  });

  it("await using resolves once the connection is closed", async () => {
    const { run, state, send } = fedStream(true);
    send(sse(["stdout", { data: "x" }]));
    let disposed = false;
    const disposing = (async () => {
      await using stream = run;
      for await (const _ of stream) break;
    })().then(() => (disposed = true));
    await turn();
    expect(state.interrupts).toBe(1);
    expect(disposed).toBe(false);
    send(DONE_OK);
    await disposing;
    expect(state.signal?.aborted).toBe(true);
  });
});
