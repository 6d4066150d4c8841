/**
 * Helpers for discovery unit tests: temp registry directories, registry entries, small HTTP
 * servers on port 0, a dead pid, and a scripted fake of the operating-system access.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm, unlink, writeFile } from "node:fs/promises";
import { createServer as createHttpServer, type RequestListener } from "node:http";
import { type AddressInfo, createServer as createTcpServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CommandResult, CommandRunOptions, DiscoverySystem } from "../../../src/discovery/system.js";

/** A registry entry as marimo writes it. */
export interface EntryJson {
  server_id: string;
  pid: number;
  host: string;
  port: number;
  base_url: string;
  started_at: string;
  version: string;
}

/** An entry for `host:port` with sensible defaults. */
export function entry(port: number, overrides: Partial<EntryJson> = {}): EntryJson {
  const host = overrides.host ?? "127.0.0.1";
  return {
    server_id: `${host}:${port}`,
    pid: process.pid,
    host,
    port,
    base_url: "",
    started_at: "2026-08-21T21:51:55.123456+00:00",
    version: "0.25.2",
    ...overrides,
  };
}

/** The file name marimo uses for a server id. */
export function fileNameOf(serverId: string): string {
  return `${serverId.replaceAll(":", "_").replaceAll("/", "_")}.json`;
}

/** Write an entry into `dir` the way marimo does (2-space JSON, no trailing newline). */
export async function writeEntry(dir: string, value: EntryJson): Promise<string> {
  const file = join(dir, fileNameOf(value.server_id));
  await writeFile(file, JSON.stringify(value, null, 2));
  return file;
}

const cleanups: (() => Promise<void>)[] = [];

/** A new temporary directory, removed by {@link cleanup}. */
export async function tempDir(prefix = "registry-"): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `marimo-pair-unit-${prefix}`));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** An HTTP server on 127.0.0.1:0; closed by {@link cleanup}. */
export async function httpServer(listener: RequestListener): Promise<{ port: number; url: string }> {
  const server = createHttpServer(listener);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  const port = (server.address() as AddressInfo).port;
  return { port, url: `http://127.0.0.1:${port}` };
}

/** A server that answers `/health` like marimo. */
export function marimoLike(): Promise<{ port: number; url: string }> {
  return httpServer((req, res) => {
    if (req.url?.endsWith("/health")) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"status":"healthy"}');
    } else {
      res.writeHead(404);
      res.end();
    }
  });
}

/** A TCP port that accepts connections and never answers; closed by {@link cleanup}. */
export async function silentPort(): Promise<number> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  cleanups.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  });
  return (server.address() as AddressInfo).port;
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}

/** The pid of a process that has exited and been reaped. */
export async function deadPid(): Promise<number> {
  const child = spawn("true", { stdio: "ignore" });
  const pid = child.pid;
  if (pid === undefined) throw new Error("spawn failed");
  await new Promise((r) => child.once("exit", r));
  // Give the reaper a moment on a loaded machine.
  await new Promise((r) => setTimeout(r, 50));
  return pid;
}

/** Run and forget every cleanup registered so far. */
export async function cleanup(): Promise<void> {
  await Promise.all(cleanups.splice(0).map((c) => c().catch(() => undefined)));
}

/** One recorded command call of a {@link fakeSystem}. */
export interface CommandCall {
  command: string;
  args: readonly string[];
  options: CommandRunOptions;
}

/** A scripted command: a result, or an error code to reject with (`ENOENT`: not found). */
export type Scripted = Partial<CommandResult> | { error: string };

/** A fake {@link DiscoverySystem}: commands by `"<command> <args…>"`, files by path. */
export function fakeSystem(
  commands: Record<string, Scripted>,
  files: Record<string, string> = {},
  kill: DiscoverySystem["kill"] = () => undefined,
): DiscoverySystem & { calls: CommandCall[] } {
  const calls: CommandCall[] = [];
  return {
    calls,
    kill,
    removeFile: (path) => unlink(path),
    async runCommand(command, args, options) {
      calls.push({ command, args, options });
      const key = [command, ...args].join(" ");
      const scripted = commands[key] ?? commands[command];
      if (scripted === undefined || "error" in scripted) {
        const error = new Error(`spawn ${command} ${scripted === undefined ? "ENOENT" : scripted.error}`);
        Object.assign(error, { code: scripted === undefined ? "ENOENT" : scripted.error });
        throw error;
      }
      return { exitCode: 0, stdout: "", stderr: "", ...scripted };
    },
    async readTextFile(path) {
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
      return text;
    },
  };
}

/** An error like the ones `process.kill` throws. */
export function errno(code: string): Error {
  return Object.assign(new Error(code), { code });
}
