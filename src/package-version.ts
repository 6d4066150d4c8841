/**
 * This package's version, read from its package.json: the nearest one named `marimo-pair`
 * above the running module (sources and bundled chunks sit at different depths).
 *
 * @module
 */
import { readFile } from "node:fs/promises";

/** The package's version, or `fallback` when no package.json of ours is found. */
export async function packageVersion(fallback: string): Promise<string> {
  let url = new URL("./", import.meta.url);
  for (;;) {
    try {
      const parsed: unknown = JSON.parse(await readFile(new URL("package.json", url), "utf8"));
      if (typeof parsed === "object" && parsed !== null && (parsed as { name?: unknown }).name === "marimo-pair") {
        const version = (parsed as { version?: unknown }).version;
        return typeof version === "string" ? version : fallback;
      }
    } catch {
      // No package.json here (or unreadable): keep climbing.
    }
    const parent = new URL("../", url);
    if (parent.href === url.href) return fallback;
    url = parent;
  }
}
