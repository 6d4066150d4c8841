/**
 * Reruns the reliability and security suites with MARIMO_PAIR_FIGURES=1 and prints the
 * figures the README's "Reliability" section quotes: tests per file, failures, and the
 * timings the suites report. `node scripts/reliability-figures.ts [--unit-only]`.
 *
 * Needs a current build (`npm run build`, for the CLI) and the project's .venv
 * (`npm run setup`) for the integration files. The raw outputs are kept under
 * test-artifacts/reliability/.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "test-artifacts", "reliability");
mkdirSync(out, { recursive: true });
const vitest = join(root, "node_modules", "vitest", "vitest.mjs");

const suites: { project: "unit" | "slow" | "integration"; files: string[] }[] = [
  {
    project: "unit",
    files: ["test/unit/http", "test/unit/execute", "test/unit/discovery/registry-read.test.ts"],
  },
  {
    project: "slow",
    files: [
      "test/slow/http",
      "test/slow/execute",
      "test/slow/codemode/injection.test.ts",
      "test/slow/codemode/python-literal.test.ts",
      "test/slow/discovery/registry-fuzz.test.ts",
      "test/slow/discovery/discover.test.ts",
      "test/slow/reliability",
    ],
  },
  {
    project: "integration",
    files: [
      "test/integration/reliability.test.ts",
      "test/integration/reliability-security.test.ts",
    ],
  },
];

interface JsonReport {
  numTotalTests: number;
  numFailedTests: number;
  testResults: {
    name: string;
    startTime: number;
    endTime: number;
    assertionResults: { status: string; title: string; duration?: number | null }[];
  }[];
}

let failed = 0;
for (const suite of suites) {
  if (suite.project === "integration" && process.argv.includes("--unit-only")) continue;
  const report = join(out, `${suite.project}.json`);
  const run = spawnSync(
    process.execPath,
    [vitest, "run", "--project", suite.project, ...suite.files, "--reporter=default", "--reporter=json", `--outputFile.json=${report}`],
    { cwd: root, encoding: "utf8", env: { ...process.env, MARIMO_PAIR_FIGURES: "1" }, maxBuffer: 64 * 1024 * 1024 },
  );
  // Without colours, so the figures can be matched line by line.
  const text = `${run.stdout}\n${run.stderr}`.replace(/\x1b\[[0-9;]*m/g, "");
  writeFileSync(join(out, `${suite.project}.log`), text);
  const json = JSON.parse(readFileSync(report, "utf8")) as JsonReport;
  failed += json.numFailedTests + (run.status === 0 ? 0 : 1);
  console.log(`\n## ${suite.project}: ${json.numTotalTests} tests, ${json.numFailedTests} failed`);
  for (const file of json.testResults) {
    const passed = file.assertionResults.filter((a) => a.status === "passed").length;
    const seconds = ((file.endTime - file.startTime) / 1000).toFixed(1);
    console.log(`- ${file.name.slice(root.length + 1)}: ${passed}/${file.assertionResults.length} passed, ${seconds} s`);
  }
  // One-line figures: "<name> figures {json}".
  for (const match of text.matchAll(/^([\w -]+) figures (\{.*\})$/gm)) {
    console.log(`\n${match[1]}: ${match[2]}`);
  }
  // The fault suite prints its durations as one pretty-printed object.
  const fault = /^\{\n "[\s\S]*?\n\}$/m.exec(text);
  if (fault !== null) {
    const durations = JSON.parse(fault[0]) as Record<string, number>;
    console.log(`\nfault cases (ms):`);
    for (const [name, ms] of Object.entries(durations)) console.log(`  ${String(ms).padStart(8)}  ${name}`);
  }
}
console.log(`\nfailures: ${failed}`);
process.exit(failed === 0 ? 0 : 1);
