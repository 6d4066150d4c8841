/**
 * Static check that no process the SDK starts can receive a token in its argv.
 *
 * Every call in src/ that starts a program is found with the TypeScript parser: the
 * `node:child_process` functions (however imported) and the SDK's own wrappers that forward
 * an argv (`spawnTree`, `runCommand`, `runWindowsProgram`). For each, the expressions that
 * become the program and its arguments are followed back through the file: local variables
 * and their initialisers, destructuring, `push`/`unshift`/`splice` onto them, reassignments,
 * and — for a parameter of a function of the same file — the arguments of every call to that
 * function. No identifier or property name on that path may mention a token, password, secret
 * or credential, and no string literal on it may be a token flag or a token variable
 * (`--no-token` is the one allowed literal). The environment argument is not part of argv
 * and is not followed: a token in `MARIMO_TOKEN` is private to the process (`/proc/<pid>/environ`
 * is readable by its owner only), unlike its command line.
 *
 * The dynamic counterpart is `test/integration/reliability-security.test.ts`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const SRC = join(ROOT, "src");

const CHILD_PROCESS = new Set(["spawn", "spawnSync", "execFile", "execFileSync", "exec", "execSync", "fork"]);
/** Which arguments of each starter are argv (program and arguments). */
const ARGV_ARGS: Record<string, number[]> = {
  spawn: [0, 1],
  spawnSync: [0, 1],
  execFile: [0, 1],
  execFileSync: [0, 1],
  fork: [0, 1],
  exec: [0],
  execSync: [0],
  spawnTree: [0],
  runCommand: [0, 1],
  runWindowsProgram: [1, 2],
};
const SENSITIVE_NAME = /token|passw|secret|credential|bearer|authoriz/i;
const SENSITIVE_LITERAL = /token|passw|secret|bearer|authoriz/i;
const ALLOWED_LITERALS = new Set(["--no-token"]);

/** One place that starts a program. */
interface SpawnSite {
  file: string;
  line: number;
  callee: string;
  /** Identifiers and property names on the argv's path. */
  names: string[];
  /** String literals and template texts on the argv's path. */
  literals: string[];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** The starter a call invokes, or undefined. */
function starterOf(call: ts.CallExpression, imported: Map<string, string>, namespaces: Set<string>): string | undefined {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) {
    const original = imported.get(callee.text);
    if (original !== undefined) return original;
    if (["spawnTree", "runCommand", "runWindowsProgram"].includes(callee.text)) return callee.text;
    return undefined;
  }
  if (ts.isPropertyAccessExpression(callee)) {
    const name = callee.name.text;
    if (ts.isIdentifier(callee.expression) && namespaces.has(callee.expression.text) && CHILD_PROCESS.has(name)) return name;
    if (name === "runCommand") return name;
  }
  return undefined;
}

function walk(node: ts.Node, visit: (n: ts.Node) => void): void {
  visit(node);
  node.forEachChild((child) => walk(child, visit));
}

/** One parsed file: its child_process bindings, declarations by name and calls. */
interface Parsed {
  file: string;
  source: ts.SourceFile;
  imported: Map<string, string>;
  namespaces: Set<string>;
  /** Declarations by name (every scope: conservative). */
  declarations: Map<string, ts.Node[]>;
  calls: ts.CallExpression[];
}

function parse(file: string, text: string): Parsed {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const parsed: Parsed = { file, source, imported: new Map(), namespaces: new Set(), declarations: new Map(), calls: [] };
  const add = (name: string, node: ts.Node) => parsed.declarations.set(name, [...(parsed.declarations.get(name) ?? []), node]);
  walk(source, (n) => {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier) && /^(node:)?child_process$/.test(n.moduleSpecifier.text)) {
      const bindings = n.importClause?.namedBindings;
      if (bindings !== undefined && ts.isNamedImports(bindings)) {
        for (const el of bindings.elements) parsed.imported.set(el.name.text, (el.propertyName ?? el.name).text);
      } else if (bindings !== undefined && ts.isNamespaceImport(bindings)) parsed.namespaces.add(bindings.name.text);
      if (n.importClause?.name !== undefined) parsed.namespaces.add(n.importClause.name.text);
    }
    if (ts.isVariableDeclaration(n) || ts.isParameter(n) || ts.isBindingElement(n)) {
      const collect = (name: ts.BindingName) => {
        if (ts.isIdentifier(name)) add(name.text, n);
        else for (const el of name.elements) if (!ts.isOmittedExpression(el)) collect(el.name);
      };
      collect(n.name);
    }
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(n.left)) add(n.left.text, n.right);
    if (ts.isCallExpression(n)) parsed.calls.push(n);
  });
  return parsed;
}

/** The name a function is called by (declaration, variable or property it is assigned to). */
function functionName(fn: ts.SignatureDeclaration): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name !== undefined && ts.isIdentifier(fn.name)) return fn.name.text;
  const parent = fn.parent;
  if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent))) {
    return ts.isIdentifier(parent.name) ? parent.name.text : undefined;
  }
  return undefined;
}

function calleeName(call: ts.CallExpression): string | undefined {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

/** The top-level property a binding element takes from its declaration's value (undefined for array patterns). */
function destructuredField(element: ts.BindingElement): { holder: ts.Node; field: string | undefined } {
  let outer: ts.BindingElement = element;
  let up: ts.Node = element.parent;
  while (!ts.isVariableDeclaration(up) && !ts.isParameter(up)) {
    if (ts.isBindingElement(up)) outer = up;
    up = up.parent;
  }
  const key = outer.propertyName ?? outer.name;
  const field = ts.isObjectBindingPattern(outer.parent) && ts.isIdentifier(key) ? key.text : undefined;
  return { holder: up, field };
}

/** True for an identifier that names something being declared or a property key, not a value read. */
function isNotAReference(n: ts.Identifier): boolean {
  const parent = n.parent;
  if ((ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent)) && parent.name === n) return true;
  if ((ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isBindingElement(parent)) && parent.name === n) return true;
  if (ts.isBindingElement(parent) && parent.propertyName === n) return true;
  return (ts.isFunctionDeclaration(parent) || ts.isFunctionExpression(parent)) && parent.name === n;
}

/**
 * Every starter call of the given files, with the names and literals its argv flows from.
 *
 * The flow is field-sensitive where it can be: `request.argv` and `const { argv } = request`
 * follow only the `argv` property of the object literals `request` comes from. A parameter is
 * followed to the matching argument of every call to its function's name, in its own file or
 * in a file that imports that name. Anything else is followed whole (conservatively).
 */
function spawnSitesOf(files: readonly Parsed[]): SpawnSite[] {
  const bySource = new Map(files.map((f) => [f.source, f]));
  const importsName = (f: Parsed, name: string) =>
    f.source.statements.some(
      (st) =>
        ts.isImportDeclaration(st) &&
        st.importClause?.namedBindings !== undefined &&
        ts.isNamedImports(st.importClause.namedBindings) &&
        st.importClause.namedBindings.elements.some((el) => el.name.text === name),
    );

  function flow(roots: ts.Node[]): { names: string[]; literals: string[] } {
    const names = new Set<string>();
    const literals = new Set<string>();
    const seen = new Set<string>();
    const ids = new Map<ts.Node, number>();
    const queue: { node: ts.Node; field: string | undefined }[] = roots.map((node) => ({ node, field: undefined }));
    const push = (node: ts.Node, field: string | undefined): void => {
      queue.push({ node, field });
    };

    /** Follow a name's declarations, asking for `field` of their value. */
    function resolveName(n: ts.Identifier, field: string | undefined): void {
      const own = bySource.get(n.getSourceFile());
      for (const decl of own?.declarations.get(n.text) ?? []) {
        if (ts.isVariableDeclaration(decl)) {
          if (decl.initializer !== undefined) push(decl.initializer, field);
        } else if (ts.isBindingElement(decl)) {
          if (decl.initializer !== undefined) push(decl.initializer, field);
          const { holder, field: taken } = destructuredField(decl);
          if (ts.isVariableDeclaration(holder) && holder.initializer !== undefined) push(holder.initializer, taken);
          if (ts.isParameter(holder)) followParameter(holder, taken);
        } else if (ts.isParameter(decl)) {
          followParameter(decl, field);
        } else {
          push(decl, field);
        }
      }
      // Values pushed or spliced into it.
      for (const call of own?.calls ?? []) {
        const callee = call.expression;
        if (
          ts.isPropertyAccessExpression(callee) &&
          ts.isIdentifier(callee.expression) &&
          callee.expression.text === n.text &&
          ["push", "unshift", "splice"].includes(callee.name.text)
        ) {
          for (const arg of call.arguments) push(arg, undefined);
        }
      }
    }

    function followParameter(decl: ts.ParameterDeclaration, field: string | undefined): void {
      if (decl.initializer !== undefined) push(decl.initializer, field);
      const fn = decl.parent;
      const index = fn.parameters.indexOf(decl);
      const name = functionName(fn);
      if (name === undefined) return;
      const home = bySource.get(decl.getSourceFile());
      for (const f of files) {
        if (f !== home && !importsName(f, name)) continue;
        for (const call of f.calls) {
          const arg = call.arguments[index];
          if (calleeName(call) === name && arg !== undefined) push(arg, field);
        }
      }
    }

    /** Visit an expression whose `field` (or whole value, when undefined) reaches argv. */
    function visit(node: ts.Node, field: string | undefined): void {
      if (ts.isTypeNode(node)) return;
      if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node) || ts.isAwaitExpression(node) || ts.isSatisfiesExpression(node)) {
        push(node.expression, field);
        return;
      }
      if (field !== undefined && ts.isObjectLiteralExpression(node)) {
        for (const prop of node.properties) {
          if (ts.isSpreadAssignment(prop)) push(prop.expression, field);
          else if (prop.name === undefined || ts.isComputedPropertyName(prop.name)) push(prop, undefined);
          else if ((ts.isIdentifier(prop.name) || ts.isStringLiteralLike(prop.name)) && prop.name.text !== field) continue;
          else if (ts.isPropertyAssignment(prop)) push(prop.initializer, undefined);
          else if (ts.isShorthandPropertyAssignment(prop)) push(prop.name, undefined);
          else push(prop, undefined);
        }
        return;
      }
      if (ts.isIdentifier(node)) {
        if (isNotAReference(node)) return;
        names.add(node.text);
        resolveName(node, field);
        return;
      }
      if (ts.isPropertyAccessExpression(node)) {
        names.add(node.name.text);
        push(node.expression, node.name.text);
        return;
      }
      if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)) {
        literals.add(node.argumentExpression.text);
        push(node.expression, node.argumentExpression.text);
        return;
      }
      if (ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
        literals.add(node.text);
        return;
      }
      if (ts.isPrivateIdentifier(node)) {
        names.add(node.text);
        return;
      }
      node.forEachChild((child) => push(child, undefined));
    }

    while (queue.length > 0) {
      const item = queue.pop();
      if (item === undefined) continue;
      if (!ids.has(item.node)) ids.set(item.node, ids.size);
      const key = `${ids.get(item.node)}:${item.field ?? ""}`;
      if (seen.has(key)) continue;
      seen.add(key);
      visit(item.node, item.field);
    }
    return { names: [...names].sort(), literals: [...literals].sort() };
  }

  const sites: SpawnSite[] = [];
  for (const f of files) {
    for (const call of f.calls) {
      const starter = starterOf(call, f.imported, f.namespaces);
      if (starter === undefined) continue;
      const roots = (ARGV_ARGS[starter] ?? []).map((i) => call.arguments[i]).filter((a): a is ts.Expression => a !== undefined);
      const { names, literals } = flow(roots);
      const { line } = f.source.getLineAndCharacterOfPosition(call.getStart());
      sites.push({ file: f.file, line: line + 1, callee: starter, names, literals });
    }
  }
  return sites;
}

/** What is wrong with a site's argv path (empty when nothing is). */
function problems(site: SpawnSite): string[] {
  return [
    ...site.names.filter((n) => SENSITIVE_NAME.test(n)).map((n) => `name ${n}`),
    ...site.literals.filter((l) => SENSITIVE_LITERAL.test(l) && !ALLOWED_LITERALS.has(l)).map((l) => `literal ${JSON.stringify(l)}`),
  ];
}

describe("spawn sites in src/", () => {
  it("the analysis flags a token on an argv path, directly or through variables, pushes and callers", () => {
    const flagged = (text: string) => {
      const sites = spawnSitesOf([parse("x.ts", text)]);
      expect(sites.length, text).toBeGreaterThan(0);
      return sites.flatMap(problems);
    };
    expect(flagged(`import { spawn } from "node:child_process";\nspawn("marimo", ["edit", "--token", t]);`)).not.toEqual([]);
    expect(
      flagged(`import { execFile as run } from "child_process";
        function go(secretValue: string) { const args: string[] = []; args.push(secretValue); run("x", args); }`),
    ).toContain("name secretValue");
    expect(
      flagged(`import * as cp from "node:child_process";
        function start(extra: string[]) { cp.spawnSync("marimo", ["edit", ...extra]); }
        start(["--x", process.env["MARIMO_TOKEN"] ?? ""]);`),
    ).toContain('literal "MARIMO_TOKEN"');
    expect(
      flagged(`const system = { runCommand: (a: string, b: string[]) => 0 };
        const opts = { password: "p" }; const [p, ...rest] = ["a", opts.password]; system.runCommand(p, rest);`),
    ).toContain("name password");
    // Across files: a parameter is followed to the callers in other files.
    expect(
      spawnSitesOf([
        parse("a.ts", `import { spawn } from "node:child_process";\nexport function start(request: { argv: string[] }) { const { argv } = request; spawn(argv[0] ?? "", argv.slice(1)); }`),
        parse("b.ts", `import { start } from "./a.js";\nconst tokenValue = "t"; start({ argv: ["marimo", tokenValue] });`),
      ]).flatMap(problems),
    ).toContain("name tokenValue");
    // The same shapes without a token pass.
    expect(flagged(`import { spawn } from "node:child_process";\nconst flags = ["--no-token"]; spawn("marimo", ["edit", ...flags]);`)).toEqual([]);
  });

  it("no program the SDK starts receives a token, password or secret in its argv", () => {
    const sites = spawnSitesOf(sourceFiles(SRC).map((file) => parse(relative(ROOT, file), readFileSync(file, "utf8"))));
    if (process.env["MARIMO_PAIR_FIGURES"] !== undefined) {
      console.error(`spawn sites ${JSON.stringify(sites.map((s) => `${s.file}:${s.line} ${s.callee}`))}`);
    }
    // The scan finds the real starters (execFile for helpers and `--help`, spawn for marimo).
    expect(sites.some((s) => s.callee === "execFile")).toBe(true);
    expect(sites.some((s) => s.callee === "spawn")).toBe(true);
    expect(sites.filter((s) => CHILD_PROCESS.has(s.callee)).length).toBeGreaterThanOrEqual(4);
    expect(sites.map((s) => ({ site: `${s.file}:${s.line} ${s.callee}`, problems: problems(s) })).filter((s) => s.problems.length > 0)).toEqual([]);
  });
});
