/**
 * Golden files: representative plans and queries render to exactly the committed Python.
 * Refresh them after an intended change with `UPDATE_GOLDEN=1 npx vitest run --project unit
 * test/unit/codemode/golden.test.ts`, and review the diff.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

import { GOLDEN_CASES } from "../../unit/codemode/golden-plans.js";
import { PythonOracle } from "../../unit/codemode/python-oracle.js";

const DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "fixtures", "golden");
const UPDATE = process.env["UPDATE_GOLDEN"] === "1";

const oracle = new PythonOracle();
afterAll(() => oracle.close());

describe("golden Python", () => {
  for (const [name, render] of Object.entries(GOLDEN_CASES)) {
    it(`${name}.py is unchanged and compiles`, async () => {
      const file = join(DIR, `${name}.py`);
      const actual = render();
      if (UPDATE || !existsSync(file)) {
        if (!UPDATE) throw new Error(`${file} is missing: run with UPDATE_GOLDEN=1 to create it.`);
        mkdirSync(DIR, { recursive: true });
        writeFileSync(file, actual);
      }
      expect(actual).toBe(readFileSync(file, "utf8"));
      expect(actual).toMatch(/^[\x20-\x7e\n]*$/);
      const { strings } = await oracle.program(actual);
      expect(strings.length).toBeGreaterThan(0);
    });
  }
});
