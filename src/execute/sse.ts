/**
 * Server-sent events from a fetch body: the only place eventsource-parser is used.
 * Handles LF and CRLF, multi-line `data:`, comments, and events split anywhere
 * (mid-line, mid-UTF-8 character).
 *
 * @module
 */
import { createParser } from "eventsource-parser";
import { ProtocolError } from "../errors.js";

/** One parsed event. `event` is undefined for unnamed (`message`) events. */
export interface SseMessage {
  /** The `event:` field, if any. */
  event: string | undefined;
  /** The joined `data:` lines. */
  data: string;
}

/** Options of {@link readSse}. */
export interface ReadSseOptions {
  /**
   * Most characters one unfinished line or event may buffer; a server that exceeds
   * it gets a {@link ProtocolError} instead of unbounded memory growth.
   * @default 64 MiB
   */
  maxBufferSize?: number;
  /** Called for every received chunk (used by idle timers). */
  onChunk?: () => void;
}

/** The default {@link ReadSseOptions.maxBufferSize}: well above marimo's largest single event (8 MB outputs, JSON-escaped). */
export const DEFAULT_MAX_SSE_BUFFER = 64 * 1024 * 1024;

/**
 * Iterate the events of an SSE body (a fetch body, or any async iterable of bytes).
 * Leaving the loop early cancels the body (which closes the connection).
 *
 * @throws {ProtocolError} when one event exceeds `maxBufferSize`.
 */
export async function* readSse(
  body: AsyncIterable<Uint8Array>,
  options: ReadSseOptions = {},
): AsyncGenerator<SseMessage, void, undefined> {
  let pending: SseMessage[] = [];
  let overflow = false;
  const maxBufferSize = options.maxBufferSize ?? DEFAULT_MAX_SSE_BUFFER;
  const parser = createParser({
    maxBufferSize,
    onEvent: (message) => pending.push({ event: message.event, data: message.data }),
    onError: (error) => {
      if (error.type === "max-buffer-size-exceeded") overflow = true;
    },
  });
  // Streaming decode keeps a UTF-8 sequence split across chunks intact.
  const decoder = new TextDecoder();
  // Leaving this loop (break, throw) returns the body's iterator, which cancels it.
  for await (const value of body) {
    options.onChunk?.();
    if (!overflow) parser.feed(decoder.decode(value, { stream: true }));
    if (pending.length > 0) {
      const batch = pending;
      pending = [];
      for (const message of batch) yield message;
    }
    if (overflow) {
      throw new ProtocolError(`An SSE event exceeded the parser's buffer limit of ${maxBufferSize} characters.`);
    }
  }
}
