/**
 * `marimo-pair/client` must run wherever `fetch` and web streams exist: walk the static
 * import graph from src/client.ts (relative `.js` specifiers resolve to `.ts` sources) and
 * require that nothing in it imports a `node:` module or a Node-only package, and that
 * discovery contributes only its types.
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { importGraph, importsOf, reachable } from "../architecture/import-graph.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
/** Packages that exist only on Node. */
const NODE_ONLY_PACKAGES = ["undici"];
/** Builtins that may be imported without the `node:` prefix. */
const BARE_BUILTINS = ["fs", "path", "os", "child_process", "http", "https", "net", "url", "crypto", "stream", "events", "util", "process"];

const SOURCES = importGraph(ROOT);

/** The files reached from `entry` (type-only imports included), and the packages they import. */
function walk(entry: string): { files: string[]; external: { from: string; specifier: string }[] } {
  const files = reachable(SOURCES, entry);
  const external = SOURCES.edges
    .filter((e) => files.has(e.from) && e.target === undefined)
    .map((e) => ({ from: `${e.from}:${e.line}`, specifier: e.specifier }));
  return { files: [...files].sort(), external };
}

describe("the marimo-pair/client entry", () => {
  const graph = walk("src/client.ts");

  it("reaches the client, sessions, execute and http modules (the walk is not vacuous)", () => {
    expect(SOURCES.edges.filter((e) => e.specifier.startsWith(".") && e.target === undefined)).toEqual([]);
    for (const file of ["src/session/client.ts", "src/session/notebook.ts", "src/execute/stream.ts", "src/execute/sse.ts", "src/http/client.ts", "src/errors.ts"]) {
      expect(graph.files).toContain(file);
    }
    expect(graph.external.map((e) => e.specifier)).toContain("eventsource-parser");
  });

  it("imports no node: module, no bare Node builtin and no Node-only package", () => {
    const nodeOnly = graph.external.filter(
      ({ specifier }) =>
        specifier.startsWith("node:") ||
        BARE_BUILTINS.includes(specifier.split("/")[0] ?? "") ||
        NODE_ONLY_PACKAGES.includes(specifier.split("/")[0] ?? ""),
    );
    expect(nodeOnly).toEqual([]);
  });

  it("takes nothing from discovery but its types, and not the Node entry's fetch", () => {
    const discovery = graph.files.filter((f) => f.startsWith("src/discovery/"));
    expect(discovery.every((f) => f === "src/discovery/types.ts")).toBe(true);
    expect(graph.files).not.toContain("src/http/node-fetch.ts");
    expect(graph.files).not.toContain("src/session/connect-node.ts");
  });

  it("the checker itself sees node: imports (control: the Node entry has them)", () => {
    const node = walk("src/http/node-fetch.ts");
    expect(node.external.map((e) => e.specifier)).toContain("undici");
    expect(importsOf('import { x } from "node:fs";\nexport type { Y } from "node:http";\nconst m = await import("node:os");').map((e) => e.specifier)).toEqual([
      "node:fs",
      "node:http",
      "node:os",
    ]);
  });
});
