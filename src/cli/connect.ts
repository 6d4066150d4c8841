/**
 * The CLI's `connect`: the library's client over the lean `node:http` transport, which
 * spares each short-lived CLI process the load of Node's fetch (see `src/http/node-http.ts`).
 * Like the Node entry's `connect`, it has no timeout on a silent execution.
 *
 * @module
 */
import type { DiscoveredServer } from "../discovery/types.js";
import { createNodeHttp } from "../http/node-http.js";
import { DEFAULT_CONNECT_TIMEOUT_MS, MarimoClient, serverBaseUrl } from "../session/client.js";
import { envToken } from "../session/env-token.js";

/**
 * Connect to a server for one CLI call. No request is made until the first call.
 *
 * @throws {TypeError} for a malformed URL; {ConnectionError} for a discovered server that did not answer.
 */
export function connectCli(
  server: string | DiscoveredServer,
  options: { token: string | undefined; allowRemote: boolean },
): MarimoClient {
  const http = createNodeHttp({
    baseUrl: serverBaseUrl(server, options.allowRemote),
    token: options.token ?? envToken(),
    timeoutMs: DEFAULT_CONNECT_TIMEOUT_MS,
  });
  return new MarimoClient(http, options);
}
