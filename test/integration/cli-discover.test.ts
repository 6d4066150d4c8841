/**
 * The built CLI's discovery against real marimo: `discover` output, and `exec` /
 * `sessions` finding their server without --url.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VERSION } from "../helpers/feature.js";
import { freePort, makeTempDir, type MarimoServer, openRawSession, type RawSession, startMarimo, stopAll } from "../helpers/marimo-server.js";
import { prepareCli, runCli } from "./cli-helpers.js";

let state: string; // one registry shared by both servers
let first: MarimoServer;
let second: MarimoServer | undefined;
const held: RawSession[] = [];

const inState = (dir: string) => ({ env: { XDG_STATE_HOME: dir } });

beforeAll(async () => {
  await prepareCli();
  state = await makeTempDir("cli-state-");
  first = await startMarimo({ stateHome: state, notebookName: "first.py" });
  held.push(await openRawSession(first));
});

afterAll(async () => {
  for (const session of held) session.close();
  await Promise.all([first?.stop(), second?.stop()]);
  await stopAll();
});

/** A pid that certainly belonged to a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", "0"]);
  await new Promise((r) => child.once("exit", r));
  return child.pid ?? 999_999;
}

async function writeEntry(dir: string, pid: number, port: number): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, `127.0.0.1_${port}.json`);
  const entry = {
    server_id: `127.0.0.1:${port}`,
    pid,
    host: "127.0.0.1",
    port,
    base_url: "",
    started_at: "2026-01-01T00:00:00.000000+00:00",
    version: "0.25.2",
  };
  await writeFile(file, JSON.stringify(entry, null, 2));
  return file;
}

describe("discover", () => {
  it("prints [] and exits 0 with an empty registry", async () => {
    const empty = await makeTempDir("cli-empty-");
    const run = await runCli(["discover"], inState(empty));
    expect(run).toMatchObject({ code: 0, stdout: "[]\n", stderr: "" });
  });

  it("prints the servers with the script's fields", async () => {
    const run = await runCli(["discover"], inState(state));
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    const servers = JSON.parse(run.stdout) as Record<string, unknown>[];
    expect(servers).toHaveLength(1);
    const [server] = servers;
    expect(Object.keys(server ?? {})).toEqual(["server_id", "started_at", "version", "origin", "url"]);
    expect(server).toEqual({
      server_id: `127.0.0.1:${first.port}`,
      started_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+\+00:00$/),
      version: VERSION,
      origin: "local",
      url: first.url,
    });
  });

  it("removes a stale entry, lists a silent live pid with url null, and explains both on stderr", async () => {
    const dir = await makeTempDir("cli-stale-");
    const servers = join(dir, "marimo", "servers");
    const stale = await writeEntry(servers, await deadPid(), await freePort());
    const silentPort = await freePort();
    const silent = await writeEntry(servers, process.pid, silentPort);
    const run = await runCli(["discover"], inState(dir));
    expect(run.code).toBe(0);
    const listed = JSON.parse(run.stdout) as { server_id: string; url: string | null }[];
    expect(listed).toEqual([expect.objectContaining({ server_id: `127.0.0.1:${silentPort}`, url: null })]);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(silent)).toBe(true);
    expect(run.stderr).toMatch(/^marimo-pair: (warning|note): /m);
    expect(run.stderr).toContain(`127.0.0.1:${silentPort}`);
    expect(run.stderr.split("\n").filter((l) => l !== "").length).toBeGreaterThanOrEqual(2);
  });
});

describe("without --url: one server", () => {
  it("exec uses the only running server", async () => {
    const run = await runCli(["exec", "-c", "import marimo as mo\nprint(mo.notebook_dir())"], inState(state));
    expect(run).toMatchObject({ code: 0, stdout: `${first.dir}\n` });
  });

  it("sessions lists the notebooks of every running server", async () => {
    const run = await runCli(["sessions"], inState(state));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^SESSION\s+NOTEBOOK\s+SERVER\n/);
    expect(run.stdout).toContain(first.notebookPath);
    expect(run.stdout).toContain(first.url);
  });

  it("no running server: exec exits 1 and says how to start one", async () => {
    const empty = await makeTempDir("cli-none-");
    const run = await runCli(["exec", "-c", "1"], inState(empty));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no running marimo server found.*--no-token.*--url/s);
  });
});

describe("without --url: two servers", () => {
  beforeAll(async () => {
    second = await startMarimo({ stateHome: state, notebookName: "second.py" });
    held.push(await openRawSession(second));
  });

  it("discover lists both, newest first", async () => {
    const run = await runCli(["discover"], inState(state));
    const servers = JSON.parse(run.stdout) as { url: string }[];
    expect(servers.map((s) => s.url)).toEqual([second?.url, first.url]);
  });

  it("exec without a selector exits 1 and lists the servers", async () => {
    const run = await runCli(["exec", "-c", "1"], inState(state));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/2 notebooks are open, so none is picked automatically.*--file.*--url/s);
    expect(run.stderr).toContain(first.notebookPath);
    expect(run.stderr).toContain(first.url);
    expect(run.stderr).toContain(second?.url);
  });

  it("exec --file picks the server that has that notebook open", async () => {
    const code = ["-c", "import marimo as mo\nprint(mo.notebook_dir())"];
    const onSecond = await runCli(["exec", "--file", "second.py", ...code], inState(state));
    expect(onSecond).toMatchObject({ code: 0, stdout: `${second?.dir}\n` });
    const onFirst = await runCli(["exec", "--file", first.notebookPath, ...code], inState(state));
    expect(onFirst).toMatchObject({ code: 0, stdout: `${first.dir}\n` });
  });

  it("exec --file that no server has open exits 1 and lists the servers", async () => {
    const run = await runCli(["exec", "--file", "third.py", "-c", "1"], inState(state));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no open notebook matches --file 'third.py'/);
    expect(run.stderr).toContain(`${first.url}  `);
  });

  it("sessions shows the notebooks of both servers", async () => {
    const run = await runCli(["sessions", "--json"], inState(state));
    expect(run.code).toBe(0);
    const rows = JSON.parse(run.stdout) as { url: string; path: string }[];
    expect(rows.map((r) => [r.url, r.path]).sort()).toEqual(
      [
        [first.url, first.notebookPath],
        [second?.url, second?.notebookPath],
      ].sort(),
    );
  });
});
