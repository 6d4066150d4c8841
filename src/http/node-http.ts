/**
 * A lean {@link Http} over Node's own `node:http` client, for the CLI's short calls.
 *
 * The ky seam ({@link createHttp}) needs the WHATWG `Request` and `Response` classes; in Node
 * those are loaded with its built-in fetch on first use, which costs a short-lived process more
 * CPU than the call itself (about 60 ms here, against 6 ms for `node:http`). This transport
 * reaches the same server with the same headers, limits and typed errors, and hands out a
 * {@link HttpResponse} whose body is a web `ReadableStream`, so execution streams, SSE parsing
 * and zod validation are shared with the library.
 *
 * No timeout of its own: the agent and requests set none (Node's global agent would close an
 * idle socket after 5 s), so a silent execution stays open for as long as the code runs. The
 * only limits are the SDK's: the headers timeout here, and the stream's idle and total timers.
 *
 * @module
 */
import type { Agent, ClientRequest, IncomingMessage, RequestOptions } from "node:http";
import { type RequestTarget, TimeoutError } from "../errors.js";
import { parseJsonText, parseWire } from "../schemas/parse.js";
import { joinUrl } from "./base-url.js";
import type { Http, HttpOptions, HttpRequestOptions } from "./client.js";
import type { HttpResponse } from "./response.js";
import { readWithin } from "./body-deadline.js";
import { errorFromFailure, errorFromResponse } from "./errors.js";
import { authorizationHeader } from "./auth.js";

type HttpModule = typeof import("node:http");

/**
 * `node:http` (or `node:https`) through `process.getBuiltinModule`: an ESM `import` of it
 * builds a namespace that reads every export, including the getter that loads Node's fetch,
 * which is the very cost this transport avoids.
 */
function builtin(protocol: string): HttpModule {
  return process.getBuiltinModule(protocol === "https:" ? "node:https" : "node:http") as HttpModule;
}

/** The agent options of {@link createNodeHttp}: keep-alive, and no socket timeout (see the module note). */
export const NODE_HTTP_AGENT_OPTIONS = { keepAlive: true, timeout: 0 } as const;

/** Header lookups on a response, case-insensitive like `Headers.get`. */
class ResponseHeaders {
  readonly #message: IncomingMessage;
  constructor(message: IncomingMessage) {
    this.#message = message;
  }
  get(name: string): string | null {
    const value = this.#message.headers[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(", ") : value;
  }
  getSetCookie(): string[] {
    return this.#message.headers["set-cookie"] ?? [];
  }
}

/**
 * The response body as a web stream. Data is pulled (the socket pauses while the reader
 * does not read); a connection that closes before the end errors it with a `TypeError`,
 * as Node's fetch does ("terminated"); cancelling it closes the connection.
 */
function bodyOf(message: IncomingMessage, request: ClientRequest): ReadableStream<Uint8Array<ArrayBuffer>> {
  // Set once the stream is closed, errored or cancelled: later socket events change nothing.
  let settled = false;
  return new ReadableStream<Uint8Array<ArrayBuffer>>({
    start(controller) {
      message.on("data", (chunk: Buffer) => {
        if (settled) return;
        controller.enqueue(new Uint8Array(chunk.buffer as ArrayBuffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 1) <= 0) message.pause();
      });
      message.on("end", () => {
        if (settled) return;
        settled = true;
        controller.close();
      });
      message.on("close", () => {
        if (settled) return;
        settled = true;
        controller.error(new TypeError("terminated", { cause: message.errored ?? undefined }));
      });
    },
    pull() {
      message.resume();
    },
    cancel() {
      settled = true;
      request.destroy();
    },
  });
}

/** A response of {@link createNodeHttp}: the members of `Response` the SDK reads. */
class NodeHttpResponse implements HttpResponse {
  readonly status: number;
  readonly ok: boolean;
  readonly headers: ResponseHeaders;
  readonly #message: IncomingMessage;
  readonly #request: ClientRequest;
  #body: ReadableStream<Uint8Array<ArrayBuffer>> | undefined;

  constructor(message: IncomingMessage, request: ClientRequest) {
    this.status = message.statusCode ?? 0;
    this.ok = this.status >= 200 && this.status < 300;
    this.headers = new ResponseHeaders(message);
    this.#message = message;
    this.#request = request;
  }

  /** Made on first use: Node loads its web streams (several ms of a CLI call) only then. */
  get body(): ReadableStream<Uint8Array<ArrayBuffer>> {
    this.#body ??= bodyOf(this.#message, this.#request);
    return this.#body;
  }

  /**
   * The body straight from the socket, without web streams. Leaving the loop early closes
   * the connection; a connection that closes before the end throws a `TypeError`, as the
   * web body does.
   */
  async *chunks(): AsyncGenerator<Uint8Array, void, undefined> {
    let complete = false;
    try {
      for await (const chunk of this.#message as AsyncIterable<Buffer>) yield chunk;
      complete = true;
    } catch (error) {
      throw new TypeError("terminated", { cause: error });
    } finally {
      if (!complete) this.#request.destroy();
    }
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const reader = this.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
    const bytes = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return bytes.buffer;
  }

  async text(): Promise<string> {
    return new TextDecoder().decode(await this.arrayBuffer());
  }
}

/**
 * Send one request; resolves with the response once its headers arrived. Rejects with the
 * signal's reason on abort, with a headers {@link TimeoutError}, or with a `TypeError` whose
 * cause is the socket error (mapped by `errorFromFailure` like a failed fetch).
 */
function send(
  agent: Agent,
  url: URL,
  init: { method: string; headers: Record<string, string>; body: string | undefined; timeoutMs: number | false; where: RequestTarget },
  signal: AbortSignal,
  retried = false,
): Promise<NodeHttpResponse> {
  return new Promise((resolve, reject) => {
    const options: RequestOptions = { method: init.method, headers: init.headers, agent };
    const request = builtin(url.protocol).request(url, options);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
      request.destroy();
    };
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener("abort", onAbort, { once: true });
    request.once("close", () => signal.removeEventListener("abort", onAbort));
    if (init.timeoutMs !== false) {
      const ms = init.timeoutMs;
      timer = setTimeout(() => {
        reject(new TimeoutError("headers", ms, init.where, "No response from the server."));
        request.destroy();
      }, ms);
    }
    request.once("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      // A kept-alive socket the server closed meanwhile (uvicorn closes it after a 500):
      // the request never reached marimo, so it is sent once more on a new socket.
      if (!retried && request.reusedSocket && (error.code === "ECONNRESET" || error.code === "EPIPE") && !signal.aborted) {
        signal.removeEventListener("abort", onAbort);
        resolve(send(agent, url, init, signal, true));
        return;
      }
      reject(new TypeError("fetch failed", { cause: error }));
    });
    request.once("response", (message) => {
      clearTimeout(timer);
      resolve(new NodeHttpResponse(message, request));
    });
    request.end(init.body);
  });
}

/**
 * Create the HTTP seam for one client over `node:http`: the same interface, headers, timeouts
 * and errors as {@link createHttp}, without loading Node's fetch. Redirects are never
 * followed (marimo's API does not redirect); one answers as an `HttpError`.
 */
export function createNodeHttp(options: Omit<HttpOptions, "fetch">): Http {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined && options.token !== "") headers["Authorization"] = authorizationHeader(options.token);
  const agent = new (builtin(options.baseUrl.protocol).Agent)(NODE_HTTP_AGENT_OPTIONS);
  const target = (method: string, path: string): RequestTarget => ({ method, url: joinUrl(options.baseUrl, path) });

  const exchange = async (method: "GET" | "POST", path: string, req: HttpRequestOptions) => {
    const where = target(method, path);
    const timeoutMs = req.timeoutMs ?? options.timeoutMs;
    const url = new URL(where.url);
    for (const [key, value] of Object.entries(req.searchParams ?? {})) url.searchParams.set(key, value);
    const sent: Record<string, string> = { ...headers, Accept: req.accept ?? "application/json", ...req.headers };
    let body: string | undefined;
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      sent["Content-Type"] = "application/json";
    }
    // Aborted only when a body read outlives its allowance.
    const bodyDeadline = new AbortController();
    const signal = req.signal === undefined ? bodyDeadline.signal : AbortSignal.any([req.signal, bodyDeadline.signal]);
    let response: NodeHttpResponse;
    try {
      response = await send(agent, url, { method, headers: sent, body, timeoutMs, where }, signal);
    } catch (error) {
      if (error instanceof TimeoutError) throw error;
      throw errorFromFailure(error, where, timeoutMs === false ? 0 : timeoutMs, req.signal);
    }
    const within = readWithin(bodyDeadline, timeoutMs, where, req.signal);
    if (!response.ok) throw await within(() => errorFromResponse(response, where, req.sessionId));
    return { response, within };
  };

  return {
    baseUrl: options.baseUrl,
    timeoutMs: options.timeoutMs,
    target,
    async request(method, path, req = {}) {
      return (await exchange(method, path, req)).response;
    },
    async text(path, req = {}) {
      const { response, within } = await exchange("GET", path, { accept: "text/plain, */*", ...req });
      return within(() => response.text());
    },
    async json(method, path, schema, req = {}) {
      const { response, within } = await exchange(method, path, req);
      const raw = await within(() => response.text());
      return parseWire(schema, parseJsonText(raw, `${method} ${path}`), `${method} ${path}`);
    },
  };
}
