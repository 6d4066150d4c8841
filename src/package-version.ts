/**
 * This package's version, read from its package.json: the nearest one named `marimo-pair`
 * above the running module (sources and bundled chunks sit at different depths).
 *
 * @module
 */
/** The package's version, or `fallback` when no package.json of ours is found. */
export async function packageVersion(fallback: string): Promise<string> {
  // Not imported at the top: an ESM import of node:fs/promises also loads readline and the
  // REPL's history module (~9 ms), which `marimo-pair --help` would pay for nothing.
  const { readFile } = process.getBuiltinModule("node:fs/promises");
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
