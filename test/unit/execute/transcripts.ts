/**
 * Recorded `/api/kernel/execute` transcripts (test/fixtures/transcripts, made by
 * scripts/record-transcripts.ts) and what the tests derive from them: an oracle parse
 * that does not use eventsource-parser, equivalent re-encodings (CRLF, CR, raw UTF-8,
 * multi-line data, comment lines), and body streams that deliver given chunks.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { ExecuteEvent } from "../../../src/execute/events.js";

const DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "fixtures", "transcripts");

/** One recorded response body. */
export interface Transcript {
  name: string;
  bytes: Uint8Array;
  /** The chunk sizes the socket delivered while recording. */
  recordedChunks: number[];
  /** The messages as the oracle reads them. */
  messages: OracleMessage[];
  /** The typed events the SDK must produce. */
  events: ExecuteEvent[];
}

/** An SSE message read by the oracle: marimo writes `event:` then one `data:` line. */
export interface OracleMessage {
  event: string;
  data: string;
}

interface Manifest {
  marimoVersion: string;
  transcripts: Record<string, { chunks: number[] }>;
}

/**
 * The oracle: marimo's framing is exactly `event: <name>\n` `data: <json>\n` `\n`
 * (PROTOCOL.md §2.6), so a split on blank lines reads it without a general SSE parser.
 */
export function oracleParse(text: string): OracleMessage[] {
  if (!text.endsWith("\n\n")) throw new Error("transcript does not end with a blank line");
  return text
    .slice(0, -2)
    .split("\n\n")
    .map((block) => {
      const lines = block.split("\n");
      const event = /^event: (.+)$/.exec(lines[0] ?? "")?.[1];
      const data = /^data: (.*)$/.exec(lines[1] ?? "")?.[1];
      if (lines.length !== 2 || event === undefined || data === undefined) throw new Error(`unexpected block: ${block}`);
      return { event, data };
    });
}

/** The typed event for an oracle message, built without the SDK's decoder. */
export function oracleEvent(message: OracleMessage): ExecuteEvent {
  const payload = JSON.parse(message.data) as Record<string, unknown>;
  if (message.event === "stdout" || message.event === "stderr") {
    return { type: message.event, data: payload["data"] as string };
  }
  if (message.event !== "done") throw new Error(`unexpected event ${message.event}`);
  const output = payload["output"] as { mimetype: string; data: string };
  return { type: "done", success: payload["success"] as boolean, output: { mimetype: output.mimetype, data: output.data } };
}

let cache: Transcript[] | undefined;

/** Every recorded transcript, sorted by name. */
export function loadTranscripts(): Transcript[] {
  if (cache !== undefined) return cache;
  const manifest = JSON.parse(readFileSync(join(DIR, "manifest.json"), "utf8")) as Manifest;
  cache = readdirSync(DIR)
    .filter((f) => f.endsWith(".sse"))
    .sort()
    .map((file) => {
      const name = file.slice(0, -".sse".length);
      const bytes = new Uint8Array(readFileSync(join(DIR, file)));
      const messages = oracleParse(new TextDecoder().decode(bytes));
      return {
        name,
        bytes,
        recordedChunks: manifest.transcripts[name]?.chunks ?? [bytes.byteLength],
        messages,
        events: messages.map(oracleEvent),
      };
    });
  return cache;
}

/** How a transcript is re-encoded; every variant must decode to the same events. */
export interface Encoding {
  /** Line terminator (SSE allows all three). */
  eol: "\n" | "\r\n" | "\r";
  /** Write non-ASCII characters as raw UTF-8 instead of `\uXXXX` escapes. */
  rawUtf8: boolean;
  /** Spread each JSON payload over several `data:` lines (joined with `\n`, still valid JSON). */
  multiLineData: boolean;
  /** Write `data:value` without the optional space. */
  noSpace: boolean;
  /** Insert a comment line before the line with this index (indices may repeat). */
  commentsBefore: readonly number[];
  /** Start with a UTF-8 byte order mark (which SSE strips). */
  bom: boolean;
}

/** The encoding that reproduces marimo's bytes exactly. */
export const MARIMO_ENCODING: Encoding = { eol: "\n", rawUtf8: false, multiLineData: false, noSpace: false, commentsBefore: [], bom: false };

const COMMENTS = [": keep-alive", ":", ": ping 🎈 café", ":event: stdout"];

/** Re-encode messages as an SSE body. */
export function encode(messages: readonly OracleMessage[], encoding: Encoding): Uint8Array {
  const lines: string[] = [];
  const sep = encoding.noSpace ? ":" : ": ";
  for (const message of messages) {
    lines.push(`event${sep}${message.event}`);
    let data = message.data;
    // JSON.stringify keeps non-ASCII raw (and escapes only lone surrogates).
    if (encoding.rawUtf8) data = JSON.stringify(JSON.parse(data));
    if (encoding.multiLineData) {
      const value: unknown = JSON.parse(data);
      data = encoding.rawUtf8 ? JSON.stringify(value, null, 1) : toAsciiJson(JSON.stringify(value, null, 1));
    }
    for (const line of data.split("\n")) lines.push(`data${sep}${line}`);
    lines.push("");
  }
  const counts = new Map<number, number>();
  for (const at of encoding.commentsBefore) counts.set(at, (counts.get(at) ?? 0) + 1);
  const out: string[] = [];
  lines.forEach((line, index) => {
    for (let k = 0; k < (counts.get(index) ?? 0); k++) out.push(COMMENTS[(index + k) % COMMENTS.length] ?? ":");
    out.push(line);
  });
  return new TextEncoder().encode((encoding.bom ? "\ufeff" : "") + out.map((line) => line + encoding.eol).join(""));
}

function toAsciiJson(json: string): string {
  return json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Number of lines {@link encode} writes before comments (for choosing comment positions). */
export function lineCount(messages: readonly OracleMessage[], encoding: Pick<Encoding, "multiLineData">): number {
  let n = 0;
  for (const message of messages) {
    const dataLines = encoding.multiLineData ? JSON.stringify(JSON.parse(message.data), null, 1).split("\n").length : 1;
    n += 2 + dataLines;
  }
  return n;
}

/** Split `bytes` at the given (sorted, unique, in-range) offsets. */
export function splitAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const cut of cuts) {
    chunks.push(bytes.slice(from, cut));
    from = cut;
  }
  chunks.push(bytes.slice(from));
  return chunks;
}

/** Split `bytes` into pieces of the given sizes (the last piece takes the rest). */
export function splitSizes(bytes: Uint8Array, sizes: readonly number[]): Uint8Array[] {
  const cuts: number[] = [];
  let at = 0;
  for (const size of sizes) {
    at += size;
    if (at >= bytes.byteLength) break;
    cuts.push(at);
  }
  return splitAt(bytes, cuts);
}

/** A body stream that delivers exactly these chunks, one per read. */
export function streamOf(chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let next = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[next++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(chunk);
    },
  });
}

/** True when a cut at `offset` falls inside a multi-byte UTF-8 sequence. */
export function isMidCharacter(bytes: Uint8Array, offset: number): boolean {
  const b = bytes[offset];
  return b !== undefined && (b & 0xc0) === 0x80;
}

/** True when a cut at `offset` falls inside a line (not right after a line terminator). */
export function isMidLine(bytes: Uint8Array, offset: number): boolean {
  const prev = bytes[offset - 1];
  return prev !== 0x0a && prev !== 0x0d;
}

/** True when a cut at `offset` separates a CR from its LF. */
export function isMidCrLf(bytes: Uint8Array, offset: number): boolean {
  return bytes[offset - 1] === 0x0d && bytes[offset] === 0x0a;
}
