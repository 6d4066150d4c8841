/**
 * The registry directories discovery reads: this machine's, and under WSL also the Windows
 * host's.
 *
 * @module
 */
import type { DiscoveryDiagnostic } from "./diagnostics.js";
import { isWsl, type RegistryDirectory, registryDirectory, type RegistryPathOptions } from "./paths.js";
import { type DiscoverySystem, resolveSystem } from "./system.js";
import { windowsHostRegistry } from "./wsl.js";

/** Options of {@link registryDirectories}. */
export interface RegistryDirectoriesOptions extends RegistryPathOptions {
  /**
   * Whether to add the Windows host's registry (`%USERPROFILE%\.marimo\servers` of the Windows
   * user, located through `cmd.exe` and `wslpath`).
   * @default true under WSL (`WSL_DISTRO_NAME` set, or `/proc/version` mentions Microsoft), else false
   */
  wsl?: boolean | undefined;
  /** @internal Replace parts of the operating-system access (helper commands, `/proc` reads; tests). */
  system?: Partial<DiscoverySystem> | undefined;
  /** Aborts the Windows-host lookup. */
  signal?: AbortSignal | undefined;
}

/** Directories plus what went wrong while locating them. */
export interface LocatedDirectories {
  /** The directories, local first. */
  directories: RegistryDirectory[];
  /** A note when the Windows host's registry could not be located. */
  diagnostics: DiscoveryDiagnostic[];
}

async function detectWsl(options: RegistryDirectoriesOptions, system: DiscoverySystem): Promise<boolean> {
  if (options.wsl !== undefined) return options.wsl;
  if ((options.platform ?? process.platform) !== "linux") return false;
  if (isWsl(options, undefined)) return true;
  const procVersion = await system.readTextFile("/proc/version").catch(() => undefined);
  return isWsl(options, procVersion);
}

/** Like {@link registryDirectories}, also returning why the Windows host's registry is missing. */
export async function locateRegistryDirectories(options: RegistryDirectoriesOptions = {}): Promise<LocatedDirectories> {
  const system = resolveSystem(options.system);
  const local: RegistryDirectory = { path: registryDirectory(options), origin: "local" };
  if (!(await detectWsl(options, system))) return { directories: [local], diagnostics: [] };
  const lookup = await windowsHostRegistry(system, options.signal);
  if (lookup.ok) return { directories: [local, { path: lookup.path, origin: "windows_host" }], diagnostics: [] };
  return {
    directories: [local],
    diagnostics: [
      {
        kind: "windows_host_registry_unavailable",
        severity: "info",
        file: null,
        message:
          `Running under WSL, but the Windows host's marimo registry could not be located (${lookup.reason}); ` +
          "only servers inside WSL are listed.",
      },
    ],
  };
}

/**
 * The registry directories discovery reads, the way marimo computes them: the local one
 * ({@link registryDirectory}) and, under WSL, the Windows host's `%USERPROFILE%\.marimo\servers`
 * as a WSL path (tagged `origin: "windows_host"`). Directories need not exist.
 *
 * @throws the caller's `signal.reason` when aborted.
 * @example
 * ```ts
 * for (const dir of await registryDirectories()) console.log(dir.origin, dir.path);
 * ```
 */
export async function registryDirectories(options: RegistryDirectoriesOptions = {}): Promise<RegistryDirectory[]> {
  return (await locateRegistryDirectories(options)).directories;
}
