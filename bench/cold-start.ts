/**
 * Row 4: cold start of `import("marimo-pair")` in a fresh process, and of `marimo-pair --help`
 * against `node -e ""`, run alternately so that load on the machine falls on both alike.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ms, quantile, type Row } from "./stats.ts";

function median(runs: number, once: () => number): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(once());
  return quantile(samples, 0.5);
}

/** Time spent in `import("marimo-pair")`, measured inside fresh node processes. */
export function coldStart(root: string, runs: number): Row[] {
  const node = process.execPath;
  const importMs = median(runs, () =>
    Number(
      execFileSync(node, ["--input-type=module", "-e", 'const t = performance.now(); await import("marimo-pair"); console.log(performance.now() - t)'], {
        cwd: root,
        encoding: "utf8",
      }),
    ),
  );
  const once = (args: string[]) => {
    const start = performance.now();
    execFileSync(node, args, { cwd: root, stdio: "ignore" });
    return performance.now() - start;
  };
  const cli = join(root, "dist", "cli", "main.js");
  const hasCli = existsSync(cli);
  const bareSamples: number[] = [];
  const helpSamples: number[] = [];
  for (let i = 0; i < runs; i++) {
    bareSamples.push(once(["-e", ""]));
    if (hasCli) helpSamples.push(once([cli, "--help"]));
  }
  const bare = quantile(bareSamples, 0.5);
  const rows: Row[] = [
    {
      row: "4",
      measure: `import("marimo-pair"), median of ${runs}`,
      ours: ms(importMs),
      baseline: `${ms(bare)} (node -e "")`,
      ratio: "—",
      target: "≤ 60 ms",
      met: importMs <= 60 ? "yes" : "no",
    },
  ];
  if (hasCli) {
    const help = quantile(helpSamples, 0.5);
    rows.push({
      row: "4",
      measure: `marimo-pair --help wall time, median of ${runs} alternating`,
      ours: ms(help),
      baseline: `${ms(bare)} (node -e "")`,
      ratio: `${(help / bare).toFixed(2)}×`,
      target: "≤ 1.3×",
      met: help / bare <= 1.3 ? "yes" : "no",
    });
  }
  return rows;
}
