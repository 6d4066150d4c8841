/**
 * The host policy, decided once for every face: which servers count as this machine, and
 * what happens with the others.
 *
 * - Loopback names and addresses, and the bind-all addresses `0.0.0.0` and `::` (which reach
 *   this machine when dialled), are local.
 * - Under WSL, the Windows host (the default gateway) is local too: discovery finds its
 *   servers, and code sent there does not leave the computer.
 * - Any other host is remote. Code and the token would leave this machine, so a remote host
 *   is refused unless the caller allowed it: the library and the MCP tools refuse by default
 *   (`allowRemote: true` allows), and the CLI allows a host the person typed with `--url`
 *   and warns about it. {@link RemoteNotAllowedError} carries the refusal; each face renders
 *   it and the warning in its own terms.
 *
 * @module
 */
import type { DiscoveredServer } from "../discovery/types.js";
import { RemoteNotAllowedError } from "../errors.js";
import { isLoopbackHost } from "../http/base-url.js";

/** Where a host is: this machine, the Windows host seen from WSL, or elsewhere. */
export type HostKind = "local" | "windows_host" | "remote";

/** What to do with a remote host: refuse it, or allow it (the caller then warns, if it wants). */
export type RemotePolicy = "refuse" | "allow";

/** The verdict of {@link checkHost}. */
export interface HostVerdict {
  /** The host, without IPv6 brackets, lower case. */
  host: string;
  /** Where it is. */
  kind: HostKind;
}

function bare(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, "").toLowerCase();
}

/** The Windows host's address under WSL, looked up once per process; undefined elsewhere. */
let windowsHost: Promise<string | undefined> | undefined;

async function lookUpWindowsHost(env: Readonly<Record<string, string | undefined>>): Promise<string | undefined> {
  if (process.platform !== "linux") return undefined;
  const [{ readFile }, { isWsl }, { nodeSystem }, { wslGateway }] = await Promise.all([
    import("node:fs/promises"),
    import("../discovery/paths.js"),
    import("../discovery/system.js"),
    import("../discovery/wsl.js"),
  ]);
  const procVersion = await readFile("/proc/version", "utf8").catch(() => undefined);
  if (!isWsl({ env }, procVersion)) return undefined;
  return wslGateway(nodeSystem);
}

/** The WSL gateway address (the Windows host), or undefined outside WSL. */
export function windowsHostAddress(env: Readonly<Record<string, string | undefined>> = process.env): Promise<string | undefined> {
  windowsHost ??= lookUpWindowsHost(env);
  return windowsHost;
}

/** Where `hostname` is. Pure; pass the WSL gateway as `windowsHost` when known. */
export function hostKind(hostname: string, windowsHost?: string): HostKind {
  const host = bare(hostname);
  if (isLoopbackHost(host)) return "local";
  if (windowsHost !== undefined && host === bare(windowsHost)) return "windows_host";
  return "remote";
}

/**
 * Apply the policy to a URL the caller named.
 *
 * @throws {TypeError} for a malformed URL.
 * @throws {RemoteNotAllowedError} for a remote host under `refuse`.
 */
export async function checkHost(
  url: string | URL,
  policy: RemotePolicy,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<HostVerdict> {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    throw new TypeError("Not an absolute URL. Expected e.g. http://127.0.0.1:2718 (with the scheme).");
  }
  const host = bare(parsed.hostname);
  let kind = hostKind(host);
  if (kind === "remote") kind = hostKind(host, await windowsHostAddress(env));
  if (kind === "remote" && policy === "refuse") throw new RemoteNotAllowedError(host);
  return { host, kind };
}

/** A discovered server may always be dialled: it is this machine's, or the Windows host's seen from WSL. */
export function discoveredIsAllowed(server: Pick<DiscoveredServer, "origin">): boolean {
  return server.origin === "local" || server.origin === "windows_host";
}
