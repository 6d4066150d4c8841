/**
 * The built package as users get it: every `exports` entry of package.json is a bundle that
 * exports exactly what its source entry does, entries share one copy of each class (an error
 * thrown through one entry is `instanceof` the class from another), `marimo-pair/client` loads
 * nothing Node-only, the declarations carry no test hook, and the binary's `--version` finds
 * the package's version.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const PKG = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  version: string;
  exports: Record<string, string | { types: string; import: string }>;
  bin: Record<string, string>;
};
const ENTRIES = Object.entries(PKG.exports).flatMap(([name, target]) => (typeof target === "string" ? [] : [{ name, ...target }]));
const NODE = join(ROOT, "node_modules", ".bin", "node");

/** The source entry behind a built one: dist/x.js → src/x.ts. */
function sourceOf(built: string): string {
  return join(ROOT, built.replace(/^\.\/dist\//, "src/").replace(/\.js$/, ".ts"));
}

/** Every file the static imports of `file` reach inside dist/, and every bare or builtin specifier. */
function staticGraph(file: string): { files: Set<string>; external: Set<string> } {
  const files = new Set<string>();
  const external = new Set<string>();
  const visit = (path: string): void => {
    if (files.has(path)) return;
    files.add(path);
    const code = readFileSync(path, "utf8");
    for (const m of code.matchAll(/^\s*(?:import|export)\s(?:[^;]*?\bfrom\s*)?["']([^"']+)["']/gm)) {
      const spec = m[1] ?? "";
      if (spec.startsWith(".")) visit(resolve(dirname(path), spec));
      else external.add(spec);
    }
  };
  visit(file);
  return { files, external };
}

describe("the built package", () => {
  it("lists the four entries, each with a bundle and declarations", () => {
    expect(ENTRIES.map((e) => e.name)).toEqual([".", "./client", "./codemode", "./tools"]);
    for (const entry of ENTRIES) {
      expect(existsSync(join(ROOT, entry.import)), entry.import).toBe(true);
      expect(existsSync(join(ROOT, entry.types)), entry.types).toBe(true);
    }
  });

  it.each(ENTRIES)("entry $name exports exactly the names of its source", async (entry) => {
    const built = (await import(pathToFileURL(join(ROOT, entry.import)).href)) as Record<string, unknown>;
    const source = (await import(pathToFileURL(sourceOf(entry.import)).href)) as Record<string, unknown>;
    expect(Object.keys(built).sort()).toEqual(Object.keys(source).sort());
    expect(Object.keys(built).length).toBeGreaterThan(3);
  });

  it("shares one copy of each class across entries", async () => {
    const main = (await import(pathToFileURL(join(ROOT, "dist", "index.js")).href)) as Record<string, unknown>;
    const client = (await import(pathToFileURL(join(ROOT, "dist", "client.js")).href)) as Record<string, unknown>;
    const codemode = (await import(pathToFileURL(join(ROOT, "dist", "codemode.js")).href)) as Record<string, unknown>;
    // Classes (and every other capitalised export); `connect` differs on purpose (the Node
    // entry's fetch has no body timeout).
    const shared = Object.keys(client).filter((name) => name in main && /^[A-Z]/.test(name));
    expect(shared).toContain("MarimoPairError");
    expect(shared).toContain("NotebookSession");
    for (const name of shared) expect(client[name], name).toBe(main[name]);
    for (const name of Object.keys(codemode).filter((n) => n in main)) expect(codemode[name], name).toBe(main[name]);
  });

  it("loads nothing Node-only through marimo-pair/client", () => {
    const { files, external } = staticGraph(join(ROOT, "dist", "client.js"));
    expect(files.size).toBeGreaterThan(1);
    const nodeOnly = [...external].filter((s) => s.startsWith("node:") || s === "undici" || s.startsWith("undici/"));
    expect(nodeOnly).toEqual([]);
    // The Node entry does load them: the check above would see it.
    expect([...staticGraph(join(ROOT, "dist", "index.js")).external].some((s) => s.startsWith("node:"))).toBe(true);
  });

  it("runs the binary from its bundle, which finds the package version", () => {
    const bin = join(ROOT, PKG.bin["marimo-pair"] ?? "");
    expect(readFileSync(bin, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
    expect(execFileSync(NODE, [bin, "--version"], { encoding: "utf8" })).toBe(`${PKG.version}\n`);
  });
  it("declares no test hook or internal member (stripInternal)", () => {
    const declarations = (file: string): string => readFileSync(join(ROOT, "dist", file), "utf8");
    expect(declarations("codemode/executor.d.ts")).not.toMatch(/\bnonce\?:/);
    expect(declarations("codemode/render.d.ts")).not.toMatch(/\bnonce\?:/);
    expect(declarations("codemode/plan.d.ts")).not.toMatch(/\boperations:/);
    expect(declarations("launch/launch.d.ts")).not.toMatch(/\bprobe\?:/);
    expect(declarations("discovery/directories.d.ts")).not.toMatch(/\bsystem\?:/);
    expect(declarations("discovery/paths.d.ts")).not.toMatch(/\bplatform\?:/);
    // The public members beside them are still declared.
    expect(declarations("codemode/executor.d.ts")).toMatch(/\bmarimoVersion\?:/);
    expect(declarations("launch/launch.d.ts")).toMatch(/\bnotebook\?:/);
  });
});
