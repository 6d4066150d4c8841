/**
 * The Node entry's {@link connect}: the same as `marimo-pair/client`'s, with a `fetch`
 * that lets executions stay silent for as long as the code runs.
 *
 * @module
 */
import type { DiscoveredServer } from "../discovery/types.js";
import { createOwnedNodeFetch } from "../http/node-fetch.js";
import { type ConnectOptions, connectReleasing, type MarimoClient } from "./client.js";

/**
 * Connect to a marimo server: a URL (with its `--base-url` prefix, if any) or a server
 * found by `discoverServers()`. No request is made until the first call.
 *
 * Unlike Node's default `fetch`, which abandons a response after 300 s without data (and
 * so would interrupt a long, silent computation), the default `fetch` here has no timeouts
 * of its own, and a connection pool of this client's own, which `client.close()` closes.
 * Pass `fetch` to use another.
 *
 * @throws {TypeError} for a malformed URL.
 * @throws {RemoteNotAllowedError} for a non-loopback host without `allowRemote`.
 * @throws {ConnectionError} for a discovered server whose URL did not answer.
 * @example
 * ```ts
 * const client = connect("http://127.0.0.1:2718");
 * const nb = await client.session({ file: "analysis.py" });
 * ```
 */
export function connect(server: string | URL | DiscoveredServer, options: ConnectOptions = {}): MarimoClient {
  if (options.fetch !== undefined) return connectReleasing(server, options, undefined);
  const pool = createOwnedNodeFetch();
  return connectReleasing(server, { ...options, fetch: pool.fetch }, () => pool.close());
}
