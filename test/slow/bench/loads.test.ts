/**
 * `npm run bench` runs under plain Node (type stripping), which resolves imports exactly as
 * written: a `.js` specifier that only vitest maps to a `.ts` file breaks the bench without
 * any test noticing. Each bench module and what it imports must load there (but the two
 * entries, which do their work on import: run.ts starts a server, rss-probe.ts connects).
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

describe("the bench", () => {
  it("loads under plain Node", () => {
    const modules = readdirSync(join(ROOT, "bench"))
      .filter((name) => name.endsWith(".ts") && !["run.ts", "rss-probe.ts"].includes(name))
      .map((name) => join(ROOT, "bench", name));
    // What run.ts imports from the test helpers.
    modules.push(join(ROOT, "test", "helpers", "marimo-server.ts"));
    expect(modules.length).toBeGreaterThan(5);
    const script = modules.map((file) => `await import(${JSON.stringify(pathToFileURL(file).href)});`).join("\n");
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: ROOT, encoding: "utf8" });
    expect(run.stderr).not.toMatch(/ERR_MODULE_NOT_FOUND/);
    expect(run.status).toBe(0);
  });
});
