/**
 * How to start marimo for a notebook: the decision tree a careful person follows.
 * Pure over a {@link LaunchProbe} (the file system and PATH), so every branch is testable.
 *
 * @module
 */
import { MarimoNotFoundError } from "./errors.js";

/** Which branch of the decision tree chose the program. @inline */
export type RunnerKind =
  /** The caller's explicit `command`. */
  | "command"
  /** `uv run` inside a uv project (pyproject lists marimo; uv.lock or uv present). */
  | "uv_project"
  /** `pixi run` inside a pixi project (pixi.lock present, pixi on PATH). */
  | "pixi_project"
  /** The project's own virtualenv (`.venv/bin/marimo`). */
  | "project_venv"
  /** `marimo` found on PATH. */
  | "path"
  /** `uvx marimo` (uv fetches marimo into a cached tool environment). */
  | "uvx";

/** What the decision tree needs to know about the machine. */
export interface LaunchProbe {
  /** `process.platform`. */
  readonly platform: string;
  /** Absolute path of `name` on PATH, or undefined. */
  which(name: string): Promise<string | undefined>;
  /** Whether a file or directory exists. */
  exists(path: string): Promise<boolean>;
  /** Whether `path` is a directory. */
  isDirectory(path: string): Promise<boolean>;
  /** A text file's contents, or undefined when it cannot be read. */
  readText(path: string): Promise<string | undefined>;
}

/** Inputs of {@link planLaunch}. */
export interface LaunchPlanInput {
  /** An explicit program and leading arguments, e.g. `["uv", "run", "marimo"]`. */
  command?: readonly string[] | undefined;
  /** The notebook file or directory, absolute; undefined for the working directory. */
  notebook?: string | undefined;
  /** The working directory, absolute. */
  cwd: string;
  /** `true`/`false` force `--sandbox` on or off; undefined follows the notebook's PEP 723 header. */
  sandbox?: boolean | undefined;
}

/** The chosen way to run marimo. */
export interface LaunchPlan {
  /** The branch that chose the program. */
  runner: RunnerKind;
  /** The program and its leading arguments; `edit ...` follows. */
  command: string[];
  /** Whether to pass marimo's sandbox flag. */
  sandbox: boolean;
  /** The project directory for project runners, else undefined. */
  projectDir: string | undefined;
  /** Human-readable notes about choices (e.g. a PEP 723 notebook started without uv). */
  notes: string[];
}

const PEP723_HEADER = /^# \/\/\/ script[ \t]*$/m;
// A quoted requirement naming marimo: "marimo", 'marimo>=0.21', "marimo[recommended]" — not "marimo-foo".
const MARIMO_REQUIREMENT = /["']marimo(?:\[[^\]]*\])?\s*(?:["';@<>=!~ ]|$)/im;

/** True when a pyproject.toml text lists marimo as a requirement (a textual check, not a TOML parse). */
export function pyprojectListsMarimo(text: string): boolean {
  return MARIMO_REQUIREMENT.test(text);
}

/** True when a notebook's source starts a PEP 723 inline-metadata block (`# /// script`). */
export function hasPep723Header(source: string): boolean {
  return PEP723_HEADER.test(source);
}

function parentOf(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, "");
  const cut = Math.max(trimmed.lastIndexOf("/"), trimmed.lastIndexOf("\\"));
  if (cut <= 0) return trimmed.startsWith("/") ? "/" : trimmed;
  // Keep a Windows drive root like C:\ intact.
  return /^[A-Za-z]:$/.test(trimmed.slice(0, cut)) ? trimmed.slice(0, cut + 1) : trimmed.slice(0, cut);
}

function join(dir: string, ...parts: string[]): string {
  const sep = dir.includes("\\") && !dir.includes("/") ? "\\" : "/";
  return [dir.replace(/[\\/]+$/, ""), ...parts].join(sep);
}

/** The nearest pyproject.toml at or above `start`, with its directory. */
async function findPyproject(start: string, probe: LaunchProbe): Promise<{ dir: string; text: string } | undefined> {
  let dir = start;
  for (let depth = 0; depth < 64; depth++) {
    const candidate = join(dir, "pyproject.toml");
    if (await probe.exists(candidate)) {
      const text = await probe.readText(candidate);
      return text === undefined ? undefined : { dir, text };
    }
    const up = parentOf(dir);
    if (up === dir) return undefined;
    dir = up;
  }
  return undefined;
}

async function projectRunner(
  dir: string,
  probe: LaunchProbe,
): Promise<Pick<LaunchPlan, "runner" | "command"> | undefined> {
  const uv = await probe.which("uv");
  const venvMarimo =
    probe.platform === "win32" ? join(dir, ".venv", "Scripts", "marimo.exe") : join(dir, ".venv", "bin", "marimo");
  const hasVenvMarimo = await probe.exists(venvMarimo);
  if (uv !== undefined && ((await probe.exists(join(dir, "uv.lock"))) || !hasVenvMarimo)) {
    return { runner: "uv_project", command: [uv, "run", "--project", dir, "marimo"] };
  }
  const pixi = await probe.which("pixi");
  if (pixi !== undefined && (await probe.exists(join(dir, "pixi.lock")))) {
    return { runner: "pixi_project", command: [pixi, "run", "--manifest-path", join(dir, "pyproject.toml"), "marimo"] };
  }
  if (hasVenvMarimo) return { runner: "project_venv", command: [venvMarimo] };
  return undefined;
}

/**
 * Choose how to run marimo, in this order: the explicit `command`; a Python project whose
 * `pyproject.toml` lists marimo (its `uv run`, `pixi run` or `.venv`); `marimo` on PATH;
 * `uvx marimo` when uv exists. A notebook with a PEP 723 `# /// script` header outside such
 * a project runs with marimo's sandbox (needs uv).
 *
 * @throws {MarimoNotFoundError} when no branch applies; the message says how to install marimo.
 * @example
 * ```ts
 * const plan = await planLaunch({ notebook: "/work/proj/nb.py", cwd: "/work/proj" }, probe);
 * plan.runner;  // e.g. "uv_project"
 * plan.command; // e.g. ["/usr/bin/uv", "run", "--project", "/work/proj", "marimo"]
 * ```
 */
export async function planLaunch(input: LaunchPlanInput, probe: LaunchProbe): Promise<LaunchPlan> {
  const notes: string[] = [];
  const notebookIsFile =
    input.notebook !== undefined && (await probe.exists(input.notebook)) && !(await probe.isDirectory(input.notebook));
  const source = notebookIsFile && input.notebook !== undefined ? await probe.readText(input.notebook) : undefined;
  const pep723 = source !== undefined && hasPep723Header(source);
  const uv = await probe.which("uv");

  const decideSandbox = (inProject: boolean): boolean => {
    if (input.sandbox !== undefined) return input.sandbox;
    if (!pep723 || inProject) return false;
    if (uv === undefined) {
      notes.push("The notebook has a PEP 723 header but uv is not installed: starting it without a sandbox.");
      return false;
    }
    return true;
  };

  if (input.command !== undefined) {
    if (input.command.length === 0) throw new TypeError("command must name a program");
    return { runner: "command", command: [...input.command], sandbox: decideSandbox(false), projectDir: undefined, notes };
  }

  const searched: string[] = [];
  const start =
    input.notebook === undefined ? input.cwd : notebookIsFile ? parentOf(input.notebook) : input.notebook;
  const project = await findPyproject(start, probe);
  if (project !== undefined && pyprojectListsMarimo(project.text)) {
    const runner = await projectRunner(project.dir, probe);
    if (runner !== undefined) return { ...runner, sandbox: decideSandbox(true), projectDir: project.dir, notes };
    searched.push(`a runner for the project at ${project.dir} (uv, pixi or .venv)`);
    notes.push(`${project.dir}/pyproject.toml lists marimo, but neither uv, pixi nor a .venv with marimo was found.`);
  }

  const onPath = await probe.which("marimo");
  searched.push("marimo on PATH");
  if (onPath !== undefined) {
    return { runner: "path", command: [onPath], sandbox: decideSandbox(false), projectDir: undefined, notes };
  }
  const uvx = await probe.which("uvx");
  searched.push("uv (for uvx marimo)");
  if (uvx !== undefined) {
    return { runner: "uvx", command: [uvx, "marimo"], sandbox: decideSandbox(false), projectDir: undefined, notes };
  }
  if (uv !== undefined) {
    return { runner: "uvx", command: [uv, "tool", "run", "marimo"], sandbox: decideSandbox(false), projectDir: undefined, notes };
  }
  throw new MarimoNotFoundError(searched);
}
