/**
 * The import graph of a source tree, read with the TypeScript parser (no type checking):
 * every static import and re-export (type-only ones included), every `import()` and every
 * `import("…")` type, with the file and line it comes from. Used to forbid import cycles and
 * imports that cross the layout's boundaries.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import ts from "typescript";

/** One module specifier in one file. */
export interface ImportEdge {
  /** The importing file, relative to the root, with `/` separators. */
  from: string;
  /** 1-based line of the import. */
  line: number;
  /** The specifier as written. */
  specifier: string;
  /** The file a relative specifier resolves to (relative to the root); undefined for packages and unresolved paths. */
  target: string | undefined;
  /** `import type`, `export type`, or every named element marked `type`, or an `import("…")` type. */
  typeOnly: boolean;
  /** An `import()` call (loaded lazily). */
  dynamic: boolean;
}

/** The files of a tree and their imports. */
export interface ImportGraph {
  /** Every `.ts` file under the scanned folder, relative to the root, sorted. */
  files: string[];
  edges: ImportEdge[];
}

function posix(path: string): string {
  return path.split(sep).join("/");
}

function listTs(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listTs(path);
    return name.endsWith(".ts") && !name.endsWith(".d.ts") ? [path] : [];
  });
}

function resolveRelative(root: string, fromFile: string, specifier: string): string | undefined {
  const base = join(dirname(join(root, fromFile)), specifier);
  const candidates = [base.replace(/\.js$/, ".ts"), base, `${base}.ts`, join(base, "index.ts")];
  const found = candidates.find((c) => c.endsWith(".ts") && existsSync(c) && statSync(c).isFile());
  return found === undefined ? undefined : posix(relative(root, found));
}

function allTypeOnly(elements: readonly (ts.ImportSpecifier | ts.ExportSpecifier)[]): boolean {
  return elements.length > 0 && elements.every((e) => e.isTypeOnly);
}

/** The imports of one file's source text. */
export function importsOf(source: string, fileName = "file.ts"): Omit<ImportEdge, "from" | "target">[] {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: Omit<ImportEdge, "from" | "target">[] = [];
  const add = (node: ts.Node, literal: ts.Expression | undefined, typeOnly: boolean, dynamic: boolean): void => {
    if (literal === undefined || !ts.isStringLiteralLike(literal)) return;
    const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
    found.push({ line, specifier: literal.text, typeOnly, dynamic });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const bindings = clause?.namedBindings;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly || (clause.name === undefined && bindings !== undefined && ts.isNamedImports(bindings) && allTypeOnly(bindings.elements)));
      add(node, node.moduleSpecifier, typeOnly, false);
    } else if (ts.isExportDeclaration(node)) {
      const clause = node.exportClause;
      const typeOnly = node.isTypeOnly || (clause !== undefined && ts.isNamedExports(clause) && allTypeOnly(clause.elements));
      add(node, node.moduleSpecifier, typeOnly, false);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression, node.isTypeOnly, false);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node, node.arguments[0], false, true);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node, node.argument.literal, true, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** The import graph of every `.ts` file under `root/dir`. */
export function importGraph(root: string, dir = "src"): ImportGraph {
  const files = listTs(join(root, dir))
    .map((f) => posix(relative(root, f)))
    .sort();
  const edges = files.flatMap((from) =>
    importsOf(readFileSync(join(root, from), "utf8"), from).map((edge) => ({
      ...edge,
      from,
      target: edge.specifier.startsWith(".") ? resolveRelative(root, from, edge.specifier) : undefined,
    })),
  );
  return { files, edges };
}

/** Every file reachable from `entry` through relative imports (type-only ones included). */
export function reachable(graph: ImportGraph, entry: string): Set<string> {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const edge of graph.edges) if (edge.from === file && edge.target !== undefined) queue.push(edge.target);
  }
  return seen;
}

/**
 * Every import cycle, each as the path of files around it with the line of each import
 * (`src/a.ts:3 → src/b.ts:7 → src/a.ts`). Each cycle is reported once, starting at its
 * smallest file name.
 */
export function findCycles(graph: ImportGraph): string[] {
  const out = new Map<string, ImportEdge[]>();
  for (const edge of graph.edges) {
    if (edge.target === undefined) continue;
    const list = out.get(edge.from) ?? [];
    list.push(edge);
    out.set(edge.from, list);
  }
  const cycles = new Map<string, string>();
  const state = new Map<string, "active" | "done">();
  const stack: ImportEdge[] = [];
  const visit = (file: string): void => {
    state.set(file, "active");
    for (const edge of out.get(file) ?? []) {
      const target = edge.target as string;
      if (state.get(target) === "active") {
        const start = stack.findIndex((e) => e.from === target);
        const path = [...(start === -1 ? [] : stack.slice(start)), edge];
        // Rotate to the smallest file so each cycle has one spelling.
        const min = path.reduce((best, e, i) => (e.from < (path[best] as ImportEdge).from ? i : best), 0);
        const rotated = [...path.slice(min), ...path.slice(0, min)];
        const text = `${rotated.map((e) => `${e.from}:${e.line}`).join(" → ")} → ${(rotated[0] as ImportEdge).from}`;
        cycles.set(rotated.map((e) => e.from).join(">"), text);
      } else if (state.get(target) === undefined) {
        stack.push(edge);
        visit(target);
        stack.pop();
      }
    }
    state.set(file, "done");
  };
  for (const file of graph.files) if (state.get(file) === undefined) visit(file);
  return [...cycles.values()].sort();
}

/** A boundary of the layout: which imports it forbids, and why. */
export interface Boundary {
  /** What the rule says, as reported with each offending import. */
  rule: string;
  /** True when this import breaks the rule. */
  forbids(edge: ImportEdge): boolean;
}

/** The imports that break a boundary, as `file:line imports "specifier" (rule)`. */
export function crossings(graph: ImportGraph, boundaries: readonly Boundary[]): string[] {
  return boundaries.flatMap((b) => graph.edges.filter((e) => b.forbids(e)).map((e) => `${e.from}:${e.line} imports "${e.specifier}" (${b.rule})`));
}
