/**
 * marimo's skew-protection token: POSTs other than `/api/kernel/execute` must carry it in
 * `Marimo-Server-Token` unless the server runs with `--no-skew-protection`. There is no API
 * for it; it is embedded in the notebook page. It is fetched when first needed, cached per
 * client, refreshed once when marimo calls it invalid, and never put in a message or log.
 *
 * @module
 */
import type * as z from "../schemas/zod.js";
import { AuthError, ProtocolError } from "../errors.js";
import type { Http, HttpRequestOptions } from "../http/client.js";

/** Per client (one {@link Http} per client): the pending or known token; null when the page has none. */
const tokens = new WeakMap<Http, Promise<string | null>>();

const ENTITIES: Record<string, string> = { amp: "&", quot: '"', apos: "'", lt: "<", gt: ">" };

function decodeAttribute(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith("#x") || name.startsWith("#X")) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return String.fromCodePoint(parseInt(name.slice(1), 10));
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/**
 * Read the skew token out of a marimo page: the `<marimo-server-token data-token="…">`
 * element, else `"serverToken": "…"` in the mount config.
 *
 * @returns the token, or undefined when the page carries none.
 */
export function parseServerToken(html: string): string | undefined {
  const element = /<marimo-server-token\b[^>]*?\bdata-token\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(html);
  const fromElement = element?.[1] ?? element?.[2];
  if (fromElement !== undefined && fromElement !== "" && !fromElement.includes("{{")) return decodeAttribute(fromElement);
  const config = /"serverToken"\s*:\s*("(?:[^"\\]|\\.)*")/.exec(html);
  if (config?.[1] !== undefined) {
    try {
      const value: unknown = JSON.parse(config[1]);
      if (typeof value === "string" && value !== "") return value;
    } catch {
      /* malformed: no token */
    }
  }
  return undefined;
}

/** The client's skew token, from the cache or from `GET {base}/`. */
export function skewToken(http: Http, signal: AbortSignal | undefined, refresh = false): Promise<string | null> {
  const cached = tokens.get(http);
  if (cached !== undefined && !refresh) return cached;
  const pending = http
    .text("/", { accept: "text/html", signal })
    .then((html) => parseServerToken(html) ?? null);
  tokens.set(http, pending);
  // A failed lookup is not cached.
  pending.catch(() => {
    if (tokens.get(http) === pending) tokens.delete(http);
  });
  return pending;
}

function isSkewRejection(error: unknown): error is AuthError {
  return error instanceof AuthError && /server token/i.test(error.detail);
}

/**
 * POST to a skew-protected endpoint and validate the JSON answer. Sends the cached token;
 * on `Invalid server token` (or `Missing server token`) fetches it again and retries once.
 *
 * @throws {ProtocolError} when marimo demands a token the page does not carry.
 */
export async function postProtected<S extends z.ZodMiniType>(
  http: Http,
  path: string,
  schema: S,
  options: HttpRequestOptions = {},
): Promise<z.output<S>> {
  const send = (token: string | null) =>
    http.json("POST", path, schema, {
      ...options,
      headers: { ...options.headers, ...(token === null ? {} : { "Marimo-Server-Token": token }) },
    });
  try {
    return await send(await skewToken(http, options.signal));
  } catch (error) {
    if (!isSkewRejection(error)) throw error;
  }
  const fresh = await skewToken(http, options.signal, true);
  if (fresh === null) {
    throw new ProtocolError(`POST ${path}: marimo asks for a server token, but its page carries none.`);
  }
  return send(fresh);
}
