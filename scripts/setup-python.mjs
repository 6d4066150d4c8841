#!/usr/bin/env node
// Creates the project-local Python virtualenv (.venv) with the pinned marimo that
// the integration tests start, and the virtualenv of the oldest supported marimo
// (.venvs/marimo-<version>) that `npm test` also runs the compatibility subset against.
// Idempotent: a venv that already has its version is left alone.
//
//   node scripts/setup-python.mjs                    .venv and the oldest release's venv
//   node scripts/setup-python.mjs --compat 0.22.5 …  (only) these releases' venvs under .venvs/
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { OLDEST_SUPPORTED } from "../src/version.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const MARIMO_VERSION = "0.25.2";
const venv = join(root, ".venv");
const isWindows = process.platform === "win32";
const python = isWindows ? join(venv, "Scripts", "python.exe") : join(venv, "bin", "python");

function run(cmd, args) {
  console.log(`$ ${cmd} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, { stdio: "inherit", cwd: root });
  if (r.status !== 0) {
    console.error(`setup: '${cmd} ${args.join(" ")}' failed (exit ${r.status ?? r.signal}).`);
    process.exit(1);
  }
}

function installedMarimo() {
  if (!existsSync(python)) return null;
  const r = spawnSync(python, ["-c", "import marimo; print(marimo.__version__)"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

// The `mcp` extra (MCP SDK 2) lets the tests start `marimo edit --mcp code-mode`.
function hasMcpExtra() {
  return spawnSync(python, ["-c", "import mcp.server"], { stdio: "ignore" }).status === 0;
}

const compatArg = process.argv.indexOf("--compat");

function setupMainVenv() {
if (installedMarimo() === MARIMO_VERSION && hasMcpExtra()) {
  console.log(`setup: .venv already has marimo ${MARIMO_VERSION} with its mcp extra`);
  return;
}

const basePython = process.env.PYTHON ?? (isWindows ? "python" : "python3");
if (!existsSync(python)) run(basePython, ["-m", "venv", venv]);
run(python, ["-m", "pip", "install", "--quiet", `marimo[mcp]==${MARIMO_VERSION}`, "altair", "pandas"]);
console.log(`setup: .venv has marimo ${installedMarimo()}`);
}

// marimo releases before the MCP SDK 2 import `mcp.server.fastmcp`, which MCP SDK 2 renamed,
// yet their `mcp` extra does not cap it: `marimo edit --mcp` then dies at startup. Prints
// "ok", or "mcp<2" when this venv's marimo needs the MCP SDK 1.
const MCP_CHECK = `
import pathlib, marimo
server = pathlib.Path(marimo.__file__).parent / "_mcp"
needs = any("mcp.server.fastmcp" in p.read_text(errors="ignore") for p in server.rglob("*.py"))
if needs:
    try:
        import mcp.server.fastmcp  # MCP SDK 2 keeps a stub that raises ModuleNotFoundError
        needs = False
    except ImportError:
        pass
print("mcp<2" if needs else "ok")
`;

// One venv per tested marimo release, sharing pip's cache.
function setupCompatVenv(version) {
  const dir = join(root, ".venvs", `marimo-${version}`);
  const py = isWindows ? join(dir, "Scripts", "python.exe") : join(dir, "bin", "python");
  // pandas, as in .venv: the integration tests render a DataFrame.
  const has = existsSync(py) && spawnSync(py, ["-c", "import marimo, mcp.server, pandas; print(marimo.__version__)"], { encoding: "utf8" });
  if (!(has && has.status === 0 && has.stdout.trim() === version)) {
    if (!existsSync(py)) run(process.env.PYTHON ?? (isWindows ? "python" : "python3"), ["-m", "venv", dir]);
    run(py, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", `marimo[mcp]==${version}`, "pandas"]);
  }
  const mcp = spawnSync(py, ["-c", MCP_CHECK], { encoding: "utf8" });
  if (mcp.status === 0 && mcp.stdout.trim() === "mcp<2") {
    run(py, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "mcp<2"]);
  }
  console.log(`setup: .venvs/marimo-${version} is ready`);
}

if (compatArg === -1) {
  setupMainVenv();
  setupCompatVenv(OLDEST_SUPPORTED);
} else {
  for (const version of process.argv.slice(compatArg + 1)) setupCompatVenv(version);
}
