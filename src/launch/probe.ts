/**
 * The Node implementation of {@link LaunchProbe}: PATH lookup and file checks for
 * the launch decision tree, against the environment marimo will run with.
 *
 * @module
 */
import { constants } from "node:fs";
import { access, readFile, stat } from "node:fs/promises";
import { delimiter, join } from "node:path";
import type { LaunchProbe } from "./plan.js";

/** pyproject.toml and notebooks larger than this are not read for the decision tree. */
const MAX_READ_BYTES = 4 * 1024 * 1024;

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return false;
    await access(path, process.platform === "win32" ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * A probe that looks programs up on `env.PATH` (the environment marimo will be started
 * with, which may differ from this process's).
 */
export function createNodeProbe(env: Readonly<Record<string, string | undefined>>): LaunchProbe {
  const pathDirs = (env["PATH"] ?? env["Path"] ?? "").split(delimiter).filter((d) => d !== "");
  const extensions =
    process.platform === "win32" ? (env["PATHEXT"] ?? ".EXE;.CMD;.BAT;.COM").split(";").map((e) => e.toLowerCase()) : [""];
  return {
    platform: process.platform,
    async which(name) {
      for (const dir of pathDirs) {
        for (const ext of extensions) {
          const candidate = join(dir, name + ext);
          if (await isExecutableFile(candidate)) return candidate;
        }
      }
      return undefined;
    },
    async exists(path) {
      try {
        await stat(path);
        return true;
      } catch {
        return false;
      }
    },
    async isDirectory(path) {
      try {
        return (await stat(path)).isDirectory();
      } catch {
        return false;
      }
    },
    async readText(path) {
      try {
        const info = await stat(path);
        if (!info.isFile() || info.size > MAX_READ_BYTES) return undefined;
        return await readFile(path, "utf8");
      } catch {
        return undefined;
      }
    },
  };
}
