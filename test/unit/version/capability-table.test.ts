import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { withTable } from "../../../scripts/compat-table.ts";
import {
  compareMarimoVersions,
  FEATURE_SINCE,
  featuresOf,
  hasFeature,
  MARIMO_FEATURES,
  OLDEST_SUPPORTED,
  TESTED_RELEASES,
} from "../../../src/version.js";

const ROOT = join(import.meta.dirname, "..", "..", "..");

describe("the capability table", () => {
  it("is what the README's compatibility table shows (regenerate: node scripts/compat-table.ts)", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    expect(withTable(readme)).toBe(readme);
  });

  it("FEATURE_SINCE is the table's since column", () => {
    for (const [id, row] of Object.entries(MARIMO_FEATURES)) expect(FEATURE_SINCE[id as keyof typeof FEATURE_SINCE]).toBe(row.since);
  });

  it("gates at the first release of each feature, not before", () => {
    expect(hasFeature("0.23.15", "separateExecutes")).toBe(false);
    expect(hasFeature("0.23.16", "separateExecutes")).toBe(true);
    expect(hasFeature("0.23.16.dev1", "separateExecutes")).toBe(false);
    expect(hasFeature("0.21.1", "skewFreeSessionList")).toBe(false);
    const oldest = featuresOf(OLDEST_SUPPORTED);
    expect(oldest.execute && oldest.runCell).toBe(true);
    expect(Object.values(featuresOf("0.25.2")).every(Boolean)).toBe(true);
  });

  it("tests the oldest supported release and ends with the pinned one that setup installs", () => {
    expect(TESTED_RELEASES[0]).toBe(OLDEST_SUPPORTED);
    const sorted = [...TESTED_RELEASES].sort(compareMarimoVersions);
    expect(TESTED_RELEASES).toEqual(sorted);
    const setup = readFileSync(join(ROOT, "scripts", "setup-python.mjs"), "utf8");
    expect(setup).toContain(`const MARIMO_VERSION = "${TESTED_RELEASES.at(-1)}";`);
    // Every release where a feature starts after the oldest is tested (or its minor's newest patch is).
    for (const row of Object.values(MARIMO_FEATURES)) {
      if (compareMarimoVersions(row.since, OLDEST_SUPPORTED) <= 0) continue;
      expect(TESTED_RELEASES.some((v) => compareMarimoVersions(v, row.since) >= 0)).toBe(true);
    }
  });
});
