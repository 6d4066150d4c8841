// Runs the integration suite against several marimo releases, each from its own cached
// virtualenv (.venvs/marimo-<version>, created on first use by setup-python.mjs --compat).
//
//   npm run test:compat                          every release in TESTED_RELEASES, whole suite
//   npm run test:compat -- 0.21.1 0.23.7         these releases
//   npm run test:compat -- --files test/integration/compat.test.ts   a subset of the suite
//   npm run test:compat -- --oldest --files …    only OLDEST_SUPPORTED (what `npm test` runs)
//
// Prints one line per release: passed/failed tests and wall time. Exit code 1 when any failed.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { OLDEST_SUPPORTED, TESTED_RELEASES } from "../src/version.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
/** The release in the project's own .venv (`npm run setup`); it gets no second venv. */
const PINNED = TESTED_RELEASES.at(-1);

/** The command line, parsed. */
export interface CompatArgs {
  versions: string[];
  files: string[];
}

/** Parse `[versions…] [--oldest] [--files f…]`. */
export function parseCompatArgs(args: readonly string[]): CompatArgs {
  const versions: string[] = [];
  const files: string[] = [];
  let inFiles = false;
  for (const arg of args) {
    if (arg === "--files") inFiles = true;
    else if (arg === "--oldest") versions.push(OLDEST_SUPPORTED);
    else if (inFiles) files.push(arg);
    else versions.push(arg);
  }
  return { versions: versions.length === 0 ? [...TESTED_RELEASES] : versions, files };
}

interface Outcome {
  version: string;
  passed: number;
  failed: number;
  skipped: number;
  seconds: number;
  ok: boolean;
}

function runOne(version: string, files: readonly string[]): Outcome {
  const report = join(tmpdir(), `marimo-pair-compat-${process.pid}-${version}.json`);
  const started = Date.now();
  const r = spawnSync(
    "npx",
    ["vitest", "run", "--project", "integration", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...files],
    { cwd: root, stdio: "inherit", env: { ...process.env, MARIMO_PAIR_TEST_MARIMO: version === PINNED ? join(root, ".venv") : version } },
  );
  const seconds = Math.round((Date.now() - started) / 1000);
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  try {
    const json = JSON.parse(readFileSync(report, "utf8")) as {
      numPassedTests: number;
      numFailedTests: number;
      numPendingTests: number;
      numTodoTests: number;
    };
    passed = json.numPassedTests;
    failed = json.numFailedTests;
    skipped = json.numPendingTests + json.numTodoTests;
    rmSync(report, { force: true });
  } catch {
    failed = Math.max(failed, 1);
  }
  return { version, passed, failed, skipped, seconds, ok: r.status === 0 };
}

function main(args: string[]): number {
  const { versions, files } = parseCompatArgs(args);
  const cached = versions.filter((v) => v !== PINNED);
  const setup = spawnSync(process.execPath, [join(root, "scripts", "setup-python.mjs"), "--compat", ...cached], {
    cwd: root,
    stdio: "inherit",
  });
  if (setup.status !== 0) return 1;
  const outcomes: Outcome[] = [];
  for (const version of versions) {
    console.log(`\n=== marimo ${version} ===`);
    outcomes.push(runOne(version, files));
  }
  console.log("\nmarimo   | passed | failed | skipped | time");
  for (const o of outcomes) {
    console.log(
      `${o.version.padEnd(8)} | ${String(o.passed).padStart(6)} | ${String(o.failed).padStart(6)} | ${String(o.skipped).padStart(7)} | ${o.seconds} s${o.ok ? "" : "  FAILED"}`,
    );
  }
  return outcomes.every((o) => o.ok) ? 0 : 1;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = main(process.argv.slice(2));
}
