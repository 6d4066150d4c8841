/**
 * {@link HandleSet}: what a client or a session has in flight (executions, event watchers,
 * owned connections, waits), so that `close()` can end all of it.
 *
 * @module
 */

/** Something in flight that `close()` must end. */
export interface OpenHandle {
  /** End it (close its connection, clear its timers); resolves once it is gone. */
  close(): Promise<void>;
}

/**
 * The handles one owner has in flight. Handles leave the set when they end by themselves;
 * `closeAll()` ends those still there, and a handle added afterwards is closed at once.
 */
export class HandleSet {
  readonly #open = new Set<OpenHandle>();
  readonly #closing = new AbortController();

  /** Aborted once `closeAll()` has been called: waits and timers of this owner stop on it. */
  get signal(): AbortSignal {
    return this.#closing.signal;
  }

  /** True once `closeAll()` has been called. */
  get closed(): boolean {
    return this.#closing.signal.aborted;
  }

  /** How many handles are in flight. */
  get size(): number {
    return this.#open.size;
  }

  /** Track `handle` until the returned function is called (when it ended by itself). */
  add(handle: OpenHandle): () => void {
    if (this.closed) {
      void handle.close().catch(() => undefined);
      return () => undefined;
    }
    this.#open.add(handle);
    return () => void this.#open.delete(handle);
  }

  /** End every handle in flight and every later one; resolves when all of them are gone. Never rejects. */
  async closeAll(): Promise<void> {
    if (!this.closed) this.#closing.abort(new DOMException("closed", "AbortError"));
    const open = [...this.#open];
    this.#open.clear();
    await Promise.allSettled(open.map((handle) => handle.close()));
  }
}
