/**
 * From a registry entry to the base URLs worth probing. Pure (no I/O).
 *
 * @module
 */
import { isLoopbackHost } from "../http/base-url.js";

/** The fields of a registry entry that locate a server. */
export interface EntryAddress {
  /** The registry `host`. */
  host: string;
  /** The registry `port`. */
  port: number;
  /** The registry `base_url`. */
  baseUrl: string;
}

/** Strip brackets and an IPv6 zone id: `[fe80::1%eth0]` → `fe80::1`. */
export function bareHost(host: string): string {
  let h = host.trim();
  if (h.startsWith("[") && h.endsWith("]")) h = h.slice(1, -1);
  const zone = h.indexOf("%");
  return zone === -1 ? h : h.slice(0, zone);
}

/** True for the bind-all addresses (and an empty host, which binds all too). */
export function isBindAll(host: string): boolean {
  const h = bareHost(host);
  return h === "" || h === "0.0.0.0" || h === "::" || h === "0:0:0:0:0:0:0:0";
}

/** The address to connect to for a local server: bind-all → loopback of the same family. */
export function connectHost(host: string): string {
  const h = bareHost(host);
  if (h === "" || h === "0.0.0.0") return "127.0.0.1";
  if (h === "::" || h === "0:0:0:0:0:0:0:0") return "::1";
  return h;
}

/**
 * The base URL of a server at `host` (an address or name, without brackets): IPv6 literals are
 * bracketed, port 443 means https (marimo's own reading of its registry does the same, for
 * servers behind an https `--proxy`), and `base_url` is appended without a trailing slash.
 * Returns undefined when no valid URL can be formed.
 *
 * @example
 * ```ts
 * serverUrl("::1", 2718, "/app"); // "http://[::1]:2718/app"
 * ```
 */
export function serverUrl(host: string, port: number, baseUrl: string): string | undefined {
  // Characters that would end the authority part and smuggle in a path, query or user info.
  if (host === "" || /[\s/?#@\\]/.test(host)) return undefined;
  const scheme = port === 443 ? "https" : "http";
  const authority = host.includes(":") ? `[${host}]` : host;
  try {
    const origin = new URL(`${scheme}://${authority}:${port}`);
    if (origin.hostname === "") return undefined;
    const trimmed = baseUrl.trim().replace(/\/+$/, "");
    const path = trimmed === "" ? "" : new URL(trimmed.startsWith("/") ? trimmed : `/${trimmed}`, origin).pathname;
    return `${origin.origin}${path}`;
  } catch {
    return undefined;
  }
}

/** Candidate base URLs of a server on this machine (one at most). */
export function localCandidates(entry: EntryAddress): string[] {
  const url = serverUrl(connectHost(entry.host), entry.port, entry.baseUrl);
  return url === undefined ? [] : [url];
}

/** Candidate base URLs of a Windows-host server seen from WSL, in order of preference. */
export interface WindowsHostCandidates {
  /** The base URLs to probe, best first. */
  urls: string[];
  /** 127.0.0.1 was left out because a local server uses the same port. */
  loopbackSkipped: boolean;
}

/**
 * Candidate base URLs of a Windows-host server seen from WSL: its specific address first (when it
 * is neither bind-all nor loopback), then the WSL default gateway (the host under NAT networking),
 * then 127.0.0.1 (reaches the host under mirrored networking) — unless a local server uses the
 * same port, which 127.0.0.1 would reach instead.
 *
 * @param gateway - the WSL default gateway (a private IPv4 address), if known.
 * @param localPorts - ports of the servers registered on the WSL side.
 */
export function windowsHostCandidates(
  entry: EntryAddress,
  gateway: string | undefined,
  localPorts: ReadonlySet<number>,
): WindowsHostCandidates {
  const hosts: string[] = [];
  const h = bareHost(entry.host);
  if (!isBindAll(h) && !isLoopbackHost(h)) hosts.push(h);
  if (gateway !== undefined) hosts.push(gateway);
  const loopbackSkipped = localPorts.has(entry.port);
  if (!loopbackSkipped) hosts.push("127.0.0.1");
  const urls: string[] = [];
  for (const host of hosts) {
    const url = serverUrl(host, entry.port, entry.baseUrl);
    if (url !== undefined && !urls.includes(url)) urls.push(url);
  }
  return { urls, loopbackSkipped };
}
