#!/usr/bin/env node
// Creates the project-local Python virtualenv (.venv) with the pinned marimo that
// the integration tests start. Idempotent: a venv that already has the pinned
// version is left alone.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

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

if (installedMarimo() === MARIMO_VERSION && hasMcpExtra()) {
  console.log(`setup: .venv already has marimo ${MARIMO_VERSION} with its mcp extra`);
  process.exit(0);
}

const basePython = process.env.PYTHON ?? (isWindows ? "python" : "python3");
if (!existsSync(python)) run(basePython, ["-m", "venv", venv]);
run(python, ["-m", "pip", "install", "--quiet", `marimo[mcp]==${MARIMO_VERSION}`, "altair", "pandas"]);
console.log(`setup: .venv has marimo ${installedMarimo()}`);
