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
import { PREPARE } from "./prepare-fetch.js";

/** Options of {@link createNodeFetch}. */
export interface NodeFetchOptions {
  /** undici's body timeout in ms; 0 disables it. @default 0 */
  bodyTimeoutMs?: number;
}

let shared: typeof fetch | undefined;

/**
 * @internal undici's `Agent` class, from undici's public entry. Imported on the first request
 * (not when the SDK is imported), so only a process that talks to marimo pays for it.
 */
export async function loadAgent(): Promise<typeof Agent> {
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
  const ready = (): Promise<Agent> => {
    dispatcher ??= loadAgent().then((AgentClass) => new AgentClass({ bodyTimeout: options.bodyTimeoutMs ?? 0, headersTimeout: 0 }));
    return dispatcher;
  };
  const nodeFetchImpl = async (input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> =>
    // Node's built-in fetch accepts an undici dispatcher per request.
    fetch(input, { ...init, dispatcher: await ready() } as RequestInit);
  return {
    // The HTTP layer calls PREPARE before it starts a request's headers timer, so loading
    // undici is never counted against the server's time to answer.
    fetch: Object.assign(nodeFetchImpl, { [PREPARE]: ready }),
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
