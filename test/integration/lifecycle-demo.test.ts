/**
 * The demo (`npm run demo -- --exit-when-done`) runs end to end against real marimo:
 * it launches its own server, builds the analysis, prints it, and leaves nothing running.
 */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { makeTempDir, processesWithEnv } from "../helpers/marimo-server.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const NODE = join(ROOT, "node_modules", ".bin", "node");
const run = promisify(execFile);

describe("the demo", () => {
  it("builds the analysis, prints each step, the cells and the URL, and exits cleanly", async () => {
    if (!existsSync(join(ROOT, "dist", "index.js"))) throw new Error("Build first: npm run build");
    const tag = randomUUID();
    const state = await makeTempDir("demo-state-");
    const { stdout } = await run(NODE, [join(ROOT, "examples", "demo", "run.ts"), "--exit-when-done"], {
      cwd: ROOT,
      timeout: 180_000,
      env: {
        ...process.env,
        XDG_STATE_HOME: state,
        XDG_CONFIG_HOME: join(state, "config"),
        XDG_CACHE_HOME: join(state, "cache"),
        MARIMO_SKIP_UPDATE_CHECK: "1",
        MARIMO_PAIR_MARIMO_OF: process.env["MARIMO_PAIR_TEST_RUN"] ?? "adhoc",
        MARIMO_PAIR_SERVER: tag,
      },
    });
    expect(stdout).toMatch(/marimo 0\.25\.2 is up at (http:\/\/127\.0\.0\.1:\d+)/);
    const url = /is up at (\S+)/.exec(stdout)?.[1];
    expect(stdout).toContain(`watch it live: ${url}`);
    expect(stdout).toMatch(/3\.0 ran the notebook's own cell: \S+\n/);
    expect(stdout).toMatch(/3\.1 setup cell: imports: cell \S+ idle\n/);
    expect(stdout).toMatch(/3\.2 data: .*: cell \S+ idle\n/);
    expect(stdout).toMatch(/3\.3 chart: .*: cell \S+ idle\n/);
    expect(stdout).toMatch(/3\.4 summary: .*: cell \S+ idle\n/);
    expect(stdout).toContain("→ (an interactive table)");
    expect(stdout).toContain("→ (an SVG chart)");
    expect(stdout).toMatch(/→ Summary Mean temperature over the year: \d+\.\d °C/);
    expect(stdout).toMatch(/Warmest month: \w{3} \(\d+\.\d °C\)/);
    expect(stdout).toMatch(/done\n$/);
    expect(await processesWithEnv("MARIMO_PAIR_SERVER", tag)).toEqual([]);
  });
});
