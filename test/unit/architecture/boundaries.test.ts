/**
 * The layout's rules (DESIGN.md, "Public surface and layout"), checked on the import graph of
 * src/: no import cycle, type-only imports included; code mode stays pure; each dependency
 * is imported in its one folder. A failure names the file, the line and the import. The
 * client entry's freedom from `node:` is checked in test/unit/session/client-entry.test.ts.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { type Boundary, crossings, findCycles, type ImportEdge, importGraph, importsOf, reachable } from "./import-graph.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

const isPackage = (edge: ImportEdge, name: string): boolean => edge.specifier === name || edge.specifier.startsWith(`${name}/`);
const under = (edge: ImportEdge, folder: string): boolean => edge.from.startsWith(folder);

/** What code mode may import: itself, the wire schemas, the version gates, the errors, and zod. */
function pureTarget(edge: ImportEdge): boolean {
  if (edge.target === undefined) return isPackage(edge, "zod");
  return edge.target.startsWith("src/codemode/") || edge.target.startsWith("src/schemas/") || edge.target === "src/version.ts" || edge.target === "src/errors.ts" || edge.target === "src/hints.ts";
}

/** The modules everything may import, which import only each other. */
const BASE = new Set(["src/errors.ts", "src/hints.ts", "src/version.ts"]);

/** The boundaries of the layout. */
const BOUNDARIES: Boundary[] = [
  {
    rule: "src/codemode/ imports only src/codemode/, src/schemas/, src/version.ts, src/errors.ts, src/hints.ts and zod",
    forbids: (e) => under(e, "src/codemode/") && !pureTarget(e),
  },
  {
    rule: "src/schemas/ imports only src/schemas/, src/errors.ts and zod",
    forbids: (e) =>
      under(e, "src/schemas/") && !(e.target === undefined ? isPackage(e, "zod") : e.target.startsWith("src/schemas/") || e.target === "src/errors.ts"),
  },
  {
    rule: "src/errors.ts, src/hints.ts and src/version.ts import nothing but each other",
    forbids: (e) => BASE.has(e.from) && (e.target === undefined || !BASE.has(e.target)),
  },
  { rule: "ky only under src/http/", forbids: (e) => isPackage(e, "ky") && !under(e, "src/http/") },
  { rule: "eventsource-parser only under src/execute/", forbids: (e) => isPackage(e, "eventsource-parser") && !under(e, "src/execute/") },
  { rule: "playwright-core only under src/outputs/", forbids: (e) => isPackage(e, "playwright-core") && !under(e, "src/outputs/") },
  { rule: "playwright-core is an optional peer: import() it, or import its types", forbids: (e) => isPackage(e, "playwright-core") && !e.dynamic && !e.typeOnly },
  {
    rule: "the MCP SDK only through src/mcp-sdk.ts",
    forbids: (e) => isPackage(e, "@modelcontextprotocol/sdk") && e.from !== "src/mcp-sdk.ts",
  },
  {
    rule: "the optional MCP SDK is loaded lazily: import() it, or import its types",
    forbids: (e) => isPackage(e, "@modelcontextprotocol/sdk") && !e.dynamic && !e.typeOnly,
  },
];

describe("the layout of src/", () => {
  const graph = importGraph(ROOT);

  it("reads the whole tree (the checks are not vacuous)", () => {
    expect(graph.files.length).toBeGreaterThan(100);
    expect(graph.files).toContain("src/codemode/plan.ts");
    expect(graph.edges.some((e) => e.specifier === "eventsource-parser")).toBe(true);
    expect(graph.edges.some((e) => e.typeOnly && e.target !== undefined)).toBe(true);
  });

  it("resolves every relative import", () => {
    expect(graph.edges.filter((e) => e.specifier.startsWith(".") && e.target === undefined).map((e) => `${e.from}:${e.line} imports "${e.specifier}"`)).toEqual([]);
  });

  it("has no import cycle, type-only imports included", () => {
    expect(findCycles(graph)).toEqual([]);
  });

  it("crosses no boundary", () => {
    expect(crossings(graph, BOUNDARIES)).toEqual([]);
  });

  it("keeps marimo-pair/codemode pure: everything it reaches imports no package but zod", () => {
    const files = reachable(graph, "src/codemode.ts");
    expect(files.size).toBeGreaterThan(10);
    const external = graph.edges.filter((e) => files.has(e.from) && e.target === undefined && !isPackage(e, "zod"));
    expect(external.map((e) => `${e.from}:${e.line} imports "${e.specifier}"`)).toEqual([]);
  });
});

describe("the checker", () => {
  const dir = mkdtempSync(join(tmpdir(), "mp-layout-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  write("src/a.ts", 'import type { B } from "./b.js";\nexport interface A { b: B }\n');
  write("src/b.ts", '\nexport type { A as B } from "./a.js";\n');
  write("src/c.ts", 'import { A } from "./d/index.js";\nexport const c = A;\n');
  write("src/d/index.ts", "export const A = 1;\n");
  write("src/codemode/leaky.ts", 'import { readFileSync } from "node:fs";\nimport { c } from "../c.js";\nimport { z } from "zod";\nexport const x = [readFileSync, c, z];\n');
  write("src/tools/fetcher.ts", 'import ky from "ky";\nconst sdk = () => import("@modelcontextprotocol/sdk/client/index.js");\nexport { ky, sdk };\n');
  write("src/outputs/shot.ts", 'import { chromium } from "playwright-core";\nexport const c = chromium;\n');
  const graph = importGraph(dir);

  it("finds a cycle made of type-only imports, and names files and lines", () => {
    expect(findCycles(graph)).toEqual(["src/a.ts:1 → src/b.ts:2 → src/a.ts"]);
  });

  it("finds a longer cycle once, whichever file the walk starts from", () => {
    write("src/e.ts", 'import "./f.js";\n');
    write("src/f.ts", 'import "./g.js";\n');
    write("src/g.ts", 'export {};\nconst later = () => import("./e.js");\n');
    expect(findCycles(importGraph(dir))).toEqual(["src/a.ts:1 → src/b.ts:2 → src/a.ts", "src/e.ts:1 → src/f.ts:1 → src/g.ts:2 → src/e.ts"]);
  });

  it("reports each crossing with its file, line and import", () => {
    expect(crossings(graph, BOUNDARIES)).toEqual([
      'src/codemode/leaky.ts:1 imports "node:fs" (src/codemode/ imports only src/codemode/, src/schemas/, src/version.ts, src/errors.ts, src/hints.ts and zod)',
      'src/codemode/leaky.ts:2 imports "../c.js" (src/codemode/ imports only src/codemode/, src/schemas/, src/version.ts, src/errors.ts, src/hints.ts and zod)',
      'src/tools/fetcher.ts:1 imports "ky" (ky only under src/http/)',
      'src/outputs/shot.ts:1 imports "playwright-core" (playwright-core is an optional peer: import() it, or import its types)',
      'src/tools/fetcher.ts:2 imports "@modelcontextprotocol/sdk/client/index.js" (the MCP SDK only through src/mcp-sdk.ts)',
    ]);
  });

  it("sees every kind of import", () => {
    const source = [
      'import a from "a";',
      'import type { B } from "b";',
      'import { type C, type D } from "c";',
      'import { type E, F } from "e";',
      'export * from "g";',
      'export type { H } from "h";',
      'import "i";',
      'const j = await import("j");',
      'let k: typeof import("k");',
      "// import x from \"not-an-import\";",
    ].join("\n");
    expect(importsOf(source).map((e) => `${e.specifier}${e.typeOnly ? " type" : ""}${e.dynamic ? " dynamic" : ""}`)).toEqual([
      "a",
      "b type",
      "c type",
      "e",
      "g",
      "h type",
      "i",
      "j dynamic",
      "k type",
    ]);
  });
});
