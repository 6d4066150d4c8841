/**
 * `marimo-pair/client` must run wherever `fetch` and web streams exist: walk the static
 * import graph from src/client.ts (relative `.js` specifiers resolve to `.ts` sources) and
 * require that nothing in it imports a `node:` module or a Node-only package, and that
 * discovery contributes only its types.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const ENTRY = join(ROOT, "src", "client.ts");
/** Packages that exist only on Node. */
const NODE_ONLY_PACKAGES = ["undici"];
/** Builtins that may be imported without the `node:` prefix. */
const BARE_BUILTINS = ["fs", "path", "os", "child_process", "http", "https", "net", "url", "crypto", "stream", "events", "util", "process"];

/** Every module specifier in a source file: static imports and re-exports (type-only too), and `import()`. */
function specifiers(source: string): string[] {
  // Comments may mention modules; they do not import them.
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
  const found: string[] = [];
  for (const m of code.matchAll(/^\s*(?:import|export)\s[^;]*?\bfrom\s*["']([^"']+)["']/gm)) found.push(m[1] ?? "");
  for (const m of code.matchAll(/^\s*import\s*["']([^"']+)["']/gm)) found.push(m[1] ?? "");
  for (const m of code.matchAll(/\bimport\s*\(\s*["']([^"']+)["']\s*\)/g)) found.push(m[1] ?? "");
  return found;
}

interface Graph {
  /** Source files reached, relative to the repository root. */
  files: string[];
  /** Bare (non-relative) specifiers, with the file importing each. */
  external: { from: string; specifier: string }[];
  /** Relative specifiers that did not resolve to a file. */
  unresolved: string[];
}

function walk(entry: string): Graph {
  const graph: Graph = { files: [], external: [], unresolved: [] };
  const queue = [entry];
  const visited = new Set<string>();
  while (queue.length > 0) {
    const file = queue.shift();
    if (file === undefined || visited.has(file)) continue;
    visited.add(file);
    const from = relative(ROOT, file);
    graph.files.push(from);
    for (const specifier of specifiers(readFileSync(file, "utf8"))) {
      if (!specifier.startsWith(".")) {
        graph.external.push({ from, specifier });
        continue;
      }
      const target = resolve(dirname(file), specifier.replace(/\.js$/, ".ts"));
      if (existsSync(target)) queue.push(target);
      else graph.unresolved.push(`${from} → ${specifier}`);
    }
  }
  graph.files.sort();
  return graph;
}

describe("the marimo-pair/client entry", () => {
  const graph = walk(ENTRY);

  it("reaches the client, sessions, execute and http modules (the walk is not vacuous)", () => {
    expect(graph.unresolved).toEqual([]);
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
    const node = walk(join(ROOT, "src", "http", "node-fetch.ts"));
    expect(node.external.map((e) => e.specifier)).toContain("undici");
    expect(specifiers('import { x } from "node:fs";\nexport type { Y } from "node:http";\nconst m = await import("node:os");')).toEqual([
      "node:fs",
      "node:http",
      "node:os",
    ]);
  });
});
