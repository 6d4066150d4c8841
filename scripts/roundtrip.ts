/**
 * Runs the Python string-literal round trip with more cases than CI does:
 * `npm run roundtrip:100k` (or `node scripts/roundtrip.ts <cases>`).
 */
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cases = process.argv[2] ?? "100000";
if (!/^\d+$/.test(cases)) {
  console.error(`usage: node scripts/roundtrip.ts [cases]; got '${cases}'`);
  process.exit(2);
}
const vitest = join(root, "node_modules", "vitest", "vitest.mjs");
const result = spawnSync(process.execPath, [vitest, "run", "--project", "slow", "test/slow/codemode/python-literal.test.ts"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, MARIMO_PAIR_ROUNDTRIP_CASES: cases },
});
process.exit(result.status ?? 1);
