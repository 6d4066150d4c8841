/**
 * {@link NotebookEvents}: what `nb.events()` returns — an async iterable of
 * {@link NotebookEvent}s with `abort()`, `close()` and `await using`, like `ExecutionStream`.
 *
 * @module
 */
import type { NotebookEvent } from "./event-types.js";

/**
 * A live event stream of one notebook. Iterate it with `for await`; end it with `abort()`,
 * the `signal` option, `close()`, `await using`, or by leaving the loop. Ending it closes its
 * connection and clears its timers (idle timer, reconnect backoff); the iteration then ends
 * without an error. It can be iterated once.
 *
 * @example
 * ```ts
 * await using events = nb.events();
 * for await (const ev of events) {
 *   if (ev.type === "cell" && ev.status === "idle") events.abort();
 * }
 * ```
 */
export class NotebookEvents implements AsyncIterableIterator<NotebookEvent>, AsyncDisposable {
  readonly #controller: AbortController;
  readonly #events: AsyncGenerator<NotebookEvent, void, undefined>;
  readonly #onEnd: () => void;
  #ended = false;

  /**
   * @internal Use `nb.events()`. `watch` receives the signal that ends the stream; `onEnd`
   * runs once when the stream has ended (for whatever reason).
   */
  constructor(
    watch: (signal: AbortSignal) => AsyncGenerator<NotebookEvent, void, undefined>,
    signal: AbortSignal | undefined,
    onEnd: () => void = () => undefined,
  ) {
    this.#controller = new AbortController();
    const combined = signal === undefined ? this.#controller.signal : AbortSignal.any([this.#controller.signal, signal]);
    this.#events = watch(combined);
    this.#onEnd = onEnd;
  }

  /** True once `abort()` or `close()` was called, or the `signal` option aborted. */
  get aborted(): boolean {
    return this.#controller.signal.aborted;
  }

  /** Stop watching: closes the connection; a pending or later `next()` ends the iteration without an error. */
  abort(reason?: unknown): void {
    this.#controller.abort(reason ?? new DOMException("The event stream was aborted.", "AbortError"));
  }

  /** Stop watching and resolve once the connection is closed and every timer cleared. Idempotent. */
  async close(): Promise<void> {
    this.abort();
    // Queued behind a pending next(), which the abort ends; runs the generator's cleanup otherwise.
    await this.#events.return(undefined).catch(() => undefined);
    this.#end();
  }

  /** Same as `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** The next event. */
  async next(): Promise<IteratorResult<NotebookEvent, void>> {
    try {
      const result = await this.#events.next();
      if (result.done === true) this.#end();
      return result;
    } catch (error) {
      this.#end();
      throw error;
    }
  }

  /** End the iteration early (what `break` calls): the same as `close()`. */
  async return(): Promise<IteratorResult<NotebookEvent, void>> {
    await this.close();
    return { done: true, value: undefined };
  }

  /** The stream itself (it can be iterated once). */
  [Symbol.asyncIterator](): this {
    return this;
  }

  #end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#onEnd();
  }
}
