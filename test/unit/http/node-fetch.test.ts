import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadAgent } from "../../../src/http/node-fetch.js";

const SRC = join(import.meta.dirname, "../../../src");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : [],
  );
}

describe("undici's Agent", () => {
  it("is the class undici's public entry exports", async () => {
    const { Agent } = await import("undici");
    expect(await loadAgent()).toBe(Agent);
  });

  it("is never imported through one of undici's internal module paths", () => {
    const internal = sources(SRC).filter((file) => /["']undici\/(?!package\.json)/.test(readFileSync(file, "utf8")));
    expect(internal).toEqual([]);
  });
});
