/**
 * {@link ExecutionStream}: one execution, as an `AsyncIterable` of typed events with
 * `result()` and `abort()`. Closing the connection (abort, timeout, `break`) makes
 * marimo interrupt the kernel.
 *
 * @module
 */
import { ExecutionError, ProtocolError, type RequestTarget, StreamIncompleteError, TimeoutError } from "../errors.js";
import { type DoneEvent, type ExecuteEvent, type ExecuteOutput, type LegacyDoneError, toExecuteEvent } from "./events.js";
import { readSse } from "./sse.js";
import type { HttpResponse } from "../http/response.js";

/** Options of `nb.stream()` and `nb.execute()`. */
export interface ExecuteOptions {
  /** Cancels the execution (and interrupts the kernel); the call rejects with `signal.reason`. */
  signal?: AbortSignal | undefined;
  /**
   * Limit for the whole execution, in ms; on expiry the connection is closed (interrupting the
   * kernel) and the call rejects with a {@link TimeoutError} whose `timer` is `"total"`.
   * @default undefined (no limit: marimo itself never times out an execution)
   */
  timeoutMs?: number | undefined;
  /**
   * Limit for the silence on the connection, in ms (`timer: "idle"`): any data that arrives
   * (not only a whole event, so a large event arriving slowly is not cut) restarts it; the
   * wait for the headers counts too. Off by default because marimo sends nothing while code
   * runs silently.
   * @default undefined
   */
  idleTimeoutMs?: number | undefined;
  /**
   * Most UTF-8 bytes of stdout plus stderr kept in the buffered {@link ExecuteResult}; the rest is
   * dropped and `truncated` is set. Streaming consumers still see every event.
   * @default 8388608 (8 MiB)
   */
  maxOutputBytes?: number | undefined;
  /**
   * Reject with {@link ExecutionError} when the code fails, instead of resolving with
   * `success: false`.
   * @default false
   */
  throwOnError?: boolean | undefined;
  /** Called with every event as it arrives (also when only `result()` is awaited). */
  onEvent?: ((event: ExecuteEvent) => void) | undefined;
  /**
   * Most characters one unfinished SSE line or event may buffer; a server that sends more
   * gets the stream closed with a {@link ProtocolError} instead of growing memory without limit.
   * @default 67108864 (64 Mi characters, see `DEFAULT_MAX_SSE_BUFFER`)
   */
  maxBufferSize?: number | undefined;
}

/** The default {@link ExecuteOptions.maxOutputBytes}. */
export const DEFAULT_MAX_OUTPUT_BYTES = 8 * 1024 * 1024;

/** The aggregate of one execution. */
export interface ExecuteResult {
  /** False when the code, or a cell it ran, raised. A Python error is data, not an exception. */
  success: boolean;
  /** Everything printed to stdout, in order (bounded by `maxOutputBytes`). */
  stdout: string;
  /** Everything printed to stderr, including tracebacks (bounded by `maxOutputBytes`). */
  stderr: string;
  /** The value of the last expression; empty `text/plain` when there is none or on failure. */
  output: ExecuteOutput;
  /** True when `maxOutputBytes` cut stdout/stderr. */
  truncated: boolean;
  /** Present only for failures reported by marimo < 0.23.7. */
  error?: LegacyDoneError;
}

/** How the stream obtains its HTTP response; receives the combined abort signal. */
export type StartExecution = (signal: AbortSignal) => Promise<HttpResponse>;

/** How much of a body that is not an event stream is kept on the ProtocolError. */
const RAW_EXCERPT_CHARS = 2000;

/**
 * The start of a body, at most `limit` characters; the rest is never read (the body may be
 * endless), and the body is cancelled.
 */
async function excerpt(body: ReadableStream<Uint8Array> | null, limit: number): Promise<string> {
  if (body === null) return "";
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    while (text.length < limit) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // Keep what arrived; the caller reports the wrong content type either way.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return text.slice(0, limit);
}

/** UTF-8 length of a string without encoding it. */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/** Collects stdout/stderr up to a byte budget. */
class OutputBuffer {
  stdout: string[] = [];
  stderr: string[] = [];
  truncated = false;
  #left: number;

  constructor(limit: number) {
    this.#left = limit;
  }

  add(channel: "stdout" | "stderr", data: string): void {
    if (this.#left <= 0) {
      if (data !== "") this.truncated = true;
      return;
    }
    const size = utf8Length(data);
    if (size <= this.#left) {
      this.#left -= size;
      this[channel].push(data);
      return;
    }
    // Keep a prefix that fits (approximately, by UTF-16 units; never over budget).
    let keep = Math.min(data.length, this.#left);
    while (keep > 0 && utf8Length(data.slice(0, keep)) > this.#left) keep = Math.floor(keep * 0.9);
    // Never end on the first half of a surrogate pair (a character cut in two).
    const last = data.charCodeAt(keep - 1);
    if (last >= 0xd800 && last <= 0xdbff) keep--;
    this[channel].push(data.slice(0, keep));
    this.#left = 0;
    this.truncated = true;
  }
}

/**
 * One execution in flight. Iterate it for events as they arrive, or await `result()` for
 * the aggregate; both may be used together. It can be iterated only once.
 *
 * @example
 * ```ts
 * const run = nb.stream("for i in range(3): print(i)");
 * for await (const ev of run) if (ev.type === "stdout") process.stdout.write(ev.data);
 * const { success } = await run.result();
 * ```
 */
export class ExecutionStream implements AsyncIterable<ExecuteEvent> {
  readonly #target: RequestTarget;
  readonly #options: ExecuteOptions;
  readonly #controller = new AbortController();
  readonly #signal: AbortSignal;
  readonly #response: Promise<HttpResponse>;
  readonly #result: Promise<ExecuteResult>;
  #settle!: { resolve: (r: ExecuteResult) => void; reject: (e: unknown) => void };
  #settled = false;
  #consumed = false;
  #totalTimer: ReturnType<typeof setTimeout> | undefined;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  #gotDone = false;
  readonly #ended: Promise<void>;

  /**
   * @internal Use `nb.stream()`. `onCutShort` runs once when the connection is closed before
   * `done` arrived (abort, a timer, `break`, an error), i.e. when marimo interrupts the kernel.
   */
  constructor(target: RequestTarget, start: StartExecution, options: ExecuteOptions = {}, onCutShort?: () => void) {
    this.#target = target;
    this.#options = options;
    this.#signal =
      options.signal === undefined ? this.#controller.signal : AbortSignal.any([this.#controller.signal, options.signal]);
    this.#result = new Promise<ExecuteResult>((resolve, reject) => {
      this.#settle = { resolve, reject };
    });
    // Nobody may ever call result(); its rejection is reported through iteration instead.
    this.#result.catch(() => undefined);
    this.#ended = new Promise<void>((resolve) => {
      this.#result.then(() => resolve(), () => resolve());
      if (this.#signal.aborted) resolve();
      else this.#signal.addEventListener("abort", () => resolve(), { once: true });
    });
    if (options.timeoutMs !== undefined) {
      const ms = options.timeoutMs;
      this.#totalTimer = setTimeout(
        () => this.#controller.abort(new TimeoutError("total", ms, target, "The connection was closed, which interrupts the kernel.")),
        ms,
      );
    }
    this.#armIdle();
    // An abort ends the execution even when nobody reads the stream: drop the timers with it.
    this.#signal.addEventListener(
      "abort",
      () => {
        this.#clearTimers();
        if (this.#gotDone) return;
        onCutShort?.();
        // Nobody may be reading (an abandoned stream): the result ends here all the same.
        this.#fail(this.#signal.reason);
      },
      { once: true },
    );
    this.#response = start(this.#signal);
    this.#response.catch(() => undefined);
  }

  /**
   * @internal Resolves once the execution is over for the client: its result settled, or it
   * was aborted (also when nobody reads it). Never rejects.
   */
  get ended(): Promise<void> {
    return this.#ended;
  }

  /**
   * For `await using`: stops the execution if it is still running (closing the connection,
   * which interrupts the kernel), and resolves once it has ended.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    if (!this.#settled) this.abort();
    await this.ended;
  }

  /** The request this stream belongs to (method and token-free URL). */
  get request(): RequestTarget {
    return this.#target;
  }

  /**
   * Stop the execution: closes the connection, which interrupts the kernel. Pending
   * iteration and `result()` reject with `reason` (default: an `AbortError`).
   */
  abort(reason?: unknown): void {
    this.#controller.abort(reason ?? new DOMException("The execution was aborted.", "AbortError"));
  }

  /**
   * The aggregate of the execution. Starts draining the stream if nobody iterates it.
   *
   * @throws {ExecutionError} when the code failed and `throwOnError` is set.
   * @throws {StreamIncompleteError} when the stream ended before `done`.
   */
  result(): Promise<ExecuteResult> {
    if (!this.#consumed) {
      void (async () => {
        for await (const _ of this) {
          /* drain */
        }
      })().catch(() => undefined);
    }
    return this.#result;
  }

  /** Iterate the events; `break` closes the connection (interrupting the kernel). */
  [Symbol.asyncIterator](): AsyncIterator<ExecuteEvent> {
    if (this.#consumed) throw new TypeError("This execution stream is already being read; it can be iterated once.");
    this.#consumed = true;
    return this.#events();
  }

  #armIdle(): void {
    const ms = this.#options.idleTimeoutMs;
    if (ms === undefined || this.#signal.aborted) return;
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(
      () => this.#controller.abort(new TimeoutError("idle", ms, this.#target, "No event arrived; the connection was closed, which interrupts the kernel.")),
      ms,
    );
  }

  #clearTimers(): void {
    clearTimeout(this.#totalTimer);
    clearTimeout(this.#idleTimer);
  }

  #fail(error: unknown): unknown {
    // Our own timers and abort(), or the caller's signal: report their reason.
    const mapped = this.#signal.aborted ? this.#signal.reason : error;
    if (!this.#settled) {
      this.#settled = true;
      this.#settle.reject(mapped);
    }
    return mapped;
  }

  async *#events(): AsyncGenerator<ExecuteEvent, void, undefined> {
    const buffer = new OutputBuffer(this.#options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES);
    let done: DoneEvent | undefined;
    try {
      const response = await this.#response;
      const type = response.headers.get("content-type") ?? "";
      // Media types are case-insensitive.
      // Both are lazy: the node:http transport's chunks() spare a CLI call Node's web streams.
      const isStream = type.toLowerCase().includes("text/event-stream");
      const source = isStream ? (response.chunks?.() ?? response.body) : null;
      if (source === null) {
        throw new ProtocolError(`${this.#target.method} ${this.#target.url}: expected an event stream, got '${type}'.`, {
          raw: await excerpt(response.body, RAW_EXCERPT_CHARS),
        });
      }
      try {
        const sse = readSse(source, {
          onChunk: () => this.#armIdle(),
          ...(this.#options.maxBufferSize === undefined ? {} : { maxBufferSize: this.#options.maxBufferSize }),
        });
        for await (const message of sse) {
          const event = toExecuteEvent(message);
          if (event === undefined) continue;
          if (event.type === "done") {
            done = event;
            this.#gotDone = true;
          } else buffer.add(event.type, event.data);
          this.#options.onEvent?.(event);
          yield event;
          if (done !== undefined) break;
        }
      } catch (error) {
        // A cut connection surfaces as a fetch TypeError ("terminated").
        if (!this.#signal.aborted && error instanceof TypeError) {
          throw new StreamIncompleteError(this.#target, { cause: error });
        }
        throw error;
      }
      if (done === undefined) {
        if (this.#signal.aborted) throw this.#signal.reason;
        throw new StreamIncompleteError(this.#target);
      }
      const failure = this.#finish(done, buffer);
      if (failure !== undefined) throw failure;
    } catch (error) {
      throw this.#fail(error);
    } finally {
      this.#clearTimers();
      if (done === undefined) {
        // Left early (break, error): close the connection so marimo interrupts the kernel.
        if (!this.#signal.aborted) this.abort();
        this.#fail(this.#signal.reason);
      } else if (!this.#settled) {
        // The loop was left at the `done` event itself: the result is complete all the same.
        this.#finish(done, buffer);
      }
    }
  }

  /** Settle the result from `done`; returns the failure when `throwOnError` turns it into one. */
  #finish(done: DoneEvent, buffer: OutputBuffer): ExecutionError | undefined {
    const result: ExecuteResult = {
      success: done.success,
      stdout: buffer.stdout.join(""),
      stderr: buffer.stderr.join(""),
      output: done.output,
      truncated: buffer.truncated,
    };
    if (done.error !== undefined) result.error = done.error;
    this.#settled = true;
    if (!result.success && this.#options.throwOnError === true) {
      const failure = new ExecutionError(result.stdout, result.stderr);
      this.#settle.reject(failure);
      return failure;
    }
    this.#settle.resolve(result);
    return undefined;
  }
}
