/**
 * Child process of row 2: streams 50 MB of stdout one way (`raw`, `stream` or `execute`)
 * and prints the peak RSS growth in MB, so each variant starts from a clean heap.
 *
 *   node --expose-gc bench/rss-probe.ts <raw|stream|execute> <url> <sessionId>
 */
import { connect } from "marimo-pair";

const [mode, url, sessionId] = process.argv.slice(2) as [string, string, string];
const code = 'import sys\nchunk = "x" * 500_000\nfor _ in range(100):\n    sys.stdout.write(chunk)\n    sys.stdout.flush()';
const nb = await connect(url).session({ sessionId });
// Warm up the connection and the code paths with a small run first.
await nb.execute("print(1)");
globalThis.gc?.();
const base = process.memoryUsage().rss;
let peak = base;
const timer = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 5);
let chars = 0;
if (mode === "raw") {
  const res = await fetch(`${url}/api/kernel/execute`, {
    method: "POST",
    headers: { "Marimo-Session-Id": sessionId, "Content-Type": "application/json" },
    body: JSON.stringify({ code }),
  });
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) chars += chunk.byteLength;
} else if (mode === "stream") {
  for await (const event of nb.stream(code)) if (event.type === "stdout") chars += event.data.length;
} else {
  chars = (await nb.execute(code, { maxOutputBytes: 1024 * 1024 })).stdout.length;
}
clearInterval(timer);
peak = Math.max(peak, process.memoryUsage().rss);
console.log(JSON.stringify({ mode, chars, growthMb: (peak - base) / 1024 / 1024 }));
