import { describe, expect, it } from "vitest";
import { CHROMIUM_PATH, chromiumPlan } from "../../../scripts/setup-chromium.ts";
import { parseCompatArgs } from "../../../scripts/test-compat.ts";
import { diffSets } from "../../../scripts/upstream-watch.ts";
import { OLDEST_SUPPORTED, TESTED_RELEASES } from "../../../src/version.js";

describe("setup: Chromium", () => {
  const linux = { platform: "linux" as const, chromiumPresent: false, isRoot: true, hasApt: true };

  it("leaves an installed Chromium alone", () => {
    expect(chromiumPlan({ ...linux, chromiumPresent: true })).toMatchObject({ action: "present" });
  });

  it("installs Debian's chromium through apt as root", () => {
    const plan = chromiumPlan(linux);
    expect(plan).toMatchObject({ action: "install", env: { DEBIAN_FRONTEND: "noninteractive" } });
    if (plan.action !== "install") throw new Error("unreachable");
    expect(plan.commands).toEqual([
      ["apt-get", "update"],
      ["apt-get", "install", "-y", "--no-install-recommends", "chromium"],
    ]);
  });

  it("prints the exact command when it is not root", () => {
    const plan = chromiumPlan({ ...linux, isRoot: false });
    expect(plan.action).toBe("manual");
    if (plan.action !== "manual") throw new Error("unreachable");
    expect(plan.command).toBe("sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium");
    expect(plan.message).toContain(plan.command);
  });

  it("says what is needed where there is no apt", () => {
    for (const probe of [{ ...linux, hasApt: false }, { ...linux, platform: "darwin" as const }]) {
      const plan = chromiumPlan(probe);
      expect(plan.action).toBe("manual");
      expect(plan.message).toContain(CHROMIUM_PATH);
    }
  });
});

describe("test:compat arguments", () => {
  it("defaults to every tested release, and narrows to versions and files", () => {
    expect(parseCompatArgs([])).toEqual({ versions: [...TESTED_RELEASES], files: [] });
    expect(parseCompatArgs(["0.22.5", "--files", "a.test.ts", "b.test.ts"])).toEqual({
      versions: ["0.22.5"],
      files: ["a.test.ts", "b.test.ts"],
    });
    expect(parseCompatArgs(["--oldest"]).versions).toEqual([OLDEST_SUPPORTED]);
  });
});

describe("upstream:watch", () => {
  it("reports what only one side has", () => {
    expect(diffSets(["GET /a", "POST /b"], ["POST /b", "GET /c"])).toEqual({ removed: ["GET /a"], added: ["GET /c"] });
  });
});
