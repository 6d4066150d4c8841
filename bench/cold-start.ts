/** Row 4: cold start of `import("marimo-pair")` in a fresh process, and of `marimo-pair --help`. */
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
  const wall = (args: string[]) =>
    median(runs, () => {
      const start = performance.now();
      execFileSync(node, args, { cwd: root, stdio: "ignore" });
      return performance.now() - start;
    });
  const bare = wall(["-e", ""]);
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
  const cli = join(root, "dist", "cli", "main.js");
  if (existsSync(cli)) {
    const help = wall([cli, "--help"]);
    rows.push({
      row: "4",
      measure: `marimo-pair --help wall time, median of ${runs}`,
      ours: ms(help),
      baseline: `${ms(bare)} (node -e "")`,
      ratio: `${(help / bare).toFixed(2)}×`,
      target: "≤ 150 ms",
      met: help <= 150 ? "yes" : "no",
    });
  }
  return rows;
}
