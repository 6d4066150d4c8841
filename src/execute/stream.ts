/**
 * {@link ExecutionStream}: one execution, as an `AsyncIterable` of typed events with
 * `result()` and `abort()`. Closing the connection (abort, timeout, `break`) makes
 * marimo interrupt the kernel.
 *
 * @module
 */
import { ExecutionError, ProtocolError, type RequestTarget, StreamIncompleteError, TimeoutError } from "../errors.js";
import { type DoneEvent, type ExecuteEvent, type ExecuteOutput, type LegacyDoneError, toExecuteEvent } from "./events.js";
import { readSse, type SseMessage } from "./sse.js";
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

/** How the stream obtains its HTTP response; receives the signal that closes its connection. */
export type StartExecution = (signal: AbortSignal) => Promise<HttpResponse>;

/**
 * @internal Stops a run cut short without closing its connection first: sends marimo one
 * interrupt and resolves `true`, after which the stream reads on to marimo's `done` before
 * it closes the connection; or resolves `false`, and the connection is closed at once (which
 * is what makes marimo interrupt the kernel).
 */
export type InterruptInstead = () => Promise<boolean>;

/** How long a stream stopped by {@link InterruptInstead} reads on for `done` before it closes anyway. */
const DRAIN_LIMIT_MS = 10_000;

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
  /** Closes the HTTP connection; after an abort, once the run is stopped (see {@link InterruptInstead}). */
  readonly #connection = new AbortController();
  readonly #interruptInstead: InterruptInstead | undefined;
  /** The event stream while it is read, and a read the iteration gave up on when aborted. */
  #messages: AsyncIterator<SseMessage> | undefined;
  #pending: Promise<IteratorResult<SseMessage>> | undefined;
  readonly #closed: Promise<void>;

  /**
   * @internal Use `nb.stream()`. `onCutShort` runs once when the execution ends before `done`
   * arrived (abort, a timer, `break`, an error), i.e. when marimo interrupts the kernel;
   * `interruptInstead` may stop the run before the connection is closed.
   */
  constructor(
    target: RequestTarget,
    start: StartExecution,
    options: ExecuteOptions = {},
    onCutShort?: () => void,
    interruptInstead?: InterruptInstead,
  ) {
    this.#target = target;
    this.#options = options;
    this.#interruptInstead = interruptInstead;
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
        () => this.#controller.abort(new TimeoutError("total", ms, target, "The execution was stopped, which interrupts the kernel.")),
        ms,
      );
    }
    this.#armIdle();
    // An abort ends the execution even when nobody reads the stream: drop the timers with it.
    this.#signal.addEventListener(
      "abort",
      () => {
        this.#clearTimers();
        if (this.#gotDone) {
          this.#connection.abort(this.#signal.reason);
          return;
        }
        onCutShort?.();
        // Nobody may be reading (an abandoned stream): the result ends here all the same.
        this.#fail(this.#signal.reason);
        this.#stop();
      },
      { once: true },
    );
    this.#closed = new Promise<void>((resolve) => {
      // After `done` the request is over for the server (also when `throwOnError` rejects).
      this.#result.then(
        () => resolve(),
        () => (this.#gotDone ? resolve() : undefined),
      );
      this.#connection.signal.addEventListener("abort", () => resolve(), { once: true });
    });
    this.#response = start(this.#connection.signal);
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
   * @internal Resolves once the request is over for the server too: `done` arrived, or the
   * connection is closed (after an abort that may be later, see {@link InterruptInstead}).
   */
  get closed(): Promise<void> {
    return this.#closed;
  }

  /**
   * For `await using`: stops the execution if it is still running (which interrupts the
   * kernel, see {@link ExecutionStream.abort}), and resolves once its connection is closed.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    if (!this.#settled) this.abort();
    await this.#closed;
  }

  /** The request this stream belongs to (method and token-free URL). */
  get request(): RequestTarget {
    return this.#target;
  }

  /**
   * Stop the execution, which interrupts the kernel: closes the connection, which makes
   * marimo interrupt it (on marimo 0.23.14–0.25.0, which would interrupt twice, the session
   * sends one interrupt and closes the connection once marimo's `done` arrives, at most 10 s
   * later). Pending iteration and `result()` reject with `reason` at once (default: an
   * `AbortError`).
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

  /** Iterate the events; `break` stops the execution like {@link ExecutionStream.abort}. */
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
      () => this.#controller.abort(new TimeoutError("idle", ms, this.#target, "No event arrived; the execution was stopped, which interrupts the kernel.")),
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
        this.#messages = sse;
        try {
          for (;;) {
            if (this.#signal.aborted) throw this.#signal.reason;
            const read = await this.#next(sse);
            if (read === undefined) throw this.#signal.reason;
            if (read.done === true) break;
            const message = read.value;
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
        } finally {
          // After `done` (also when the reader returns at it) the body is ours to cancel; before
          // it, the abort listener decides when the connection closes (see #stop).
          if (done !== undefined) await sse.return(undefined).catch(() => undefined);
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
        // Left early (break, error): stop the run (see the abort listener).
        if (!this.#signal.aborted) this.abort();
        this.#fail(this.#signal.reason);
      } else if (!this.#settled) {
        // The loop was left at the `done` event itself: the result is complete all the same.
        this.#finish(done, buffer);
      }
    }
  }

  /**
   * The next message, or `undefined` when the execution is aborted first; the read it gave up
   * on stays in `#pending` for {@link ExecutionStream.#stop}.
   */
  #next(messages: AsyncIterator<SseMessage>): Promise<IteratorResult<SseMessage> | undefined> {
    const next = (this.#pending = messages.next());
    // Nobody may take the read over: its failure must not go unhandled.
    next.catch(() => undefined);
    return new Promise((resolve, reject) => {
      const onAbort = () => resolve(undefined);
      this.#signal.addEventListener("abort", onAbort, { once: true });
      next.then(
        (read) => {
          this.#signal.removeEventListener("abort", onAbort);
          if (this.#pending === next) this.#pending = undefined;
          resolve(read);
        },
        (error: unknown) => {
          this.#signal.removeEventListener("abort", onAbort);
          reject(error);
        },
      );
    });
  }

  /**
   * After an abort before `done`: close the connection, which makes marimo interrupt the
   * kernel; or, when {@link InterruptInstead} sent the interrupt itself, first read on (the
   * events go nowhere) until marimo's `done`, so that marimo never sees the connection drop.
   */
  #stop(): void {
    const reason = this.#signal.reason;
    const messages = this.#messages;
    const close = () => {
      this.#connection.abort(reason);
      void messages?.return?.(undefined).catch(() => undefined);
    };
    const interruptInstead = this.#interruptInstead;
    if (messages === undefined || interruptInstead === undefined) return close();
    void (async () => {
      try {
        if (!(await interruptInstead().catch(() => false))) return;
        const limit = setTimeout(() => this.#connection.abort(reason), DRAIN_LIMIT_MS);
        try {
          for (let read = await (this.#pending ?? messages.next()); read.done !== true; read = await messages.next()) {
            // The events go nowhere: only the name of the last one matters.
            if (read.value.event === "done") break;
          }
        } catch {
          // The connection broke, or the limit closed it.
        } finally {
          clearTimeout(limit);
        }
      } finally {
        close();
      }
    })();
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
