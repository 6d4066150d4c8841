/**
 * `readSse` and `toExecuteEvent` on hand-made input: the buffer limit, early exit,
 * the chunk callback, and the decoding rules for event names and payloads.
 */
import { describe, expect, it } from "vitest";
import { ProtocolError } from "../../../src/errors.js";
import { toExecuteEvent } from "../../../src/execute/events.js";
import { DEFAULT_MAX_SSE_BUFFER, readSse, type SseMessage } from "../../../src/execute/sse.js";

const encoder = new TextEncoder();

/** A body that yields `chunks` and records how far it was read and whether it was cancelled. */
function body(chunks: Iterable<string>) {
  const state = { pulled: 0, cancelled: false };
  const iterator = chunks[Symbol.iterator]();
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = iterator.next();
      if (next.done === true) controller.close();
      else {
        state.pulled++;
        controller.enqueue(encoder.encode(next.value));
      }
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

function* forever(prefix: string, piece: string): Generator<string> {
  yield prefix;
  for (;;) yield piece;
}

async function collect(stream: ReadableStream<Uint8Array>, options: Parameters<typeof readSse>[1] = {}): Promise<SseMessage[]> {
  const out: SseMessage[] = [];
  for await (const message of readSse(stream, options)) out.push(message);
  return out;
}

describe("readSse", () => {
  it("stops an endless line at maxBufferSize with a ProtocolError and cancels the body", async () => {
    const { stream, state } = body(forever("event: stdout\ndata: ", "x".repeat(1024)));
    const error = await collect(stream, { maxBufferSize: 10_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as Error).message).toContain("buffer limit of 10000 characters");
    // Bounded: it read about the limit, not forever.
    expect(state.pulled).toBeLessThan(20);
    expect(state.cancelled).toBe(true);
  });

  it("stops an event made of endless data lines the same way", async () => {
    const { stream, state } = body(forever("event: stdout\n", "data: yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\n".repeat(20)));
    const error = await collect(stream, { maxBufferSize: 50_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect(state.pulled).toBeLessThan(100);
    expect(state.cancelled).toBe(true);
  });

  it("discards endless noise lines without buffering them (nothing to bound, nothing yielded)", async () => {
    let left = 2000;
    const { stream } = body(
      (function* () {
        while (left-- > 0) yield "\x00\x01 not a field ".repeat(100);
      })(),
    );
    expect(await collect(stream, { maxBufferSize: 1000 })).toEqual([]);
  });

  it("yields the events that completed before the limit was hit", async () => {
    const { stream } = body(["event: stdout\ndata: {}\n\nevent: x\ndata: ", "z".repeat(5000)]);
    const seen: SseMessage[] = [];
    const error = await (async () => {
      for await (const m of readSse(stream, { maxBufferSize: 1000 })) seen.push(m);
    })().catch((e: unknown) => e);
    expect(seen).toEqual([{ event: "stdout", data: "{}" }]);
    expect(error).toBeInstanceOf(ProtocolError);
  });

  it("keeps an event just under the limit", async () => {
    const data = "a".repeat(9_000);
    const { stream } = body([`event: stdout\ndata: ${data.slice(0, 4000)}`, `${data.slice(4000)}\n\n`]);
    expect(await collect(stream, { maxBufferSize: 10_000 })).toEqual([{ event: "stdout", data }]);
  });

  it("defaults to 64 Mi characters", () => {
    expect(DEFAULT_MAX_SSE_BUFFER).toBe(64 * 1024 * 1024);
  });

  it("cancels the body when the consumer leaves early, and calls onChunk per chunk", async () => {
    const { stream, state } = body(forever("", "event: stdout\ndata: {}\n\n"));
    let chunks = 0;
    let events = 0;
    for await (const _ of readSse(stream, { onChunk: () => chunks++ })) {
      if (++events === 3) break;
    }
    expect(state.cancelled).toBe(true);
    expect(chunks).toBe(4);
  });

  it("drops an unfinished event at the end of the body (SSE dispatches only on a blank line)", async () => {
    const { stream } = body(["event: stdout\ndata: {}\n\nevent: done\ndata: {}\n"]);
    expect(await collect(stream)).toEqual([{ event: "stdout", data: "{}" }]);
  });
});

describe("toExecuteEvent", () => {
  it("decodes stdout, stderr and both done shapes", () => {
    expect(toExecuteEvent({ event: "stdout", data: '{"data": "a"}' })).toEqual({ type: "stdout", data: "a" });
    expect(toExecuteEvent({ event: "stderr", data: '{"data": "b", "new_field": 1}' })).toEqual({ type: "stderr", data: "b" });
    expect(toExecuteEvent({ event: "done", data: '{"success": true, "output": {"mimetype": "text/html", "data": "<b>1</b>"}}' })).toEqual({
      type: "done",
      success: true,
      output: { mimetype: "text/html", data: "<b>1</b>" },
    });
    expect(toExecuteEvent({ event: "done", data: '{"success": true}' })).toEqual({
      type: "done",
      success: true,
      output: { mimetype: "text/plain", data: "" },
    });
    expect(
      toExecuteEvent({ event: "done", data: '{"success": false, "error": {"type": "CellExecutionError", "msg": "m", "exception_type": "KeyError"}}' }),
    ).toEqual({ type: "done", success: false, output: { mimetype: "text/plain", data: "" }, error: { type: "CellExecutionError", msg: "m" } });
  });

  it("ignores unknown and unnamed events", () => {
    expect(toExecuteEvent({ event: "progress", data: "not json" })).toBeUndefined();
    expect(toExecuteEvent({ event: undefined, data: '{"data": "a"}' })).toBeUndefined();
  });

  it("accepts lone surrogates that marimo escapes (console data is UTF-16 text)", () => {
    expect(toExecuteEvent({ event: "stdout", data: '{"data": "\\udcff"}' })).toEqual({ type: "stdout", data: "\udcff" });
  });

  it("rejects malformed payloads of known events with a ProtocolError naming the event", () => {
    for (const [event, data] of [
      ["stdout", '{"data": 1}'],
      ["stderr", "{"],
      ["done", '{"output": {"mimetype": "text/plain", "data": ""}}'],
      ["done", '{"success": true, "output": {"mimetype": "text/plain"}}'],
      ["done", "null"],
    ] as const) {
      const error = (() => {
        try {
          toExecuteEvent({ event, data });
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error, `${event} ${data}`).toBeInstanceOf(ProtocolError);
      expect((error as Error).message).toContain(`execute event '${event}'`);
    }
  });
});
