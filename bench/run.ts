/**
 * Benchmarks: each row measures marimo-pair side by side with a baseline in the same
 * run (a raw fetch of the same endpoint, or a single probe timeout) and prints ratios.
 * Not a test: numbers vary with the machine; run with `npm run bench`.
 *
 *   npm run bench [-- --quick] [-- --only 4,5] [-- --big-runs N]
 */
import { cpus, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { connect } from "marimo-pair";
import { makeTempDir, openRawSession, startMarimo } from "../test/helpers/marimo-server.ts";
import { coldStart } from "./cold-start.ts";
import { discovery } from "./discovery.ts";
import { scriptRows, scriptsUnavailable } from "./scripts.ts";
import { largeOutput, roundTrip } from "./execute.ts";
import { benchBrowser, screenshotLatency } from "./screenshot.ts";
import { printTable, type Row } from "./stats.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const quick = process.argv.includes("--quick");
// `--only 4,5`: run just those rows (row 5 reuses row 3's registry, so 3 runs along with it).
const onlyAt = process.argv.indexOf("--only");
const only = onlyAt === -1 ? undefined : new Set((process.argv[onlyAt + 1] ?? "").split(","));
// `--big-runs N`: runs of row 5's 50 MB exec, whose script side takes minutes on a loaded machine.
const bigRunsAt = process.argv.indexOf("--big-runs");
const bigRuns = bigRunsAt === -1 ? undefined : Number(process.argv[bigRunsAt + 1]);
const wanted = (row: string) => only === undefined || only.has(row) || (row === "3" && only.has("5"));

const rows: Row[] = [];
const server = await startMarimo();
let marimoVersion = "?";
try {
  const session = await openRawSession(server);
  const client = connect(server.url);
  const nb = await client.session({ sessionId: session.sessionId });
  marimoVersion = await client.version();
  if (wanted("1")) {
    console.error("row 1: execute round trip…");
    rows.push(...(await roundTrip(nb, server.url, session.sessionId, quick ? 20 : 100)));
  }
  if (wanted("2")) {
    console.error("row 2: 50 MB of stdout…");
    rows.push(...(await largeOutput(nb, server.url, session.sessionId, quick ? 1 : 3)));
  }
  const registryFile = join(server.registryDir, `127.0.0.1_${server.port}.json`);
  const registry = join(await makeTempDir("bench-registry-"), "servers");
  if (wanted("3")) {
    console.error("row 3: discovery over 100 entries…");
    rows.push(...(await discovery(registry, registryFile, quick ? 2 : 5)));
  }
  const scriptsDir = process.env["MARIMO_PAIR_SCRIPTS_DIR"];
  const unavailable = scriptsUnavailable(scriptsDir);
  if (!wanted("5")) {
    // not asked for
  } else if (unavailable === undefined && scriptsDir !== undefined) {
    console.error("row 5: the bash scripts against the CLI…");
    const cli = join(ROOT, "dist", "cli", "main.js");
    rows.push(...scriptRows({ dir: scriptsDir, cli, url: server.url, sessionId: session.sessionId, registryDir: registry, runs: quick ? 3 : 9, bigRuns: bigRuns ?? (quick ? 1 : 3) }));
  } else {
    console.error(`row 5 skipped: ${unavailable}`);
  }
  await session.close();
} finally {
  await server.stop();
}
if (wanted("4")) {
  console.error("row 4: cold start…");
  rows.push(...coldStart(ROOT, quick ? 5 : 15));
}
if (wanted("6")) {
  const chromiumPath = benchBrowser();
  if (chromiumPath !== undefined) {
    console.error("row 6: screenshot latency…");
    rows.push(...(await screenshotLatency(chromiumPath, quick ? 3 : 10)));
  } else {
    console.error("row 6 skipped: no Chromium (set MARIMO_PAIR_CHROMIUM)");
  }
}

console.log(
  `\nmarimo-pair benchmarks, ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, ` +
    `${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, marimo ${marimoVersion}\n`,
);
printTable(rows);
