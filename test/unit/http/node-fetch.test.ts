import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createNodeFetch, loadAgent } from "../../../src/http/node-fetch.js";
import { PREPARE, prepareFetch } from "../../../src/http/prepare-fetch.js";

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

describe("preparing a fetch", () => {
  it("the Node fetch loads undici's Agent when prepared, before any request, and only once", async () => {
    const { Agent } = await import("undici");
    const fetchImpl = createNodeFetch() as typeof fetch & { [PREPARE]: () => Promise<unknown> };
    const agent = await fetchImpl[PREPARE]();
    expect(agent).toBeInstanceOf(Agent);
    expect(await fetchImpl[PREPARE]()).toBe(agent);
    await prepareFetch(fetchImpl);
  });

  it("a fetch without a prepare function (the global one, an injected one) needs none", async () => {
    await expect(prepareFetch(undefined)).resolves.toBeUndefined();
    await expect(prepareFetch(globalThis.fetch)).resolves.toBeUndefined();
  });
});
