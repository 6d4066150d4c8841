/**
 * Rows 1 and 2: execute round trip and large-output streaming, the SDK against a raw
 * fetch of the same endpoint on the same session, measured alternately in one run.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { NotebookSession } from "marimo-pair";
import { ms, quantile, type Row, time } from "./stats.ts";

/** Raw floor: POST the code and read the SSE body to its end (marimo ends it after `done`). */
async function rawExecute(url: string, sessionId: string, code: string): Promise<number> {
  const res = await fetch(`${url}/api/kernel/execute`, {
    method: "POST",
    headers: { "Marimo-Session-Id": sessionId, "Content-Type": "application/json" },
    body: JSON.stringify({ code }),
  });
  let bytes = 0;
  let tail = "";
  const decoder = new TextDecoder();
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.byteLength;
    tail = (tail + decoder.decode(chunk, { stream: true })).slice(-256);
  }
  if (!tail.includes("event: done")) throw new Error("raw execute ended without done");
  return bytes;
}

/** Row 1: `print(1)` round trip, p50 and p95. */
export async function roundTrip(nb: NotebookSession, url: string, sessionId: string, iterations: number): Promise<Row[]> {
  const ours: number[] = [];
  const raw: number[] = [];
  for (let i = 0; i < 5; i++) {
    await nb.execute("print(1)");
    await rawExecute(url, sessionId, "print(1)");
  }
  for (let i = 0; i < iterations; i++) {
    // Alternate the order so drift affects both sides alike.
    const sdk = () => time(() => nb.execute("print(1)"));
    const floor = () => time(() => rawExecute(url, sessionId, "print(1)"));
    if (i % 2 === 0) {
      ours.push(await sdk());
      raw.push(await floor());
    } else {
      raw.push(await floor());
      ours.push(await sdk());
    }
  }
  const rows: Row[] = [];
  for (const [label, q, target] of [["p50", 0.5, 1.05], ["p95", 0.95, Number.NaN]] as const) {
    const a = quantile(ours, q);
    const b = quantile(raw, q);
    rows.push({
      row: "1",
      measure: `execute print(1) ${label} (n=${iterations})`,
      ours: ms(a),
      baseline: `${ms(b)} (raw fetch)`,
      ratio: `${(a / b).toFixed(3)}×`,
      target: Number.isNaN(target) ? "—" : `≤ ${target}×`,
      met: Number.isNaN(target) ? "n/a" : a / b <= target ? "yes" : "no",
    });
  }
  return rows;
}

/** Peak RSS growth of one variant, measured in a fresh process. */
function rssGrowth(mode: "raw" | "stream" | "execute", url: string, sessionId: string): number {
  const probe = fileURLToPath(new URL("./rss-probe.ts", import.meta.url));
  const out = execFileSync(process.execPath, ["--expose-gc", probe, mode, url, sessionId], { encoding: "utf8" });
  return (JSON.parse(out) as { growthMb: number }).growthMb;
}

/** Row 2: 50 MB of stdout: throughput of stream() vs raw fetch, and peak RSS growth. */
export async function largeOutput(nb: NotebookSession, url: string, sessionId: string, rounds: number): Promise<Row[]> {
  const megabytes = 50;
  const code = `import sys\nchunk = "x" * 500_000\nfor _ in range(${megabytes * 2}):\n    sys.stdout.write(chunk)\n    sys.stdout.flush()`;
  const ours: number[] = [];
  const raw: number[] = [];
  const rssStream: number[] = [];
  const rssExecute: number[] = [];
  const rssRaw: number[] = [];
  for (let i = 0; i < rounds; i++) {
    raw.push(await time(() => rawExecute(url, sessionId, code)));
    ours.push(
      await time(async () => {
        let chars = 0;
        for await (const event of nb.stream(code)) if (event.type === "stdout") chars += event.data.length;
        if (chars !== megabytes * 1_000_000) throw new Error(`stream() delivered ${chars} characters`);
      }),
    );
    const result = await nb.execute(code, { maxOutputBytes: 1024 * 1024 });
    if (!result.truncated) throw new Error("maxOutputBytes did not truncate");
    rssRaw.push(rssGrowth("raw", url, sessionId));
    rssStream.push(rssGrowth("stream", url, sessionId));
    rssExecute.push(rssGrowth("execute", url, sessionId));
  }
  const throughput = (t: number) => (megabytes / (t / 1000)).toFixed(1);
  const a = quantile(ours, 0.5);
  const b = quantile(raw, 0.5);
  const streamRss = quantile(rssStream, 0.5);
  const executeRss = quantile(rssExecute, 0.5);
  const rawRss = quantile(rssRaw, 0.5);
  return [
    {
      row: "2",
      measure: `50 MB stdout, median of ${rounds}`,
      ours: `${throughput(a)} MB/s`,
      baseline: `${throughput(b)} MB/s (raw fetch)`,
      ratio: `${(b / a).toFixed(3)}×`,
      target: "≥ 0.9×",
      met: b / a >= 0.9 ? "yes" : "no",
    },
    {
      row: "2",
      measure: "peak RSS growth, stream() (fresh process, median)",
      ours: `${streamRss.toFixed(1)} MB`,
      baseline: `${rawRss.toFixed(1)} MB (raw fetch, bytes counted)`,
      ratio: "—",
      target: "≤ 50 MB",
      met: streamRss <= 50 ? "yes" : "no",
    },
    {
      row: "2",
      measure: "peak RSS growth, execute({ maxOutputBytes: 1 MiB })",
      ours: `${executeRss.toFixed(1)} MB`,
      baseline: "—",
      ratio: "—",
      target: "bounded",
      met: "n/a",
    },
  ];
}
