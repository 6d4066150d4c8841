/**
 * The soak test's child process (run with `node --expose-gc`): opens a browser-less session,
 * optionally watches its events, works through sequential executes, concurrent bursts and
 * create/run/delete batches with forced collections between phases, then lets go of
 * everything and returns without calling `process.exit`. The parent measures how long the
 * process takes to exit after the last line.
 *
 * Input (environment): SOAK_URL, SOAK_FILE, SOAK_WATCHER (`1`/`0`), SOAK_SEQUENTIAL,
 * SOAK_BURSTS, SOAK_BURST_SIZE, SOAK_BATCHES. Output: one JSON line per phase on stdout,
 * the last with `"phase": "closed"`.
 */
import { subscribe } from "node:diagnostics_channel";
import { connect } from "../../../dist/index.js";

// Which request each socket carried last, to name a socket that outlives close().
const lastRequest = new WeakMap<object, string>();
subscribe("undici:client:sendHeaders", (message) => {
  const { request, socket } = message as { request: { method: string; path: string }; socket: object };
  lastRequest.set(socket, `${request.method} ${request.path.split("?")[0]}`);
});

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with --expose-gc");

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const url = process.env["SOAK_URL"]!;
const file = process.env["SOAK_FILE"]!;
const watch = process.env["SOAK_WATCHER"] === "1";
const sequential = env("SOAK_SEQUENTIAL", 200);
const bursts = env("SOAK_BURSTS", 5);
const burstSize = env("SOAK_BURST_SIZE", 20);
const batches = env("SOAK_BATCHES", 5);

const runTag = Math.random().toString(36).slice(2, 8);
const problems: string[] = [];
let executes = 0;
const started = Date.now();

function report(phase: string, extra: Record<string, unknown> = {}): void {
  gc!();
  const heapUsed = process.memoryUsage().heapUsed;
  console.log(JSON.stringify({ phase, heapUsed, executes, ms: Date.now() - started, problems: problems.length, ...extra }));
}

async function check(code: string, expected: string): Promise<void> {
  const result = await nb.execute(code);
  executes += 1;
  if (!result.success) problems.push(`${code}: failed ${JSON.stringify(result.error ?? null)}`);
  else if (result.stdout !== expected) problems.push(`${code}: got ${JSON.stringify(result.stdout)}`);
}

const client = connect(url);
const nb = await client.openSession({ file });
report("opened");

const watcher = new AbortController();
let events = 0;
const watching = watch
  ? (async () => {
      for await (const _event of nb.events({ signal: watcher.signal })) events += 1;
    })()
  : Promise.resolve();

for (let i = 0; i < sequential; i++) await check(`print(${i})`, `${i}\n`);
report("sequential");

for (let b = 0; b < bursts; b++) {
  await Promise.all(
    Array.from({ length: burstSize }, (_, k) => check(`print("burst-${b}-${k}")`, `burst-${b}-${k}\n`)),
  );
  gc();
}
report("bursts");

for (let b = 0; b < batches; b++) {
  const name = `soak_${runTag}_${b}`;
  const created = await nb.edit((builder) => {
    builder.runCell(builder.createCell(`${name} = ${b} * 2`, { name }));
  });
  if (!created.success || Object.keys(created.created).length !== 1) problems.push(`batch ${b}: create failed`);
  await check(`print(${name})`, `${b * 2}\n`);
  const deleted = await nb.edit((builder) => builder.deleteCell({ name }));
  if (deleted.deleted.length !== 1) problems.push(`batch ${b}: delete failed`);
  gc();
}
report("batches");

watcher.abort();
await watching;
await nb.close();
report("closed", { events, problemList: problems.slice(0, 5) });
// Diagnostics for a process that fails to exit; unref'd, so it never holds the process itself.
setTimeout(() => {
  const handles = (process as unknown as { _getActiveHandles(): object[] })._getActiveHandles();
  const sockets = handles.filter((h) => lastRequest.has(h)).map((h) => lastRequest.get(h));
  console.error(`still alive 3 s after close: ${JSON.stringify(process.getActiveResourcesInfo())}; sockets: ${JSON.stringify(sockets)}`);
}, 3000).unref();
