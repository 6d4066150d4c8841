/**
 * Seeing the Windows host from WSL: the host's registry directory (through `cmd.exe` and
 * `wslpath`), the host's address (the WSL default gateway) and its process list (`tasklist.exe`).
 *
 * @module
 */
import { posix } from "node:path";
import { type CommandResult, type DiscoverySystem, errorCode } from "./system.js";

/** Time limit for each helper command; Windows interop can be slow to start. */
export const WSL_COMMAND_TIMEOUT_MS = 10_000;

const SYSTEM32 = "C:\\Windows\\System32\\";

/** The outcome of looking up the Windows host's registry directory. */
export type WindowsRegistryLookup = { ok: true; path: string } | { ok: false; reason: string };

/**
 * Run a Windows program from WSL: by name on `PATH` first, then from `C:\Windows\System32`
 * through `wslpath` (for distributions that keep Windows directories off `PATH`).
 */
export async function runWindowsProgram(
  system: DiscoverySystem,
  program: string,
  args: readonly string[],
  signal?: AbortSignal,
): Promise<CommandResult> {
  // Git Bash rewrites `/FO`-style arguments unless told not to; harmless elsewhere.
  const options = { timeoutMs: WSL_COMMAND_TIMEOUT_MS, env: { MSYS_NO_PATHCONV: "1" }, signal };
  try {
    return await system.runCommand(program, args, options);
  } catch (error) {
    if (errorCode(error) !== "ENOENT") throw error;
  }
  const located = await system.runCommand("wslpath", ["-u", SYSTEM32 + program], options);
  const path = located.stdout.trim();
  if (located.exitCode !== 0 || path === "") throw new Error(`${program} is not on PATH and wslpath cannot locate it`);
  return system.runCommand(path, args, options);
}

/** Find `<%USERPROFILE%>/.marimo/servers` of the Windows host, as a WSL path. */
export async function windowsHostRegistry(system: DiscoverySystem, signal?: AbortSignal): Promise<WindowsRegistryLookup> {
  try {
    // `/d` skips AutoRun commands, which could print extra lines.
    const echoed = await runWindowsProgram(system, "cmd.exe", ["/d", "/c", "echo %USERPROFILE%"], signal);
    const profile = echoed.stdout.trim();
    if (echoed.exitCode !== 0 || profile === "" || profile.includes("%USERPROFILE%")) {
      return { ok: false, reason: "cmd.exe did not report %USERPROFILE%" };
    }
    const converted = await system.runCommand("wslpath", ["-u", profile], { timeoutMs: WSL_COMMAND_TIMEOUT_MS, signal });
    const path = converted.stdout.trim();
    if (converted.exitCode !== 0 || path === "") return { ok: false, reason: `wslpath could not convert ${profile}` };
    return { ok: true, path: posix.join(path, ".marimo", "servers") };
  } catch (error) {
    if (signal?.aborted === true) throw signal.reason;
    return { ok: false, reason: `Windows interop is unavailable (${errorCode(error) ?? String(error)})` };
  }
}

/** True for an IPv4 address in 10/8, 172.16/12 or 192.168/16. */
export function isPrivateIpv4(address: string): boolean {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (match === null) return false;
  const [a, b] = [Number(match[1]), Number(match[2])];
  if ([a, b, Number(match[3]), Number(match[4])].some((n) => n > 255)) return false;
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

/** The default gateway from the text of `/proc/net/route` (little-endian hex), or undefined. */
export function gatewayFromProcRoute(text: string): string | undefined {
  for (const line of text.split("\n").slice(1)) {
    const [, destination, gateway] = line.trim().split(/\s+/);
    if (destination !== "00000000" || gateway === undefined || !/^[0-9A-Fa-f]{8}$/.test(gateway)) continue;
    const bytes = [6, 4, 2, 0].map((i) => Number.parseInt(gateway.slice(i, i + 2), 16));
    if (bytes.every((b) => b === 0)) continue;
    return bytes.join(".");
  }
  return undefined;
}

/** The default gateway from the output of `ip route show default`, or undefined. */
export function gatewayFromIpRoute(text: string): string | undefined {
  return /^default via (\d{1,3}(?:\.\d{1,3}){3})\b/m.exec(text)?.[1];
}

/**
 * The Windows host's address as seen from WSL under NAT networking: the default gateway, when it
 * is a private IPv4 address (otherwise undefined, e.g. under mirrored networking or in a VPN).
 */
export async function wslGateway(system: DiscoverySystem, signal?: AbortSignal): Promise<string | undefined> {
  let gateway: string | undefined;
  try {
    gateway = gatewayFromProcRoute(await system.readTextFile("/proc/net/route"));
  } catch {
    /* no procfs: ask ip(8) */
  }
  if (gateway === undefined) {
    try {
      const result = await system.runCommand("ip", ["route", "show", "default"], { timeoutMs: 5000, signal });
      if (result.exitCode === 0) gateway = gatewayFromIpRoute(result.stdout);
    } catch {
      /* no ip(8) */
    }
  }
  return gateway !== undefined && isPrivateIpv4(gateway) ? gateway : undefined;
}
