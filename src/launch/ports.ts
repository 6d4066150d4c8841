/**
 * Ports for launched servers: choosing one the way marimo does (the first free one from
 * 2718), without handing the same port to two launches of this process, and finding the
 * port a launched process group really listens on (Linux), for when marimo's registry entry
 * went missing.
 *
 * @module
 */
import { readdir, readFile, readlink } from "node:fs/promises";
import { createServer } from "node:net";

/** marimo's first port. */
export const MARIMO_DEFAULT_PORT = 2718;

/** Ports recently handed out by {@link pickPort}, until when (epoch ms). */
const reserved = new Map<number, number>();
const RESERVATION_MS = 60_000;

/** Whether `port` can be bound on `host` right now. */
export function isPortFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * The first free port from `start` on `host` that this process has not handed out in the
 * last minute (another launch may not have bound it yet).
 *
 * @throws {Error} when no port up to 65535 is free.
 */
export async function pickPort(host: string, start = MARIMO_DEFAULT_PORT): Promise<number> {
  const now = Date.now();
  for (const [port, until] of reserved) if (until < now) reserved.delete(port);
  for (let port = start; port <= 65_535; port++) {
    if (reserved.has(port)) continue;
    // Reserve before the asynchronous check, so a concurrent call skips it.
    reserved.set(port, now + RESERVATION_MS);
    if (await isPortFree(port, host)) return port;
  }
  throw new Error(`no free port from ${start} on ${host}`);
}

/** pids of the processes whose process group is `groupId` (Linux; [] elsewhere). */
async function groupMembers(groupId: number): Promise<number[]> {
  if (process.platform !== "linux") return [];
  const members: number[] = [];
  for (const entry of await readdir("/proc").catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "latin1").catch(() => "");
    const pgrp = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
    if (pgrp === groupId) members.push(Number(entry));
  }
  return members;
}

/**
 * TCP ports on which a process of group `groupId` listens, with the pid holding each
 * (Linux, from /proc; empty elsewhere or when it cannot be read).
 */
export async function listeningPorts(groupId: number): Promise<Array<{ port: number; pid: number }>> {
  const owners = new Map<string, number>();
  for (const pid of await groupMembers(groupId)) {
    for (const fd of await readdir(`/proc/${pid}/fd`).catch(() => [] as string[])) {
      const link = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => "");
      const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
      if (inode !== undefined) owners.set(inode, pid);
    }
  }
  if (owners.size === 0) return [];
  const found: Array<{ port: number; pid: number }> = [];
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    const text = await readFile(table, "latin1").catch(() => "");
    for (const line of text.split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      // sl local_address rem_address st ... inode (10th field); st 0A = LISTEN
      if (fields.length < 10 || fields[3] !== "0A") continue;
      const pid = owners.get(fields[9] ?? "");
      const port = parseInt(fields[1]?.split(":")[1] ?? "", 16);
      if (pid !== undefined && Number.isInteger(port) && !found.some((f) => f.port === port)) found.push({ port, pid });
    }
  }
  return found;
}
