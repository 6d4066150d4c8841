/**
 * Node's `fetch` gives up on a response body after 300 s without data (undici's default
 * `bodyTimeout`). marimo sends nothing while code runs silently, so a long computation
 * would be cut — and closing the connection interrupts the kernel. This module supplies
 * a fetch whose dispatcher has no body or header timeouts; the SDK's own timers
 * (`timeoutMs`, `idleTimeoutMs`, the client's headers timeout) are the only limits.
 *
 * Node-only (undici). The `marimo-pair/client` entry does not use it.
 *
 * @module
 */
import type { Agent } from "undici";

/** Options of {@link createNodeFetch}. */
export interface NodeFetchOptions {
  /** undici's body timeout in ms; 0 disables it. @default 0 */
  bodyTimeoutMs?: number;
}

let shared: typeof fetch | undefined;

/**
 * The module of undici's `Agent` class alone. undici's index also builds its fetch, WebSocket,
 * caches and mocks: loading only the class takes about a third of the time (22 against 70 ms
 * here), which every CLI call pays. A variable, so that neither TypeScript nor the bundler
 * resolves this internal path; undici's index remains the fallback should a release move it.
 */
const AGENT_MODULE: string = "undici/lib/dispatcher/agent.js";

/** @internal undici's `Agent` class, loaded the fast way when possible. */
export async function loadAgent(): Promise<typeof Agent> {
  try {
    const module = (await import(AGENT_MODULE)) as { default?: unknown };
    if (typeof module.default === "function" && module.default.name === "Agent") return module.default as typeof Agent;
  } catch {
    // Moved or renamed in some undici release: use the index.
  }
  return (await import("undici")).Agent;
}

/**
 * A `fetch` for Node whose connections never time out on their own. undici is loaded on
 * the first request, so importing the SDK stays fast.
 */
export function createNodeFetch(options: NodeFetchOptions = {}): typeof fetch {
  return createOwnedNodeFetch(options).fetch;
}

/** A fetch with its own connection pool, and a way to close the pool. */
export interface OwnedNodeFetch {
  /** The fetch. */
  fetch: typeof fetch;
  /**
   * Close every connection of the pool at once (a request still in flight fails). Later
   * requests get a new pool.
   */
  close(): Promise<void>;
}

/** @internal {@link createNodeFetch}, with a `close()` for its pool: what a client of the Node entry owns. */
export function createOwnedNodeFetch(options: NodeFetchOptions = {}): OwnedNodeFetch {
  let dispatcher: Promise<Agent> | undefined;
  return {
    fetch: async (input, init) => {
      dispatcher ??= loadAgent().then((AgentClass) => new AgentClass({ bodyTimeout: options.bodyTimeoutMs ?? 0, headersTimeout: 0 }));
      // Node's built-in fetch accepts an undici dispatcher per request.
      return fetch(input, { ...init, dispatcher: await dispatcher } as RequestInit);
    },
    async close() {
      const pending = dispatcher;
      dispatcher = undefined;
      if (pending !== undefined) await (await pending).destroy();
    },
  };
}

/** The process-wide instance of {@link createNodeFetch} used by the Node entry's `connect`. */
export function nodeFetch(): typeof fetch {
  shared ??= createNodeFetch();
  return shared;
}
