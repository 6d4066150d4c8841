/**
 * The export list of a source entry, computed with the TypeScript compiler API: every name the
 * entry exports (values and types), with its kind. Only the entry files and what they re-export
 * are parsed; no type checking of bodies happens, so this stays fast.
 */
import ts from "typescript";

/** One exported name and what it is. */
export interface ExportedName {
  name: string;
  /** `class`, `function`, `const`, `interface`, `type`, or several joined by `+` (a const and a type of one name). */
  kind: string;
}

const KINDS: [ts.SymbolFlags, string][] = [
  [ts.SymbolFlags.Class, "class"],
  [ts.SymbolFlags.Function, "function"],
  [ts.SymbolFlags.Variable, "const"],
  [ts.SymbolFlags.Enum, "enum"],
  [ts.SymbolFlags.Interface, "interface"],
  [ts.SymbolFlags.TypeAlias, "type"],
  [ts.SymbolFlags.Namespace, "namespace"],
];

function kindOf(flags: ts.SymbolFlags): string {
  const kinds = KINDS.filter(([flag]) => (flags & flag) !== 0).map(([, kind]) => kind);
  // A class is both a value and a type; say it once.
  return kinds.length === 0 ? "unknown" : kinds.join("+");
}

/**
 * A program over the given entry files and the project sources they import. Packages and the
 * standard library are left out: the kind of a name is known from its declaration, so there is
 * nothing to read in node_modules, and the walk stays well under a second.
 */
export function entryProgram(entries: string[]): ts.Program {
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2023,
    allowImportingTsExtensions: true,
    noEmit: true,
    noLib: true,
    types: [],
    skipLibCheck: true,
  };
  const host = ts.createCompilerHost(options);
  host.resolveModuleNameLiterals = (literals, containingFile) =>
    literals.map((literal) => {
      if (!literal.text.startsWith(".")) return { resolvedModule: undefined };
      return ts.resolveModuleName(literal.text, containingFile, options, host);
    });
  return ts.createProgram({ rootNames: entries, options, host });
}

/** The names `entry` exports, sorted, each with its kind. */
export function exportList(program: ts.Program, entry: string): ExportedName[] {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  if (source === undefined) throw new Error(`${entry} is not in the program`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (moduleSymbol === undefined) return [];
  return checker
    .getExportsOfModule(moduleSymbol)
    .map((symbol) => {
      const target = (symbol.flags & ts.SymbolFlags.Alias) !== 0 ? checker.getAliasedSymbol(symbol) : symbol;
      return { name: symbol.name, kind: kindOf(target.flags) };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
