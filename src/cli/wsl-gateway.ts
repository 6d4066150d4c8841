/**
 * Under WSL, the Windows host is reached through the default gateway; a `--url` pointing
 * there leaves the computer no more than one to localhost does, so it gets no warning.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { isWsl } from "../discovery/paths.js";
import { nodeSystem } from "../discovery/system.js";
import { wslGateway } from "../discovery/wsl.js";
import type { CliIo } from "./io.js";

/** The WSL gateway address (the Windows host), or undefined outside WSL. */
export async function windowsHostAddress(env: CliIo["env"]): Promise<string | undefined> {
  if (process.platform !== "linux") return undefined;
  const procVersion = await readFile("/proc/version", "utf8").catch(() => undefined);
  if (!isWsl({ env }, procVersion)) return undefined;
  return wslGateway(nodeSystem);
}
