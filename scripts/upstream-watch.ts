// Lists what changed in the parts of marimo this SDK drives — code mode's public API
// (`marimo._code_mode`: the `ctx` methods and properties, the module's exports) and the
// server's HTTP routes — between the pinned marimo and the newest release on PyPI, so a
// new release is caught before users meet it.
//
//   npm run upstream:watch                      pinned (newest of TESTED_RELEASES) → newest on PyPI
//   npm run upstream:watch -- 0.23.7 0.25.2     any two releases
//   npm run upstream:watch -- --json            the same, as JSON
//
// Wheels come from `pip download --no-deps` into .venvs/wheels (kept between runs); the
// analysis reads them with Python's ast straight from the zip, importing nothing.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { TESTED_RELEASES } from "../src/version.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const wheelDir = join(root, ".venvs", "wheels");
const venvPython = join(root, ".venv", "bin", "python");
const python = existsSync(venvPython) ? venvPython : "python3";

// Reads one wheel; prints {"api": [...], "routes": [...]} as JSON.
const ANALYZE = String.raw`
import ast, json, re, sys, zipfile

wheel = zipfile.ZipFile(sys.argv[1])
names = wheel.namelist()
def source(path):
    return wheel.read(path).decode("utf-8")

def sig(fn):
    a = fn.args
    parts = [x.arg for x in a.posonlyargs + a.args if x.arg not in ("self", "cls")]
    if a.vararg: parts.append("*" + a.vararg.arg)
    elif a.kwonlyargs: parts.append("*")
    parts += [x.arg for x in a.kwonlyargs]
    if a.kwarg: parts.append("**" + a.kwarg.arg)
    return "(" + ", ".join(parts) + ")"

api = set()
for path in names:
    if not (path.startswith("marimo/_code_mode/") and path.endswith(".py")): continue
    mod = path[len("marimo/"):-3].replace("/", ".").removesuffix(".__init__")
    tree = ast.parse(source(path))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            for elt in getattr(node.value, "elts", []):
                if isinstance(elt, ast.Constant): api.add(f"{mod}.__all__: {elt.value}")
        if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and (not item.name.startswith("_") or item.name in ("__getitem__", "__aenter__", "__iter__", "__len__")):
                    deco = [d.id if isinstance(d, ast.Name) else getattr(d, "attr", "") for d in item.decorator_list]
                    kind = "property" if "property" in deco else ("async " if isinstance(item, ast.AsyncFunctionDef) else "") + "def"
                    api.add(f"{node.name}.{item.name}{'' if kind == 'property' else sig(item)} [{kind}]")
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith("_") and mod == "_code_mode":
            api.add(f"{mod}.{node.name}{sig(node)}")

prefixes = {}
router_path = "marimo/_server/api/router.py"
if router_path in names:
    tree = ast.parse(source(router_path))
    aliases = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("marimo._server.api.endpoints."):
            for alias in node.names: aliases[alias.asname or alias.name] = node.module.rsplit(".", 1)[1]
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "include_router" and node.args:
            arg = node.args[0]
            name = arg.id if isinstance(arg, ast.Name) else None
            prefix = next((k.value.value for k in node.keywords if k.arg == "prefix" and isinstance(k.value, ast.Constant)), "")
            if name in aliases: prefixes[aliases[name]] = prefix

routes = set()
for path in names:
    m = re.match(r"marimo/_server/api/endpoints/(\w+)\.py$", path)
    if not m: continue
    prefix = prefixes.get(m.group(1), "?")
    for node in ast.walk(ast.parse(source(path))):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)): continue
        method, route, needs = None, None, ""
        for d in node.decorator_list:
            if isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and getattr(d.func.value, "id", "") == "router":
                method = d.func.attr.upper()
                if d.args and isinstance(d.args[0], ast.Constant): route = d.args[0].value
            if isinstance(d, ast.Call) and getattr(d.func, "id", "") == "requires" and d.args and isinstance(d.args[0], ast.Constant):
                needs = f" requires={d.args[0].value}"
        if method and route is not None:
            routes.add(f"{method} {prefix}{route}{needs}")

print(json.dumps({"api": sorted(api), "routes": sorted(routes)}))
`;

function pip(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(python, ["-m", "pip", ...args], { encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The marimo wheel of `version` (`latest`: the newest on PyPI), downloaded once. */
function wheelOf(version: string): { version: string; path: string } {
  mkdirSync(wheelDir, { recursive: true });
  const find = (v: string) => readdirSync(wheelDir).find((f) => f.startsWith(`marimo-${v}-`) && f.endsWith(".whl"));
  if (version !== "latest" && find(version) !== undefined) return { version, path: join(wheelDir, find(version) ?? "") };
  const before = new Set(readdirSync(wheelDir));
  const spec = version === "latest" ? "marimo" : `marimo==${version}`;
  const r = pip(["download", "--quiet", "--no-deps", "--disable-pip-version-check", "--dest", wheelDir, spec]);
  if (r.status !== 0) throw new Error(`pip download ${spec} failed:\n${r.stderr}`);
  // pip prints nothing with --quiet; the new (or already present) file tells the version.
  const wheels = readdirSync(wheelDir).filter((f) => /^marimo-[^-]+-.*\.whl$/.test(f));
  const added = wheels.find((f) => !before.has(f));
  const chosen = added ?? newestWheel(wheels);
  const v = /^marimo-([^-]+)-/.exec(chosen)?.[1] ?? version;
  return { version: v, path: join(wheelDir, chosen) };
}

function newestWheel(wheels: string[]): string {
  const key = (f: string) => (/^marimo-([^-]+)-/.exec(f)?.[1] ?? "0").split(/[.]/).map((p) => Number.parseInt(p, 10) || 0);
  return [...wheels].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < Math.max(ka.length, kb.length); i++) if ((ka[i] ?? 0) !== (kb[i] ?? 0)) return (ka[i] ?? 0) - (kb[i] ?? 0);
    return 0;
  }).at(-1) ?? "";
}

function analyze(wheel: string): { api: string[]; routes: string[] } {
  const r = spawnSync(python, ["-c", ANALYZE, wheel], { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`analysing ${wheel} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout) as { api: string[]; routes: string[] };
}

/** Lines only in `a` and only in `b`. */
export function diffSets(a: readonly string[], b: readonly string[]): { removed: string[]; added: string[] } {
  const sa = new Set(a);
  const sb = new Set(b);
  return { removed: a.filter((x) => !sb.has(x)), added: b.filter((x) => !sa.has(x)) };
}

function main(args: string[]): number {
  const json = args.includes("--json");
  const versions = args.filter((a) => !a.startsWith("--"));
  const from = wheelOf(versions[0] ?? TESTED_RELEASES.at(-1) ?? "latest");
  const to = wheelOf(versions[1] ?? "latest");
  const a = analyze(from.path);
  const b = analyze(to.path);
  const api = diffSets(a.api, b.api);
  const routes = diffSets(a.routes, b.routes);
  if (json) {
    console.log(JSON.stringify({ from: from.version, to: to.version, codeMode: api, routes }, null, 2));
    return 0;
  }
  console.log(`marimo ${from.version} → ${to.version}`);
  const section = (title: string, d: { removed: string[]; added: string[] }) => {
    console.log(`\n${title}: ${d.added.length} added, ${d.removed.length} removed`);
    for (const x of d.removed) console.log(`  - ${x}`);
    for (const x of d.added) console.log(`  + ${x}`);
  };
  section("code mode (marimo._code_mode)", api);
  section("HTTP routes", routes);
  if (from.version === to.version) console.log(`\nThe pinned marimo ${from.version} is the newest on PyPI.`);
  return 0;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = main(process.argv.slice(2));
}
