/** Small statistics and table helpers for the benchmarks. */

/** The q-quantile (0..1) of the samples, by nearest rank. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** One row of the results table. */
export interface Row {
  row: string;
  measure: string;
  ours: string;
  baseline: string;
  ratio: string;
  target: string;
  met: "yes" | "no" | "n/a";
}

/** Format milliseconds. */
export function ms(value: number): string {
  return `${value.toFixed(value < 10 ? 2 : 1)} ms`;
}

/** Print rows as a Markdown table. */
export function printTable(rows: readonly Row[]): void {
  const header: Row = { row: "row", measure: "measure", ours: "marimo-pair", baseline: "baseline", ratio: "ratio", target: "target", met: "n/a" };
  const cells = (r: Row) => [r.row, r.measure, r.ours, r.baseline, r.ratio, r.target, r === header ? "met" : r.met];
  console.log(`| ${cells(header).join(" | ")} |`);
  console.log(`|${cells(header).map(() => "---").join("|")}|`);
  for (const r of rows) console.log(`| ${cells(r).join(" | ")} |`);
}

/** Time an async function in ms. */
export async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}
