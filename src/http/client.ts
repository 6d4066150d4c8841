/**
 * The HTTP seam: the only place ky is used. One ky instance per client carries the
 * base URL, the `Authorization` header and the injected `fetch`.
 *
 * @module
 */
import type { KyInstance } from "ky";
import type * as z from "../schemas/zod.js";
import { type RequestTarget, TimeoutError } from "../errors.js";
import { parseJsonText, parseWire } from "../schemas/parse.js";
import { isLoopbackHost, joinUrl } from "./base-url.js";
import { keepingRequests } from "./keep-request.js";
import { loadKy } from "./ky-loader.js";
import { prepareFetch } from "./prepare-fetch.js";
import type { HttpResponse } from "./response.js";
import { readWithin } from "./body-deadline.js";
import { errorFromFailure, errorFromResponse, type KyGuards } from "./errors.js";
import { authorizationHeader } from "./auth.js";

/** Options of {@link createHttp}. */
export interface HttpOptions {
  /** Normalised base URL (see `normalizeBaseUrl`). */
  baseUrl: URL;
  /** The server's token (sent as Basic auth, see `auth.ts`); kept inside the ky instance, never in messages. */
  token?: string | undefined;
  /** A fetch implementation (default: the global one). */
  fetch?: typeof fetch | undefined;
  /** Time to wait for response headers, in ms. */
  timeoutMs: number;
  /** Extra headers for every request. */
  headers?: Record<string, string> | undefined;
}

/** Per-request options. */
export interface HttpRequestOptions {
  /** JSON body (POST). */
  json?: unknown;
  /** Extra headers, e.g. `Marimo-Session-Id`. */
  headers?: Record<string, string>;
  /** Query parameters. */
  searchParams?: Record<string, string>;
  /** The caller's signal. */
  signal?: AbortSignal | undefined;
  /** Override the headers timeout; `false` disables it. */
  timeoutMs?: number | false;
  /** Session id to name in a `SessionNotFoundError`. */
  sessionId?: string;
  /** `Accept` header (default `application/json`, which also keeps marimo from asking for Basic auth). */
  accept?: string;
}

/** A thin, typed wrapper over one ky instance. */
export interface Http {
  /** The normalised base URL. */
  readonly baseUrl: URL;
  /** The default headers timeout. */
  readonly timeoutMs: number;
  /** Send a request; resolves with the (2xx) response, rejects with a typed error. */
  request(method: "GET" | "POST", path: string, options?: HttpRequestOptions): Promise<HttpResponse>;
  /** GET or POST and validate a JSON answer with `schema`. */
  json<S extends z.ZodMiniType>(
    method: "GET" | "POST",
    path: string,
    schema: S,
    options?: HttpRequestOptions,
  ): Promise<z.output<S>>;
  /** GET a text answer. */
  text(path: string, options?: HttpRequestOptions): Promise<string>;
  /** Describe a request for messages (method and token-free URL). */
  target(method: string, path: string): RequestTarget;
}

/** A response whose status was checked, and a bound for reading its body. */
interface Exchange {
  response: Response;
  /** Run a body read under the request's timeout (a stall becomes a `headers` {@link TimeoutError}). */
  within<T>(read: () => Promise<T>): Promise<T>;
}

/** Create the HTTP seam for one client. */
export function createHttp(options: HttpOptions): Http {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined && options.token !== "") headers["Authorization"] = authorizationHeader(options.token);
  let loaded: Promise<{ instance: KyInstance; guards: KyGuards }> | undefined;
  const load = () => {
    // Both loaded before the first request's headers timer starts.
    loaded ??= Promise.all([loadKy(), prepareFetch(options.fetch)]).then(([ky]) => ({
      guards: ky,
      instance: ky.default.create({
        headers,
        retry: 0,
        throwHttpErrors: false,
        redirect: "follow",
        fetch: keepingRequests(options.fetch),
      }),
    }));
    return loaded;
  };

  const local = isLoopbackHost(options.baseUrl.hostname);
  const target = (method: string, path: string): RequestTarget => ({
    method,
    url: joinUrl(options.baseUrl, path),
  });

  /**
   * Send a request and check its status. The headers timeout (ky's `timeout`) ends when the
   * headers arrive; `within` gives a body read the same allowance again, so a server that
   * sends headers and then stalls cannot hang a JSON call or an error report forever.
   * Streams returned to callers (execute, `/sse`) are never bound by it.
   */
  const exchange = async (method: "GET" | "POST", path: string, req: HttpRequestOptions): Promise<Exchange> => {
    const where = target(method, path);
    const timeoutMs = req.timeoutMs ?? options.timeoutMs;
    // Aborted only when a body read outlives its allowance.
    const bodyDeadline = new AbortController();
    const signal = req.signal === undefined ? bodyDeadline.signal : AbortSignal.any([req.signal, bodyDeadline.signal]);
    const { instance, guards } = await load();
    let response: Response;
    try {
      response = await instance(where.url, {
        method,
        timeout: timeoutMs,
        headers: { Accept: req.accept ?? "application/json", ...req.headers },
        ...(req.json === undefined ? {} : { json: req.json }),
        ...(req.searchParams === undefined ? {} : { searchParams: req.searchParams }),
        // A redirect would re-send a POST body (code) to wherever it points, past the
        // loopback check; marimo never redirects a POST, so from a local server none is followed.
        ...(method === "POST" && local ? { redirect: "manual" as const } : {}),
        signal,
      });
    } catch (error) {
      throw errorFromFailure(error, where, timeoutMs === false ? 0 : timeoutMs, req.signal, guards);
    }
    const within = readWithin(bodyDeadline, timeoutMs, where, req.signal);
    if (!response.ok) throw await within(() => errorFromResponse(response, where, req.sessionId));
    return { response, within };
  };

  const request = async (method: "GET" | "POST", path: string, req: HttpRequestOptions = {}): Promise<Response> =>
    (await exchange(method, path, req)).response;

  const text = async (path: string, req: HttpRequestOptions = {}): Promise<string> => {
    const { response, within } = await exchange("GET", path, { accept: "text/plain, */*", ...req });
    return within(() => response.text());
  };

  return {
    baseUrl: options.baseUrl,
    timeoutMs: options.timeoutMs,
    target,
    request,
    text,
    async json(method, path, schema, req = {}) {
      const { response, within } = await exchange(method, path, req);
      const raw = await within(() => response.text());
      return parseWire(schema, parseJsonText(raw, `${method} ${path}`), `${method} ${path}`);
    },
  };
}
