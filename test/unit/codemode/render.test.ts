import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

import { codeMode } from "../../../src/codemode.js";
import { compareMarimoVersions, isAtLeast, parseMarimoVersion } from "../../../src/version.js";
import { extractEnvelope } from "../../../src/codemode/envelope.js";
import { recoveryPython } from "../../../src/codemode/render.js";
import { PY_EMIT } from "../../../src/codemode/python-prelude.js";
import { oraclePython } from "./python-oracle.js";
import { UnsupportedVersionError } from "../../../src/errors.js";

describe("version gates of toPython", () => {
  const packages = codeMode((b) => b.installPackages("inflection"));

  it("uses ctx.packages.add from 0.23.2 and the legacy alias before", () => {
    expect(packages.toPython({ marimoVersion: "0.23.2" })).toContain("_mp_ctx.packages.add('inflection')");
    expect(packages.toPython({ marimoVersion: "0.23.2.dev1" })).toContain("_mp_ctx.install_packages('inflection')");
    expect(packages.toPython({ marimoVersion: "0.22.5" })).toContain("_mp_ctx.install_packages('inflection')");
    expect(packages.toPython()).toContain("_mp_ctx.packages.add('inflection')");
  });

  it("refuses removal before 0.23.2, naming the version", () => {
    const plan = codeMode((b) => b.removePackages("x"));
    expect(() => plan.toPython({ marimoVersion: "0.23.1" })).toThrow(UnsupportedVersionError);
    expect(() => plan.toPython({ marimoVersion: "0.23.1" })).toThrow(/unsupported on marimo 0\.23\.1.*>= 0\.23\.2/);
  });

  it("refuses code mode before 0.21.1, and spells skipValidation check=False before 0.22.0", () => {
    expect(() => packages.toPython({ marimoVersion: "0.21.0" })).toThrow(UnsupportedVersionError);
    const plan = codeMode(() => undefined, { skipValidation: true });
    expect(plan.toPython({ marimoVersion: "0.21.1" })).toContain("get_context(check=False)");
    expect(plan.toPython({ marimoVersion: "0.22.0" })).toContain("get_context(skip_validation=True)");
  });

  it("passes skip_staleness_check only where marimo has the guard", () => {
    const plan = codeMode(() => undefined, { skipStalenessCheck: true });
    expect(plan.toPython({ marimoVersion: "0.23.7" })).toContain("get_context(skip_staleness_check=True)");
    expect(plan.toPython({ marimoVersion: "0.23.6" })).toContain("get_context()");
  });

  it("passes expand_output from 0.25.1 and refuses it before", () => {
    const plan = codeMode((b) => (b.createCell("x", { expandOutput: true }), b.editCell("y", { expandOutput: false })));
    const python = plan.toPython({ marimoVersion: "0.25.1" });
    expect(python).toContain("create_cell(_mp_code, expand_output=True)");
    expect(python).toContain("edit_cell(_mp_id, expand_output=False)");
    expect(() => plan.toPython({ marimoVersion: "0.25.0" })).toThrow(/expandOutput is unsupported on marimo 0\.25\.0/);
  });

  it("runs the cells marimo left unrun in a second batch before 0.25.2, for plans that run or edit cells", () => {
    const run = codeMode((b) => (b.editCell("a", { code: "x = 2" }), b.runCell("a"), b.runCell("b")));
    const second = "await _mp_finish_runs(_mp_ctx, _mp_doc)";
    expect(run.toPython({ marimoVersion: "0.25.1" })).toContain(second);
    expect(run.toPython({ marimoVersion: "0.23.7" })).toContain(second);
    expect(run.toPython({ marimoVersion: "0.25.2" })).not.toContain(second);
    expect(run.toPython()).not.toContain(second);
    // An edit alone still retires the old code marimo keeps for a never-run cell.
    expect(codeMode((b) => b.editCell("a", { code: "x = 2" })).toPython({ marimoVersion: "0.24.2" })).toContain(second);
    expect(codeMode((b) => b.createCell("x = 2")).toPython({ marimoVersion: "0.24.2" })).not.toContain(second);
    // On every release the result lists only the run targets marimo ran.
    expect(run.toPython({ marimoVersion: "0.25.2" })).toContain('doc["ran"] = _mp_ran(ctx, doc["ran"])');
  });

  it("uses a fresh nonce per call unless one is given", () => {
    const plan = codeMode((b) => b.runCell("a"));
    const nonce = (code: string) => /_mp_emit\('([^']+)'/.exec(code)?.[1];
    expect(nonce(plan.toPython())).not.toBe(nonce(plan.toPython()));
    expect(nonce(plan.toPython({ nonce: "fixed-nonce" }))).toBe("fixed-nonce");
    expect(() => plan.toPython({ nonce: "bad nonce'" })).toThrow(/nonce/);
  });
});

describe("marimo versions", () => {
  it("parses and orders releases, pre-releases and dev builds", () => {
    expect(parseMarimoVersion("0.23.7.dev3")).toEqual({ major: 0, minor: 23, patch: 7, suffix: "dev3" });
    expect(parseMarimoVersion("not a version")).toBeUndefined();
    const sorted = ["0.25.2", "0.23.7", "0.23.7.dev3", "0.9.1", "0.23.10"].sort(compareMarimoVersions);
    expect(sorted).toEqual(["0.9.1", "0.23.7.dev3", "0.23.7", "0.23.10", "0.25.2"]);
    const pep440 = ["0.23.7.post1", "0.23.7", "0.23.7rc1", "0.23.7b2", "0.23.7a1", "0.23.7.dev3", "0.23.7.dev10"];
    expect([...pep440].sort(compareMarimoVersions)).toEqual([
      "0.23.7.dev3",
      "0.23.7.dev10",
      "0.23.7a1",
      "0.23.7b2",
      "0.23.7rc1",
      "0.23.7",
      "0.23.7.post1",
    ]);
    expect(compareMarimoVersions("0.23.7+local", "0.23.7")).toBe(0);
    expect(isAtLeast("0.23.7.post1", "0.23.7")).toBe(true);
    expect(isAtLeast("garbage", "0.23.7")).toBe(true);
    expect(isAtLeast("0.25.2", "0.23.7")).toBe(true);
    expect(isAtLeast("0.23.6", "0.23.7")).toBe(false);
  });
});

describe("the marimo-pair/codemode entry", () => {
  it("imports nothing Node-only, and no HTTP or SSE library, transitively", () => {
    const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "src");
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, "utf8");
      for (const match of text.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?from\s+"([^"]+)";/gms)) {
        const [, typeOnly, spec] = match;
        if (spec === undefined) continue;
        expect(spec, `${file} imports ${spec}`).not.toMatch(/^node:|^ky$|^eventsource-parser$/);
        if (spec.startsWith(".") && typeOnly === undefined) visit(join(dirname(file), spec.replace(/\.js$/, ".ts")));
      }
    };
    visit(join(root, "codemode.ts"));
    expect(seen.size).toBeGreaterThan(10);
  });
});
