/**
 * Integration-suite global setup: one temp root and one run id for every marimo
 * process the tests start; teardown proves that none of them outlived the suite
 * (every process whose environment carries this run id is gone).
 */
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { MARIMO_BIN, processesWithEnv, TEST_MARIMO_VERSION } from "./marimo-server.js";

export default async function setup(project: TestProject) {
  if (!existsSync(MARIMO_BIN)) {
    const chosen = process.env["MARIMO_PAIR_TEST_MARIMO"];
    throw new Error(
      chosen === undefined
        ? `Integration tests need ${MARIMO_BIN}: run \`npm run setup\` first.`
        : `MARIMO_PAIR_TEST_MARIMO=${chosen} names no marimo (${MARIMO_BIN} is missing): \`npm run test:compat -- ${chosen}\` creates the virtualenv.`,
    );
  }
  project.provide("marimoVersion", TEST_MARIMO_VERSION);
  const runId = randomUUID();
  const tmp = join(tmpdir(), `marimo-pair-tests-${runId.slice(0, 8)}`);
  process.env["MARIMO_PAIR_TEST_RUN"] = runId;
  process.env["MARIMO_PAIR_TEST_TMP"] = tmp;
  project.provide("marimoRunId", runId);

  return async () => {
    // Give SIGTERMed servers a moment to finish exiting.
    let left = await processesWithEnv("MARIMO_PAIR_MARIMO_OF", runId);
    for (let i = 0; i < 50 && left.length > 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      left = await processesWithEnv("MARIMO_PAIR_MARIMO_OF", runId);
    }
    await rm(tmp, { recursive: true, force: true });
    if (left.length > 0) {
      const described = await Promise.all(
        left.map(async (pid) => {
          const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
          return `${pid} (${cmdline.split("\0").filter(Boolean).join(" ").slice(0, 200)})`;
        }),
      );
      for (const pid of left) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          /* gone */
        }
      }
      throw new Error(`marimo processes outlived the suite: ${described.join(", ")}`);
    }
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    marimoRunId: string;
    /** The marimo version the integration tests run against. */
    marimoVersion: string;
  }
}
