/**
 * Finding the registry entry of a server this process launched: the entry's pid must
 * belong to the launched process group, so another marimo on the same port (or an
 * entry left by a dead one) is never mistaken for ours.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { connectHost, serverUrl } from "../discovery/urls.js";
import { RegistryEntrySchema, type RegistryEntry } from "../schemas/registry.js";

/** The process group of `pid`, or undefined when it cannot be told (gone, or no way to ask). */
export async function processGroupOf(pid: number): Promise<number | undefined> {
  if (process.platform === "linux") {
    try {
      const stat = await readFile(`/proc/${pid}/stat`, "latin1");
      // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const pgrp = Number(fields[2]);
      return Number.isInteger(pgrp) ? pgrp : undefined;
    } catch {
      return undefined;
    }
  }
  if (process.platform === "win32") return undefined;
  const ps = spawnSync("ps", ["-o", "pgid=", "-p", String(pid)], { encoding: "utf8" });
  const pgid = Number(ps.stdout?.trim());
  return ps.status === 0 && Number.isInteger(pgid) && pgid > 0 ? pgid : undefined;
}

/** The registry entry written by a process of group `groupId` (or by pid `groupId` itself). */
export async function findOwnEntry(
  dir: string,
  groupId: number,
): Promise<{ entry: RegistryEntry; file: string } | undefined> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return undefined;
  }
  for (const name of names) {
    if (!name.endsWith(".json")) continue;
    const file = join(dir, name);
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(file, "utf8"));
    } catch {
      continue;
    }
    const parsed = RegistryEntrySchema.safeParse(raw);
    if (!parsed.success) continue;
    const entry = parsed.data;
    if (entry.pid === groupId || (await processGroupOf(entry.pid)) === groupId) return { entry, file };
  }
  return undefined;
}

/** The base URL of a registry entry, with bind-all hosts mapped to loopback. */
export function entryUrl(entry: RegistryEntry): string | undefined {
  return serverUrl(connectHost(entry.host), entry.port, entry.base_url);
}
