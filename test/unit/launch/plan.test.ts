import { describe, expect, it } from "vitest";
import { MarimoNotFoundError } from "../../../src/launch/errors.js";
import {
  hasPep723Header,
  type LaunchProbe,
  planLaunch,
  pyprojectListsMarimo,
} from "../../../src/launch/plan.js";

/** A file system of `path → contents` (directories end with `/`) and a PATH of program names. */
function fakeProbe(files: Record<string, string>, onPath: string[] = []): LaunchProbe {
  const isDir = (p: string) => Object.keys(files).some((f) => f === `${p}/` || f.startsWith(`${p}/`));
  return {
    platform: "linux",
    which: async (name) => (onPath.includes(name) ? `/usr/bin/${name}` : undefined),
    exists: async (p) => p in files || isDir(p),
    isDirectory: async (p) => isDir(p),
    readText: async (p) => files[p],
  };
}

const NOTEBOOK = "import marimo\napp = marimo.App()\n";
const PEP723 = '# /// script\n# requires-python = ">=3.11"\n# dependencies = ["polars"]\n# ///\nimport marimo\n';
const PYPROJECT = '[project]\nname = "p"\ndependencies = [\n  "marimo[recommended]>=0.21",\n  "polars",\n]\n';

describe("planLaunch: the decision tree", () => {
  it("uses an explicit command as given", async () => {
    const plan = await planLaunch({ command: ["uv", "run", "marimo"], cwd: "/w" }, fakeProbe({}));
    expect(plan).toMatchObject({ runner: "command", command: ["uv", "run", "marimo"], sandbox: false });
  });

  it("rejects an empty command", async () => {
    await expect(planLaunch({ command: [], cwd: "/w" }, fakeProbe({}))).rejects.toThrow(TypeError);
  });

  it("runs a uv project (pyproject lists marimo, uv.lock present) through uv run", async () => {
    const probe = fakeProbe(
      { "/p/pyproject.toml": PYPROJECT, "/p/uv.lock": "", "/p/nb/a.py": NOTEBOOK, "/p/.venv/bin/marimo": "" },
      ["uv", "marimo"],
    );
    const plan = await planLaunch({ notebook: "/p/nb/a.py", cwd: "/elsewhere" }, probe);
    expect(plan).toMatchObject({ runner: "uv_project", command: ["/usr/bin/uv", "run", "--project", "/p", "marimo"], projectDir: "/p" });
  });

  it("prefers the project's .venv over uv when there is no uv.lock", async () => {
    const probe = fakeProbe({ "/p/pyproject.toml": PYPROJECT, "/p/a.py": NOTEBOOK, "/p/.venv/bin/marimo": "" }, ["uv"]);
    const plan = await planLaunch({ notebook: "/p/a.py", cwd: "/p" }, probe);
    expect(plan).toMatchObject({ runner: "project_venv", command: ["/p/.venv/bin/marimo"] });
  });

  it("uses uv run for a project without a lock or .venv when uv exists", async () => {
    const probe = fakeProbe({ "/p/pyproject.toml": PYPROJECT, "/p/a.py": NOTEBOOK }, ["uv", "marimo"]);
    expect((await planLaunch({ notebook: "/p/a.py", cwd: "/p" }, probe)).runner).toBe("uv_project");
  });

  it("uses pixi run in a pixi project", async () => {
    const probe = fakeProbe({ "/p/pyproject.toml": PYPROJECT, "/p/pixi.lock": "", "/p/a.py": NOTEBOOK }, ["pixi"]);
    const plan = await planLaunch({ notebook: "/p/a.py", cwd: "/p" }, probe);
    expect(plan.runner).toBe("pixi_project");
    expect(plan.command).toEqual(["/usr/bin/pixi", "run", "--manifest-path", "/p/pyproject.toml", "marimo"]);
  });

  it("falls back to PATH, with a note, when the project has no runner", async () => {
    const probe = fakeProbe({ "/p/pyproject.toml": PYPROJECT, "/p/a.py": NOTEBOOK }, ["marimo"]);
    const plan = await planLaunch({ notebook: "/p/a.py", cwd: "/p" }, probe);
    expect(plan.runner).toBe("path");
    expect(plan.notes.join(" ")).toMatch(/lists marimo/);
  });

  it("ignores a pyproject that does not list marimo", async () => {
    const probe = fakeProbe(
      { "/p/pyproject.toml": '[project]\ndependencies = ["marimo-pair-tools"]\n[tool.marimo]\nwidth = "full"\n', "/p/a.py": NOTEBOOK, "/p/.venv/bin/marimo": "" },
      ["marimo"],
    );
    expect((await planLaunch({ notebook: "/p/a.py", cwd: "/p" }, probe)).runner).toBe("path");
  });

  it("searches for pyproject.toml from the notebook's directory upward, starting at cwd without a notebook", async () => {
    const files = { "/p/pyproject.toml": PYPROJECT, "/p/.venv/bin/marimo": "", "/p/deep/er/x.txt": "" };
    expect((await planLaunch({ cwd: "/p/deep/er" }, fakeProbe(files))).runner).toBe("project_venv");
    expect((await planLaunch({ notebook: "/p/deep", cwd: "/" }, fakeProbe(files))).runner).toBe("project_venv");
  });

  it("sandboxes a PEP 723 notebook when uv exists", async () => {
    const probe = fakeProbe({ "/w/a.py": PEP723 }, ["marimo", "uv"]);
    expect(await planLaunch({ notebook: "/w/a.py", cwd: "/w" }, probe)).toMatchObject({ runner: "path", sandbox: true });
  });

  it("starts a PEP 723 notebook without a sandbox, with a note, when uv is missing", async () => {
    const plan = await planLaunch({ notebook: "/w/a.py", cwd: "/w" }, fakeProbe({ "/w/a.py": PEP723 }, ["marimo"]));
    expect(plan.sandbox).toBe(false);
    expect(plan.notes.join(" ")).toMatch(/PEP 723/);
  });

  it("does not sandbox a PEP 723 notebook inside a project that lists marimo", async () => {
    const probe = fakeProbe({ "/p/pyproject.toml": PYPROJECT, "/p/.venv/bin/marimo": "", "/p/a.py": PEP723 }, ["uv"]);
    expect((await planLaunch({ notebook: "/p/a.py", cwd: "/p" }, probe)).sandbox).toBe(false);
  });

  it("honours an explicit sandbox choice", async () => {
    const probe = fakeProbe({ "/w/a.py": PEP723 }, ["marimo", "uv"]);
    expect((await planLaunch({ notebook: "/w/a.py", cwd: "/w", sandbox: false }, probe)).sandbox).toBe(false);
    expect((await planLaunch({ command: ["m"], notebook: "/w/a.py", cwd: "/w", sandbox: true }, probe)).sandbox).toBe(true);
  });

  it("falls back to uvx marimo, then to uv tool run", async () => {
    expect((await planLaunch({ cwd: "/w" }, fakeProbe({}, ["uvx", "uv"]))).command).toEqual(["/usr/bin/uvx", "marimo"]);
    expect((await planLaunch({ cwd: "/w" }, fakeProbe({}, ["uv"]))).command).toEqual(["/usr/bin/uv", "tool", "run", "marimo"]);
  });

  it("throws MarimoNotFoundError listing what it looked for", async () => {
    const error = await planLaunch({ cwd: "/w" }, fakeProbe({})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MarimoNotFoundError);
    expect((error as MarimoNotFoundError).searched).toEqual(["marimo on PATH", "uv (for uvx marimo)"]);
    expect((error as Error).message).toMatch(/uv tool install marimo/);
  });
});

describe("the textual checks", () => {
  it("recognises marimo requirements, not look-alikes", () => {
    expect(pyprojectListsMarimo('dependencies = ["marimo"]')).toBe(true);
    expect(pyprojectListsMarimo("dependencies = ['marimo>=0.21.1']")).toBe(true);
    expect(pyprojectListsMarimo('dev = ["marimo[sql] ~= 0.25"]')).toBe(true);
    expect(pyprojectListsMarimo('dev = ["marimo; python_version>=\'3.10\'"]')).toBe(true);
    expect(pyprojectListsMarimo('dependencies = ["marimo-pair"]')).toBe(false);
    expect(pyprojectListsMarimo('[tool.marimo]\nwidth = "full"')).toBe(false);
  });

  it("recognises a PEP 723 header only as a whole line", () => {
    expect(hasPep723Header(PEP723)).toBe(true);
    expect(hasPep723Header("x = 1\n# /// script\n# ///\n")).toBe(true);
    expect(hasPep723Header("# //// script\n")).toBe(false);
    expect(hasPep723Header("s = '# /// script'\n")).toBe(false);
  });
});
