/**
 * Soak: a script that closes what it opened exits. Each run is a child Node process
 * (`--expose-gc`, test/integration/soak/child.ts) that opens a session on a real marimo,
 * optionally watches its events, does sequential executes, concurrent bursts and
 * create/run/delete batches with forced collections between phases, then aborts the watcher
 * and closes the session — and must exit by itself. The failure this guards against depends on
 * timing and on V8 optimizing the stream loops, so it runs several times, with and without a
 * watcher, two runs at a time on two notebooks of one server.
 *
 * Figures (per run: executes, events seen, heap after forced collections, time from the last
 * line to exit) are printed, and saved under test-artifacts/ when MARIMO_PAIR_FIGURES is set.
 */
import { spawn } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { itWhen } from "../helpers/feature.js";
import { type MarimoServer, SIMPLE_NOTEBOOK, startMarimo, stopAll } from "../helpers/marimo-server.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const CHILD = join(ROOT, "test", "integration", "soak", "child.ts");
/** How long a child may take to exit after its last line: "within a few seconds", generous for a loaded machine. */
const EXIT_BOUND_MS = 10_000;
/** A child that has not finished its work by then is killed and the run fails. */
const RUN_BOUND_MS = 150_000;

interface Phase {
  phase: string;
  heapUsed: number;
  executes: number;
  ms: number;
  problems: number;
  events?: number;
  problemList?: string[];
}

interface Run {
  name: string;
  code: number | null;
  phases: Phase[];
  /** ms from the `closed` line to the process's exit; undefined when it never got there. */
  exitAfterCloseMs: number | undefined;
  stderr: string;
}

interface RunSpec {
  name: string;
  file: string;
  watcher: boolean;
  sequential: number;
  bursts: number;
  batches: number;
}

function runChild(url: string, spec: RunSpec): Promise<Run> {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, ["--expose-gc", CHILD], {
      env: {
        ...process.env,
        SOAK_URL: url,
        SOAK_FILE: spec.file,
        SOAK_WATCHER: spec.watcher ? "1" : "0",
        SOAK_SEQUENTIAL: String(spec.sequential),
        SOAK_BURSTS: String(spec.bursts),
        SOAK_BURST_SIZE: "20",
        SOAK_BATCHES: String(spec.batches),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let closedAt: number | undefined;
    let killedFor: string | undefined;
    const kill = (why: string) => {
      killedFor = why;
      child.kill("SIGKILL");
    };
    const runTimer = setTimeout(() => kill(`still running after ${RUN_BOUND_MS} ms`), RUN_BOUND_MS);
    let exitTimer: ReturnType<typeof setTimeout> | undefined;
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      stdout += chunk;
      if (closedAt === undefined && stdout.includes('"phase":"closed"')) {
        closedAt = Date.now();
        exitTimer = setTimeout(() => kill(`no exit within ${EXIT_BOUND_MS} ms of close()`), EXIT_BOUND_MS);
      }
    });
    child.stderr.on("data", (chunk: string) => (stderr += chunk));
    child.on("close", (code) => {
      clearTimeout(runTimer);
      clearTimeout(exitTimer);
      const phases = stdout
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as Phase);
      resolveRun({
        name: spec.name,
        code,
        phases,
        exitAfterCloseMs: closedAt === undefined || killedFor !== undefined ? undefined : Date.now() - closedAt,
        stderr: killedFor === undefined ? stderr : `${killedFor}\n${stderr}`,
      });
    });
  });
}

let server: MarimoServer;
const runs: Run[] = [];

beforeAll(async () => {
  server = await startMarimo({ notebooks: { "watched.py": SIMPLE_NOTEBOOK, "plain.py": SIMPLE_NOTEBOOK } });
});

afterAll(async () => {
  await stopAll();
  const figures = runs.map((run) => {
    const at = (phase: string) => run.phases.find((p) => p.phase === phase);
    const closed = at("closed");
    return {
      run: run.name,
      executes: closed?.executes,
      events: closed?.events,
      workMs: closed?.ms,
      heapMiB: run.phases.map((p) => `${p.phase} ${(p.heapUsed / 2 ** 20).toFixed(1)}`).join(", "),
      exitAfterCloseMs: run.exitAfterCloseMs,
    };
  });
  console.log(`soak figures:\n${figures.map((f) => JSON.stringify(f)).join("\n")}`);
  if (process.env["MARIMO_PAIR_FIGURES"] !== undefined) {
    await mkdir(join(ROOT, "test-artifacts"), { recursive: true });
    await writeFile(join(ROOT, "test-artifacts", "soak.json"), `${JSON.stringify(figures, null, 2)}\n`);
  }
});

/** A run finished its work without a lost or crossed output, kept its heap bounded, and exited by itself. */
function expectClean(run: Run, watcher: boolean): void {
  const closed = run.phases.find((p) => p.phase === "closed");
  expect(closed, `${run.name} never closed: ${run.stderr}`).toBeDefined();
  expect(closed?.problemList ?? [], run.name).toEqual([]);
  expect(closed?.problems).toBe(0);
  expect(run.exitAfterCloseMs, `${run.name} did not exit by itself: ${run.stderr}`).toBeDefined();
  expect(run.code).toBe(0);
  if (watcher) expect(closed?.events ?? 0).toBeGreaterThan(0);
  else expect(closed?.events).toBe(0);
  // Heap after forced collections: the work phases may not grow it by more than 16 MiB.
  const opened = run.phases.find((p) => p.phase === "opened");
  expect((closed?.heapUsed ?? 0) - (opened?.heapUsed ?? 0)).toBeLessThan(16 * 2 ** 20);
}

describe("soak: sessions, watchers, load and collections, then close", () => {
  // The watcher needs nb.events(), and the batches create, run and delete cells by name.
  itWhen(["sseSessions", "codeModeSaves", "runRegistersCells", "stalenessCheck"])(
    "every run keeps its outputs apart and exits by itself after close(), with and without a watcher",
    async () => {
      const rounds: [RunSpec, RunSpec][] = [
        [
          { name: "watcher-1", file: "watched.py", watcher: true, sequential: 200, bursts: 3, batches: 3 },
          { name: "plain-1", file: "plain.py", watcher: false, sequential: 200, bursts: 3, batches: 3 },
        ],
        [
          { name: "watcher-2", file: "watched.py", watcher: true, sequential: 40, bursts: 1, batches: 1 },
          { name: "plain-2", file: "plain.py", watcher: false, sequential: 40, bursts: 1, batches: 1 },
        ],
        [
          { name: "watcher-3", file: "watched.py", watcher: true, sequential: 40, bursts: 1, batches: 1 },
          { name: "plain-3", file: "plain.py", watcher: false, sequential: 40, bursts: 1, batches: 1 },
        ],
      ];
      for (const [watched, plain] of rounds) {
        const done = await Promise.all([runChild(server.url, watched), runChild(server.url, plain)]);
        runs.push(...done);
        expectClean(done[0], true);
        expectClean(done[1], false);
      }
    },
    600_000,
  );
});
