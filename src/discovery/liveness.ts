/**
 * Judging one registry entry: probe its pid and its candidate URLs at the same time, then
 * decide whether it is a live server (with the URL that answered), a possibly-live one that
 * does not answer (kept, reported), or a stale file (pid certainly gone, nothing answered).
 *
 * @module
 */
import { isLoopbackHost } from "../http/base-url.js";
import type { HealthProbeResult, HealthProber } from "../http/probe.js";
import { describeAttempts, type DiscoveryDiagnostic } from "./diagnostics.js";
import { couldBeMarimo, localPidState, localProcessCommand, windowsPidState } from "./pid.js";
import { entryFields } from "./prune.js";
import type { RegistryFile } from "./registry-read.js";
import type { DiscoverySystem } from "./system.js";
import type { DiscoveredServer, PidState } from "./types.js";
import { bareHost, localCandidates, windowsHostCandidates } from "./urls.js";

/** What judging an entry needs; shared by every entry of one discovery. */
export interface LivenessContext {
  prober: HealthProber;
  system: DiscoverySystem;
  platform: NodeJS.Platform;
  signal: AbortSignal | undefined;
  /** The WSL default gateway (a private IPv4), for Windows-host entries. */
  gateway: string | undefined;
  /** Ports of the local entries (127.0.0.1 is not tried for a Windows-host entry on one of them). */
  localPorts: ReadonlySet<number>;
  /** The Windows host's processes, listed once when needed (undefined: cannot tell). */
  windowsProcesses: () => Promise<Map<number, string> | undefined>;
}

/** The verdict on one entry. */
export interface EntryVerdict {
  /** The server, unless the entry is stale. */
  server: DiscoveredServer | undefined;
  /** True when the pid is certainly gone and nothing answered: the file may be deleted. */
  stale: boolean;
  /** What to report about it. */
  diagnostics: DiscoveryDiagnostic[];
}

/**
 * Probe an entry's pid and URLs in parallel and judge it.
 *
 * @throws the caller's `signal.reason` when aborted.
 */
export async function judgeEntry(file: RegistryFile, context: LivenessContext): Promise<EntryVerdict> {
  const { entry } = file;
  const address = { host: entry.host, port: entry.port, baseUrl: entry.base_url };
  const windows = file.origin === "windows_host";
  const candidates = windows
    ? windowsHostCandidates(address, context.gateway, context.localPorts)
    : { urls: localCandidates(address), loopbackSkipped: false };
  const [pidState, attempts] = await Promise.all([
    windows
      ? context.windowsProcesses().then((table) => windowsPidState(entry.pid, table))
      : localPidState(entry.pid, context.system, context.platform),
    Promise.all(candidates.urls.map((url) => context.prober.probe(url, context.signal))),
  ]);
  context.signal?.throwIfAborted();

  const healthy = attempts.find((a) => a.outcome === "healthy");
  const server: DiscoveredServer = {
    serverId: entry.server_id,
    url: healthy?.url ?? null,
    origin: file.origin,
    version: entry.version,
    startedAt: entry.started_at,
    pid: entry.pid,
    host: entry.host,
    port: entry.port,
    baseUrl: entry.base_url,
    pidState,
    registryFile: file.file,
  };
  if (healthy !== undefined) return { server, stale: false, diagnostics: [] };

  const answered = attempts.filter((a) => a.outcome === "not_marimo");
  if (pidState === "dead" && answered.length === 0) return { server: undefined, stale: true, diagnostics: [] };

  const fields = entryFields(file);
  const who = `marimo ${entry.server_id} (pid ${entry.pid}, ${file.file})`;
  const diagnostics: DiscoveryDiagnostic[] = [];
  const other = answered[0];
  if (windows) {
    const hints = windowsHostHints(address, context.gateway, attempts, candidates.loopbackSkipped);
    diagnostics.push({
      kind: "windows_host_unreachable",
      severity: "warning",
      ...fields,
      pidState,
      attempts,
      hints,
      message:
        `Windows-host ${who} did not answer from WSL (${pidText(pidState)}; ` +
        `tried ${describeAttempts(attempts)}). ${hints.join(" ")}`,
    });
  } else if (other !== undefined && other.outcome === "not_marimo") {
    diagnostics.push({
      kind: "not_marimo",
      severity: "warning",
      ...fields,
      url: other.url,
      status: other.status,
      message:
        `Something other than marimo answers at ${other.url} ` +
        `(GET /health: HTTP ${other.status}${other.excerpt === "" ? "" : ` ${other.excerpt}`}), ` +
        `the address of ${who}; ${pidText(pidState)}. The file is kept; delete it if that marimo is gone.`,
    });
  } else {
    diagnostics.push({
      kind: "not_responding",
      severity: "warning",
      ...fields,
      pidState,
      attempts,
      message:
        `${who}: ${pidText(pidState)}, but nothing answered (${describeAttempts(attempts)}). ` +
        "It may still be starting or be stuck; if no marimo runs there any more, its pid may have been reused by " +
        "another program. The file is kept.",
    });
  }
  if (pidState === "alive") {
    const command = windows
      ? (await context.windowsProcesses())?.get(entry.pid)
      : await localProcessCommand(entry.pid, context.system, context.platform);
    if (command !== undefined && !couldBeMarimo(command)) {
      diagnostics.push({
        kind: "pid_reuse_suspected",
        severity: "warning",
        ...fields,
        command,
        message:
          `Pid ${entry.pid} of ${who} now belongs to "${clip(command)}", which does not look like marimo: the server ` +
          "probably stopped without cleaning up and its pid was reused. The file is kept; delete it if no marimo runs there.",
      });
    }
  }
  return { server, stale: false, diagnostics };
}

function pidText(state: PidState): string {
  if (state === "alive") return "its process is alive";
  if (state === "dead") return "its process is gone";
  return "whether its process is alive is unknown";
}

function clip(text: string): string {
  return text.length > 100 ? `${text.slice(0, 100)}…` : text;
}

/** Why a Windows-host server may be unreachable from WSL, and what to do. */
export function windowsHostHints(
  address: { host: string; port: number },
  gateway: string | undefined,
  attempts: readonly HealthProbeResult[],
  loopbackSkipped: boolean,
): string[] {
  const hints: string[] = [];
  const host = bareHost(address.host);
  if (isLoopbackHost(host)) {
    hints.push(
      `It listens on ${host} only, which WSL cannot reach under NAT networking: restart it with --host 0.0.0.0, ` +
        "or set networkingMode=mirrored under [wsl2] in %USERPROFILE%\\.wslconfig.",
    );
  }
  const viaGateway = attempts.find((a) => gateway !== undefined && a.url.includes(`//${gateway}:`));
  const dropped = viaGateway?.outcome === "unreachable" && ["connect_timeout", "timeout"].includes(viaGateway.reason);
  if (dropped) {
    hints.push(
      `Windows Firewall may be dropping connections from WSL: allow inbound TCP port ${address.port} on the ` +
        '"vEthernet (WSL)" interface.',
    );
  }
  if (gateway === undefined) {
    hints.push(
      "No private default gateway was found, so the host was not tried through it " +
        "(mirrored networking uses 127.0.0.1).",
    );
  }
  if (loopbackSkipped) {
    hints.push(`127.0.0.1:${address.port} was not tried because a server inside WSL uses the same port.`);
  }
  if (hints.length === 0) {
    hints.push(
      "Check that it still runs on Windows and listens on all interfaces (--host 0.0.0.0); a firewall rule for " +
        '"vEthernet (WSL)" may be needed.',
    );
  }
  return hints;
}
