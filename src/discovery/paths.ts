/**
 * Where marimo keeps its server registry, computed the way marimo computes it
 * (`marimo/_utils/xdg.py`: `marimo_state_dir() / "servers"`), plus WSL detection.
 *
 * @module
 */
import { homedir as osHomedir } from "node:os";
import { posix, win32 } from "node:path";
import type { ServerOrigin } from "./types.js";

/** An environment: variable name → value (like `process.env`). */
export type Environment = Readonly<Record<string, string | undefined>>;

/** A registry directory and where its servers run. @inline */
export interface RegistryDirectory {
  /** The directory (as computed; relative when `XDG_STATE_HOME` is relative). */
  path: string;
  /** `local`, or `windows_host` for the Windows host's registry read from WSL. */
  origin: ServerOrigin;
}

/** Inputs of the registry path computation; each defaults to this process's value. */
export interface RegistryPathOptions {
  /** Environment variables. @default `process.env` */
  env?: Environment | undefined;
  /** @internal The platform, as `process.platform` names it (tests). @default `process.platform` */
  platform?: NodeJS.Platform | undefined;
  /**
   * The home directory. @default `HOME` (POSIX) or `USERPROFILE`, else `HOMEDRIVE`+`HOMEPATH`
   * (Windows) from {@link RegistryPathOptions.env}, else `os.homedir()`
   */
  homedir?: string | undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

/** The home directory marimo would use, given the options. */
export function homeDirectory(options: RegistryPathOptions = {}): string {
  if (options.homedir !== undefined) return options.homedir;
  const env = options.env ?? process.env;
  if ((options.platform ?? process.platform) === "win32") {
    const drive = nonEmpty(env["HOMEDRIVE"]);
    const path = nonEmpty(env["HOMEPATH"]);
    return nonEmpty(env["USERPROFILE"]) ?? (drive !== undefined && path !== undefined ? drive + path : osHomedir());
  }
  return nonEmpty(env["HOME"]) ?? osHomedir();
}

/**
 * The registry directory a marimo server started with these settings writes to.
 *
 * - POSIX (Linux, macOS, WSL): `$XDG_STATE_HOME/marimo/servers` when `XDG_STATE_HOME` is set and
 *   not blank after trimming (the value itself is used untrimmed, and a relative value stays
 *   relative, i.e. relative to the server's working directory), else `<home>/.local/state/marimo/servers`.
 * - Windows: `<home>\.marimo\servers` (`%USERPROFILE%\.marimo\servers`); XDG variables are ignored.
 *
 * What counts is the *server's* environment: a server started with another `XDG_STATE_HOME`
 * registers elsewhere.
 *
 * @example
 * ```ts
 * registryDirectory({ env: { XDG_STATE_HOME: "/tmp/state" }, platform: "linux" });
 * // "/tmp/state/marimo/servers"
 * ```
 */
export function registryDirectory(options: RegistryPathOptions = {}): string {
  const env = options.env ?? process.env;
  if ((options.platform ?? process.platform) === "win32") {
    return win32.join(homeDirectory(options), ".marimo", "servers");
  }
  const stateHome = env["XDG_STATE_HOME"];
  if (stateHome !== undefined && stateHome.trim() !== "") return posix.join(stateHome, "marimo", "servers");
  return posix.join(homeDirectory(options), ".local", "state", "marimo", "servers");
}

/**
 * True under the Windows Subsystem for Linux: Linux with `WSL_DISTRO_NAME` set, or a kernel
 * whose `/proc/version` mentions Microsoft.
 *
 * @param procVersion - the text of `/proc/version`, when it could be read.
 */
export function isWsl(options: RegistryPathOptions, procVersion: string | undefined): boolean {
  if ((options.platform ?? process.platform) !== "linux") return false;
  const env = options.env ?? process.env;
  if (nonEmpty(env["WSL_DISTRO_NAME"]) !== undefined) return true;
  return procVersion !== undefined && /microsoft/i.test(procVersion);
}
