/**
 * Real `/api/kernel/execute` transcripts, re-encoded (LF, CRLF, CR, raw UTF-8, multi-line
 * data, comments, BOM) and re-fed in random chunkings (mid-line, mid-UTF-8 character,
 * mid-CRLF, byte runs) must always decode to the same typed events — both through
 * `readSse` + `toExecuteEvent` and through a whole `ExecutionStream` reached with
 * `connect()` and an injected fetch.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { connect } from "../../../src/client.js";
import { type ExecuteEvent, toExecuteEvent } from "../../../src/execute/events.js";
import { readSse } from "../../../src/execute/sse.js";
import type { ExecuteResult } from "../../../src/execute/stream.js";
import {
  type Encoding,
  encode,
  isMidCharacter,
  isMidCrLf,
  isMidLine,
  lineCount,
  loadTranscripts,
  MARIMO_ENCODING,
  splitAt,
  splitSizes,
  streamOf,
  type Transcript,
} from "../../unit/execute/transcripts.js";

/** Random chunkings in total, spread over the transcripts. */
const TOTAL_RUNS = 1000;
/** A fixed base seed: every run of the suite tries the same cases. */
const SEED = 0x6d61726d;

const transcripts = loadTranscripts();

async function viaSse(chunks: readonly Uint8Array[]): Promise<ExecuteEvent[]> {
  const events: ExecuteEvent[] = [];
  for await (const message of readSse(streamOf(chunks))) {
    const event = toExecuteEvent(message);
    if (event !== undefined) events.push(event);
  }
  return events;
}

/** A fetch that answers `/api/sessions` with one session and execute with `body()`. */
function stubFetch(body: () => ReadableStream<Uint8Array>): typeof fetch {
  return async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const path = new URL(request.url).pathname;
    if (path === "/api/sessions") return Response.json({ s_1: { filename: "nb.py", path: "/x/nb.py" } });
    if (path === "/api/kernel/execute" && request.method === "POST") {
      return new Response(body(), { headers: { "content-type": "text/event-stream; charset=utf-8" } });
    }
    return new Response("not found", { status: 404 });
  };
}

async function viaClient(chunks: readonly Uint8Array[]): Promise<{ events: ExecuteEvent[]; result: ExecuteResult }> {
  const client = connect("http://127.0.0.1:2718", { fetch: stubFetch(() => streamOf(chunks)) });
  const nb = await client.session();
  const run = nb.stream("print('x')");
  const events: ExecuteEvent[] = [];
  for await (const event of run) events.push(event);
  return { events, result: await run.result() };
}

/** The aggregate `result()` must report for these events. */
function aggregate(events: readonly ExecuteEvent[]): ExecuteResult {
  const done = events.at(-1);
  if (done?.type !== "done") throw new Error("transcript without done");
  const text = (type: "stdout" | "stderr") => events.flatMap((e) => (e.type === type ? [e.data] : [])).join("");
  return { success: done.success, stdout: text("stdout"), stderr: text("stderr"), output: done.output, truncated: false };
}

/** What the random cases exercised (asserted at the end, so the property cannot go vacuous). */
const covered = {
  runs: 0,
  clientRuns: 0,
  chunks: 0,
  midLine: 0,
  midCharacter: 0,
  midCrLf: 0,
  comments: 0,
  encodings: new Set<string>(),
};

function count(bytes: Uint8Array, cuts: readonly number[], encoding: Encoding, viaStream: boolean): void {
  covered.runs++;
  if (viaStream) covered.clientRuns++;
  covered.chunks += cuts.length + 1;
  covered.comments += encoding.commentsBefore.length;
  covered.encodings.add(`${JSON.stringify(encoding.eol)} utf8=${encoding.rawUtf8} multi=${encoding.multiLineData}`);
  for (const cut of cuts) {
    if (isMidLine(bytes, cut)) covered.midLine++;
    if (isMidCharacter(bytes, cut)) covered.midCharacter++;
    if (isMidCrLf(bytes, cut)) covered.midCrLf++;
  }
}

/** One random case: an encoding, cut points (scattered plus a run of single bytes), and the path. */
function caseArbitrary(transcript: Transcript) {
  const maxCuts = transcript.bytes.byteLength > 10_000 ? 400 : 48;
  return fc.record({
    eol: fc.constantFrom<Encoding["eol"]>("\n", "\r\n", "\r"),
    rawUtf8: fc.boolean(),
    multiLineData: fc.boolean(),
    noSpace: fc.boolean(),
    bom: fc.boolean(),
    comments: fc.array(fc.nat(), { maxLength: 6 }),
    scattered: fc.array(fc.nat(), { maxLength: maxCuts }),
    byteRun: fc.option(fc.record({ at: fc.nat(), width: fc.integer({ min: 1, max: 24 }) })),
    viaClient: fc.integer({ min: 0, max: 9 }).map((n) => n < 3),
  });
}

describe("recorded transcripts", () => {
  it("are marimo's ASCII bytes, end with done, and the oracle's encoding reproduces them exactly", () => {
    expect(transcripts.map((t) => t.name)).toEqual([
      "codemode-batch",
      "codemode-error",
      "exception",
      "json-value",
      "large-output",
      "non-ascii",
      "one-plus-one",
      "print-loop",
      "stderr",
      "syntax-error",
    ]);
    for (const t of transcripts) {
      expect(t.bytes.every((b) => b < 0x80), t.name).toBe(true);
      expect(t.events.at(-1)?.type, t.name).toBe("done");
      expect(t.events.filter((e) => e.type === "done"), t.name).toHaveLength(1);
      expect(encode(t.messages, MARIMO_ENCODING), t.name).toEqual(t.bytes);
      expect(t.recordedChunks.reduce((a, b) => a + b, 0), t.name).toBe(t.bytes.byteLength);
    }
  });

  it("hold what marimo printed (spot checks of the oracle)", () => {
    const byName = new Map(transcripts.map((t) => [t.name, aggregate(t.events)]));
    expect(byName.get("print-loop")?.stdout).toBe("line 0\nline 1\nline 2\nline 3\nline 4\n");
    expect(byName.get("one-plus-one")?.output).toEqual({ mimetype: "text/html", data: "<pre class='text-xs'>2</pre>" });
    expect(byName.get("non-ascii")?.stdout).toBe("héllo 🎉 日本語 e\u0301 \u{1D54F} ∑ — Ω\n");
    expect(byName.get("non-ascii")?.stderr).toBe("👩\u200d💻 عربى 한국어\n");
    expect(byName.get("syntax-error")).toMatchObject({ success: false, stderr: expect.stringContaining("SyntaxError") });
    expect(byName.get("exception")?.stderr).toMatch(/Traceback[\s\S]*ValueError: boom\n$/);
    expect(byName.get("large-output")?.stdout).toHaveLength(200_000);
    expect(byName.get("codemode-batch")?.stdout).toContain("created and ran cell");
    expect(byName.get("codemode-error")).toMatchObject({ success: false, stderr: expect.stringContaining("RuntimeError: cell failed") });
  });

  it("decode in one chunk and in the chunks the socket delivered while recording", async () => {
    for (const t of transcripts) {
      expect(await viaSse([t.bytes]), t.name).toEqual(t.events);
      expect(await viaSse(splitSizes(t.bytes, t.recordedChunks)), t.name).toEqual(t.events);
      const { events, result } = await viaClient(splitSizes(t.bytes, t.recordedChunks));
      expect(events, t.name).toEqual(t.events);
      expect(result, t.name).toEqual(aggregate(t.events));
    }
  });
});

describe(`${TOTAL_RUNS} random chunkings`, () => {
  transcripts.forEach((t, index) => {
    const runs = Math.floor(TOTAL_RUNS / transcripts.length) + (index < TOTAL_RUNS % transcripts.length ? 1 : 0);
    it(`${t.name}: ${runs} chunkings decode to the recorded events`, async () => {
      const expected = aggregate(t.events);
      await fc.assert(
        fc.asyncProperty(caseArbitrary(t), async (c) => {
          const lines = lineCount(t.messages, c);
          const encoding: Encoding = {
            eol: c.eol,
            rawUtf8: c.rawUtf8,
            multiLineData: c.multiLineData,
            noSpace: c.noSpace,
            bom: c.bom,
            commentsBefore: c.comments.map((n) => n % lines),
          };
          const bytes = encode(t.messages, encoding);
          const last = bytes.byteLength - 1;
          const offsets = c.scattered.map((n) => 1 + (n % last));
          if (c.byteRun !== null) {
            const start = 1 + (c.byteRun.at % last);
            for (let k = 0; k < c.byteRun.width && start + k <= last; k++) offsets.push(start + k);
          }
          const cuts = [...new Set(offsets)].sort((a, b) => a - b);
          const chunks = splitAt(bytes, cuts);
          count(bytes, cuts, encoding, c.viaClient);
          if (c.viaClient) {
            const { events, result } = await viaClient(chunks);
            expect(events).toEqual(t.events);
            expect(result).toEqual(expected);
          } else {
            expect(await viaSse(chunks)).toEqual(t.events);
          }
        }),
        { seed: SEED + index, numRuns: runs },
      );
    });
  });

  it("covered every kind of split and encoding", () => {
    expect(covered.runs).toBe(TOTAL_RUNS);
    expect(covered.clientRuns).toBeGreaterThan(TOTAL_RUNS / 5);
    expect(covered.midLine).toBeGreaterThan(1000);
    expect(covered.midCharacter).toBeGreaterThan(100);
    expect(covered.midCrLf).toBeGreaterThan(10);
    expect(covered.comments).toBeGreaterThan(500);
    // 3 line endings × raw UTF-8 or escaped × single- or multi-line data.
    expect(covered.encodings.size).toBe(12);
  });
});

describe("exhaustive small cases", () => {
  const small = transcripts.filter((t) => t.bytes.byteLength < 1000);
  const encodings: Encoding[] = [];
  for (const eol of ["\n", "\r\n", "\r"] as const) {
    for (const rawUtf8 of [false, true]) {
      encodings.push({ ...MARIMO_ENCODING, eol, rawUtf8, commentsBefore: [0, 2, 3, 3] });
    }
  }

  it(`byte by byte: ${small.length} transcripts × ${encodings.length} encodings`, async () => {
    for (const t of small) {
      for (const encoding of encodings) {
        const bytes = encode(t.messages, encoding);
        const single = Array.from(bytes, (b) => Uint8Array.of(b));
        expect(await viaSse(single), `${t.name} ${JSON.stringify(encoding)}`).toEqual(t.events);
      }
    }
    const printLoop = transcripts.find((t) => t.name === "print-loop");
    if (printLoop === undefined) throw new Error("print-loop transcript missing");
    const { events } = await viaClient(Array.from(printLoop.bytes, (b) => Uint8Array.of(b)));
    expect(events).toEqual(printLoop.events);
  });

  it("every two-chunk split of the raw UTF-8 non-ASCII transcript, LF and CRLF", async () => {
    const t = transcripts.find((x) => x.name === "non-ascii");
    if (t === undefined) throw new Error("non-ascii transcript missing");
    let midCharacter = 0;
    for (const eol of ["\n", "\r\n"] as const) {
      const bytes = encode(t.messages, { ...MARIMO_ENCODING, eol, rawUtf8: true });
      for (let cut = 1; cut < bytes.byteLength; cut++) {
        if (isMidCharacter(bytes, cut)) midCharacter++;
        expect(await viaSse(splitAt(bytes, [cut])), `${JSON.stringify(eol)} cut at ${cut}`).toEqual(t.events);
      }
    }
    // Emoji, CJK, Arabic, Hangul: plenty of splits land inside a character.
    expect(midCharacter).toBeGreaterThan(80);
  });
});
