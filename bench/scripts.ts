/**
 * Row 5: the original marimo-pair bash scripts (`execute-code.sh`, `discover-servers.sh`)
 * against this package's CLI, rows 1–3 as ratios. The scripts are never part of this
 * repository: name a directory holding them in MARIMO_PAIR_SCRIPTS_DIR. Without it, or
 * without bash, curl and jq, the rows are skipped with a note.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ms, quantile, type Row } from "./stats.ts";

/** Why the rows cannot run here, or undefined when they can (each script's rows need only that script). */
export function scriptsUnavailable(dir: string | undefined): string | undefined {
  if (dir === undefined || dir === "") return "MARIMO_PAIR_SCRIPTS_DIR is not set";
  if (!["execute-code.sh", "discover-servers.sh"].some((script) => existsSync(join(dir, script)))) {
    return `neither execute-code.sh nor discover-servers.sh is in ${dir}`;
  }
  for (const tool of ["bash", "curl", "jq"]) {
    if (spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0) return `${tool} is not installed`;
  }
  return undefined;
}

function once(command: string, args: string[], env: NodeJS.ProcessEnv): number {
  const start = performance.now();
  execFileSync(command, args, { env, stdio: ["ignore", "ignore", "ignore"], maxBuffer: 256 * 1024 * 1024 });
  return performance.now() - start;
}

/**
 * Medians of the CLI and the script, run alternately (CLI, script, CLI, …) so that load from
 * other processes on the machine falls on both alike.
 */
export function alternating(runs: number, cli: () => number, script: () => number): [number, number] {
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < runs; i++) {
    ours.push(cli());
    theirs.push(script());
  }
  return [quantile(ours, 0.5), quantile(theirs, 0.5)];
}

function row(measure: string, [cli, script]: [number, number], target?: number): Row {
  return {
    row: "5",
    measure,
    ours: ms(cli),
    baseline: `${ms(script)} (bash script)`,
    ratio: `${(cli / script).toFixed(3)}×`,
    target: target === undefined ? "—" : `≤ ${target}×`,
    met: target === undefined ? "n/a" : cli / script <= target ? "yes" : "no",
  };
}

/** Rows 1–3 for the scripts and the CLI, each run as a process. */
export function scriptRows(options: {
  dir: string;
  cli: string;
  url: string;
  sessionId: string;
  registryDir: string;
  runs: number;
  /** Runs of the 50 MB row (the script takes 20 s to minutes per run). @default runs */
  bigRuns?: number;
}): Row[] {
  const { dir, cli, url, sessionId, runs } = options;
  const bigRuns = options.bigRuns ?? runs;
  const env = { ...process.env };
  const exec = (code: string, times: number, target?: number) => [
    row(
      `exec ${code.length > 20 ? "50 MB of stdout" : code}, ${times === 1 ? "one run each" : `median of ${times} alternating`}`,
      alternating(
        times,
        () => once(process.execPath, [cli, "exec", "--url", url, "--session", sessionId, "-c", code], env),
        () => once("bash", [join(dir, "execute-code.sh"), "--url", url, "--session", sessionId, "-c", code], env),
      ),
      target,
    ),
  ];
  const big = 'import sys\nchunk = "x" * 500_000\nfor _ in range(100):\n    sys.stdout.write(chunk)\n    sys.stdout.flush()';
  const rows: Row[] = [];
  if (existsSync(join(dir, "execute-code.sh"))) rows.push(...exec("print(1)", runs, 0.9), ...exec(big, bigRuns));
  else console.error(`row 5: no execute-code.sh in ${dir}; its rows are skipped`);
  if (!existsSync(join(dir, "discover-servers.sh"))) {
    console.error(`row 5: no discover-servers.sh in ${dir}; its row is skipped`);
    return rows;
  }
  // Discovery over a copy of the registry for each run: the script deletes stale entries.
  const discover = (command: string, args: string[]) => () => {
    const state = mkdtempSync(join(tmpdir(), "bench-scripts-"));
    cpSync(options.registryDir, join(state, "marimo", "servers"), { recursive: true });
    const start = performance.now();
    spawnSync(command, args, { env: { ...env, XDG_STATE_HOME: state }, stdio: "ignore" });
    const elapsed = performance.now() - start;
    rmSync(state, { recursive: true, force: true });
    return elapsed;
  };
  rows.push(
    row(
      `discover over the 100-entry registry, median of ${runs} alternating`,
      alternating(runs, discover(process.execPath, [cli, "discover"]), discover("bash", [join(dir, "discover-servers.sh")])),
    ),
  );
  return rows;
}
