/**
 * Runs the BUILT CLI (`dist/cli/main.js`) as a subprocess with a controlled environment,
 * for the CLI integration tests.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { copyFile, cp, symlink } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { makeTempDir } from "../helpers/marimo-server.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** Node 24 from the `node` devDependency. */
export const NODE = join(ROOT, "node_modules", ".bin", "node");
/** The compiled CLI entry in the working tree. */
const BUILT_CLI = join(ROOT, "dist", "cli", "main.js");
let cli = BUILT_CLI;

/** The CLI entry the tests run: the private snapshot once {@link prepareCli} ran. */
export function cliPath(): string {
  return cli;
}

/**
 * Check that the build is current, then run the CLI from a private copy of \`dist/\`: other
 * suites may rebuild \`dist/\` while these tests run, and a half-written module would fail a
 * run for reasons that have nothing to do with the CLI.
 */
export async function prepareCli(): Promise<void> {
  assertCliBuilt();
  const snapshot = await makeTempDir("cli-dist-");
  await cp(join(ROOT, "dist"), join(snapshot, "dist"), { recursive: true });
  // The package.json makes the .js files ES modules (and gives --version); node_modules resolves dependencies.
  await copyFile(join(ROOT, "package.json"), join(snapshot, "package.json"));
  await symlink(join(ROOT, "node_modules"), join(snapshot, "node_modules"), "dir");
  cli = join(snapshot, "dist", "cli", "main.js");
}

/** Throw unless the bundled CLI exists and is newer than every source file (each may be in it). */
function assertCliBuilt(): void {
  if (!existsSync(BUILT_CLI)) throw new Error(`${BUILT_CLI} is missing: run \`npm run build\` first.`);
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
  const built = statSync(BUILT_CLI).mtimeMs;
  for (const src of walk(join(ROOT, "src"))) {
    if (statSync(src).mtimeMs > built) throw new Error(`${BUILT_CLI} is older than ${src}: run \`npm run build\` first.`);
  }
}

/** What one CLI run produced. */
export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Every stdout/stderr chunk with the ms since start at which it arrived. */
  chunks: { stream: "stdout" | "stderr"; at: number; data: string }[];
}

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /** Extra environment (the base is only PATH and HOME, so nothing leaks in from the developer's shell). */
  env?: Record<string, string>;
  /** Text for stdin; without it stdin is an empty pipe. */
  stdin?: string;
  /** Working directory. */
  cwd?: string;
  /** Kill the run after this long (ms). */
  timeoutMs?: number;
  /** Called once the process has started, e.g. to signal it later. */
  onSpawn?: (pid: number, chunks: CliRun["chunks"]) => void;
}

/** Run `marimo-pair ...args`. */
export function runCli(args: readonly string[], options: RunCliOptions = {}): Promise<CliRun> {
  return new Promise((resolveRun, reject) => {
    const started = Date.now();
    const child = spawn(NODE, [cli, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: process.env["HOME"] ?? "/tmp", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const run: CliRun = { code: null, signal: null, stdout: "", stderr: "", chunks: [] };
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (d: string) => {
      run.stdout += d;
      run.chunks.push({ stream: "stdout", at: Date.now() - started, data: d });
    });
    child.stderr.on("data", (d: string) => {
      run.stderr += d;
      run.chunks.push({ stream: "stderr", at: Date.now() - started, data: d });
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      run.code = code;
      run.signal = signal;
      resolveRun(run);
    });
    child.stdin.end(options.stdin ?? "");
    if (child.pid !== undefined) options.onSpawn?.(child.pid, run.chunks);
  });
}
