/**
 * Base-URL handling: normalisation, the loopback check that guards `allowRemote`,
 * and message-safe URLs. Pure (no I/O).
 *
 * @module
 */
import { RemoteNotAllowedError } from "../errors.js";

/**
 * Hostnames and addresses that stay on this machine: loopback, `localhost`, and the
 * bind-all addresses `0.0.0.0` and `::` (a connection to them reaches this machine).
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (host === "0.0.0.0" || host === "::" || host === "0:0:0:0:0:0:0:0") return true;
  if (host === "::1" || host === "0:0:0:0:0:0:0:1") return true;
  // IPv4-mapped loopback, e.g. ::ffff:127.0.0.1 (the URL parser writes it as ::ffff:7f00:1).
  if (/^::ffff:(127\.|7f[0-9a-f]{2}:)/.test(host)) return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Normalise a server base URL: absolute http(s), no query or fragment, no trailing slash.
 * Credentials embedded in the URL are refused so they cannot leak into messages.
 *
 * @throws {TypeError} for anything that is not an absolute http(s) URL.
 * @throws {RemoteNotAllowedError} for a non-loopback host unless `allowRemote`.
 */
export function normalizeBaseUrl(input: string | URL, allowRemote: boolean): URL {
  let url: URL;
  try {
    url = new URL(String(input));
  } catch {
    // The input is not echoed: it may be a token passed in the wrong place, or carry one
    // (a copied `?access_token=` URL without its scheme).
    throw new TypeError("Not an absolute URL. Expected e.g. http://127.0.0.1:2718 (with the scheme).");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`Unsupported URL scheme '${url.protocol}': marimo servers speak http or https.`);
  }
  if (url.username !== "" || url.password !== "") {
    throw new TypeError("Do not put credentials in the URL; pass `token` (or set MARIMO_TOKEN) instead.");
  }
  if (url.searchParams.has("access_token")) {
    throw new TypeError("Do not put access_token in the URL; pass `token` (or set MARIMO_TOKEN) instead.");
  }
  if (!allowRemote && !isLoopbackHost(url.hostname)) throw new RemoteNotAllowedError(url.hostname);
  url.search = "";
  url.hash = "";
  url.pathname = url.pathname.replace(/\/+$/, "");
  return url;
}

/** Join a normalised base URL and an absolute API path like `/api/sessions`. */
export function joinUrl(base: URL, path: string): string {
  return `${base.origin}${base.pathname.replace(/\/+$/, "")}${path}`;
}
