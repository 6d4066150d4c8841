/**
 * The agent faces against real marimo 0.25.2, with two servers sharing one registry:
 * one resolver across servers (`findSession`, CLI, MCP tools), opening a notebook nobody
 * has open (`marimo-pair open`, `findSession({ open: true })`, `bind_notebook`), readable
 * output (`exec --json`, `exec --text`, `outputText`), refusals that name cells as the
 * caller named them, and the CLI's Node version check.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeMode } from "../../src/codemode/plan.js";
import { NotebookValidationError } from "../../src/codemode/errors.js";
import { AmbiguousSessionError, NoSessionError } from "../../src/errors.js";
import { outputText } from "../../src/outputs/decode.js";
import { findSession } from "../../src/session/find.js";
import { OwnedSession } from "../../src/session/open.js";
import { createMarimoTools } from "../../src/tools/toolset.js";
import { itWhen } from "../helpers/feature.js";
import { makeTempDir, type MarimoServer, openRawSession, type RawSession, SIMPLE_NOTEBOOK, startMarimo, stopAll } from "../helpers/marimo-server.js";
import { cliPath, prepareCli, runCli } from "./cli-helpers.js";

let state: string;
let single: MarimoServer; // `marimo edit alpha.py`, alpha open
let directory: MarimoServer; // `marimo edit DIR` with beta.py, alpha.py and sub/gamma.py, none open at first
const held: RawSession[] = [];
const opened: OwnedSession[] = [];
let env: Record<string, string>;

const inState = () => ({ env: { XDG_STATE_HOME: state } });
const textOf = (r: { content: readonly { type: string; text?: string }[] }) => r.content.map((c) => c.text ?? "").join("\n");

async function sessionsOn(server: MarimoServer): Promise<{ path: string | null }[]> {
  const res = await fetch(`${server.url}/api/sessions`, { headers: { Accept: "application/json" } });
  const body = (await res.json()) as Record<string, { path: string | null }>;
  return Object.values(body);
}

beforeAll(async () => {
  await prepareCli();
  state = await makeTempDir("faces-state-");
  env = { ...(process.env as Record<string, string>), XDG_STATE_HOME: state };
  delete env["MARIMO_TOKEN"];
  [single, directory] = await Promise.all([
    startMarimo({ stateHome: state, notebookName: "alpha.py" }),
    startMarimo({ stateHome: state, notebooks: { "beta.py": SIMPLE_NOTEBOOK, "alpha.py": SIMPLE_NOTEBOOK, "sub/gamma.py": SIMPLE_NOTEBOOK } }),
  ]);
  held.push(await openRawSession(single));
});

afterAll(async () => {
  for (const s of opened) s.close();
  for (const s of held) s.close();
  await Promise.all([single?.stop(), directory?.stop()]);
  await stopAll();
});

describe("one open notebook on two servers", () => {
  it("exec without --url or --file runs in the only open notebook", async () => {
    const run = await runCli(["exec", "-c", "import marimo as mo\nprint(mo.notebook_dir())"], inState());
    expect(run.stderr).toBe("");
    expect(run).toMatchObject({ code: 0, stdout: `${single.dir}\n` });
  });

  it("MCP read_cells, unbound and naming nothing, reads the only open notebook", async () => {
    const result = await createMarimoTools({ env }).call("read_cells", {});
    expect(result.isError).toBe(false);
    expect(result.structuredContent).toMatchObject({ url: single.url, file: single.notebookPath });
  });

  it("findSession by basename finds the server that has it open", async () => {
    const nb = await findSession({ file: "alpha.py" }, { env });
    expect(nb.info.path).toBe(single.notebookPath);
    expect((await nb.execute("import marimo as mo\nprint(mo.notebook_dir())")).stdout).toBe(`${single.dir}\n`);
  });

  it("findSession with no match lists what is open where (server and file)", async () => {
    const error = await findSession({ file: "zzz.py" }, { env }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoSessionError);
    const message = (error as Error).message;
    expect(message).toContain("2 running marimo server(s)");
    expect(message).toContain(`${single.url}  `);
    expect(message).toContain(single.notebookPath);
    expect(message).toContain("findSession({ file, open: true })");
  });

  it("exec --json prints one JSON document with stdout, stderr, the value as data and text, and the truncation flag", async () => {
    const run = await runCli(["exec", "--json", "-c", "import sys\nprint('out')\nprint('err', file=sys.stderr)\n{'East': 66209.56}"], inState());
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(doc).toEqual({
      success: true,
      stdout: "out\n",
      stderr: "err\n",
      output: { mimetype: "application/json", data: '{"East": "text/plain+float:66209.56"}', text: "{'East': 66209.56}" },
      truncated: false,
    });
    const failed = await runCli(["exec", "--json", "-c", "1/0"], inState());
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout)).toMatchObject({ success: false, stderr: expect.stringContaining("ZeroDivisionError") });
  });

  it("exec --text prints the value as a person reads it; plain exec keeps marimo's rendering", async () => {
    const text = await runCli(["exec", "--text", "-c", "6 * 7"], inState());
    expect(text).toMatchObject({ code: 0, stdout: "42\n" });
    const plain = await runCli(["exec", "-c", "6 * 7"], inState());
    expect(plain).toMatchObject({ code: 0, stdout: "<pre class='text-xs'>42</pre>\n" });
  });

  it("outputText reads a dict of floats, a big int, NaN, a DataFrame and mo.md", async () => {
    const nb = await findSession({}, { env });
    const text = async (code: string) => outputText((await nb.execute(code)).output);
    expect(await text("{'East': 66209.56, 'West': 1.5, 'n': 3}")).toBe("{'East': 66209.56, 'West': 1.5, 'n': 3}");
    expect(await text("{'big': 2**80}")).toBe("{'big': 1208925819614629174706176}");
    expect(await text("2**100")).toBe("1267650600228229401496703205376");
    expect(await text("[float('nan'), float('inf'), -float('inf')]")).toBe("[nan, inf, -inf]");
    expect(await text("float('nan')")).toBe("nan");
    expect(await text("import pandas as pd\npd.DataFrame({'city': ['Oslo', 'Lima'], 'temp': [3.5, 19.0]})")).toBe(
      "city  temp\nOslo  3.5\nLima  19\n(2 row(s) × 2 column(s))",
    );
    expect(await text("import marimo as mo\nmo.md('# Report\\n\\nAll *good*.')")).toBe("Report\n\nAll good.");
  });
});

describe("refusals name cells as the caller named them", () => {
  // marimo validates inside the batch, and a batch that creates cells needs codeModeSaves.
  const it = itWhen(["codeModeSaves", "runRegistersCells"]);

  it("a syntax error names the new cell by its name, or its place and code; never a plan key", async () => {
    const nb = await findSession({ file: single.notebookPath }, { env });
    const named = await nb.apply(codeMode((b) => { b.createCell("ok_1 = 1"); b.createCell("def (:", { name: "broken" }); })).catch((e: unknown) => e);
    expect(named).toBeInstanceOf(NotebookValidationError);
    expect((named as Error).message).toContain("syntax error in new cell 'broken' at line 1");
    expect((named as Error).message).not.toMatch(/\bc[0-9]\b/);
    const unnamed = await nb.apply(codeMode((b) => { b.createCell("ok_1 = 1"); b.createCell("def (:"); })).catch((e: unknown) => e);
    expect((unnamed as Error).message).toContain("syntax error in new cell #2 (def (:)");
  });

  it("a cycle names real cells: the new ones as given, the existing one by id", async () => {
    const nb = await findSession({ file: single.notebookPath }, { env });
    const [existing] = await nb.cells();
    expect(existing).toBeDefined();
    const error = await nb
      .apply(codeMode((b) => { b.createCell("loop_a = loop_b + 1", { name: "first" }); b.createCell("loop_b = loop_a + 1"); }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotebookValidationError);
    expect((error as NotebookValidationError).cells).toEqual(expect.arrayContaining(["new cell 'first'", "new cell #2 (loop_b = loop_a + 1)"]));
    expect((error as Error).message).toContain("new cell 'first'");
    const withExisting = await nb
      .apply(codeMode((b) => { b.createCell("y = x + 1", { name: "uses_x" }); b.editCell(existing?.id ?? "", { code: "x = y" }); }))
      .catch((e: unknown) => e);
    expect((withExisting as NotebookValidationError).cells).toEqual(expect.arrayContaining(["new cell 'uses_x'", `cell ${existing?.id ?? ""}`]));
  });

  it("the CLI and the MCP tools say it in their own terms", async () => {
    const ops = JSON.stringify([{ op: "create_cell", code: "def (:", name: "broken" }]);
    const run = await runCli(["apply", "--file", "alpha.py", "-"], { ...inState(), stdin: ops });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("new cell 'broken'");
    expect(run.stderr).toContain("--skip-validation");
    expect(run.stderr).not.toContain("skipValidation");
    const tools = createMarimoTools({ env });
    const result = await tools.call("create_cell", { file: "alpha.py", code: "def (:", name: "broken" });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain("new cell 'broken'");
    expect(textOf(result)).not.toContain("skipValidation");
  });
});

describe("opening a notebook nobody has open", () => {
  it("marimo-pair open makes one session, twice is still one, and it survives the CLI's exit", async () => {
    const first = await runCli(["open", "--file", "beta.py", "--json"], inState());
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const one = JSON.parse(first.stdout) as { url: string; path: string; opened: boolean; stableId: string };
    expect(one).toMatchObject({ url: directory.url, path: join(directory.dir, "beta.py"), opened: true });
    const second = await runCli(["open", "--file", "beta.py", "--json"], inState());
    const two = JSON.parse(second.stdout) as typeof one;
    expect(two).toMatchObject({ url: directory.url, opened: false, stableId: one.stableId });
    expect((await sessionsOn(directory)).filter((s) => s.path === join(directory.dir, "beta.py"))).toHaveLength(1);
    // The CLI has exited; the session is still there and runs code.
    const exec = await runCli(["exec", "--file", "beta.py", "-c", "import marimo as mo\nprint(mo.notebook_dir())"], inState());
    expect(exec.stderr).toBe("");
    expect(exec).toMatchObject({ code: 0, stdout: `${directory.dir}\n` });
  });

  it("open of a file no server serves says so, and opens nothing", async () => {
    const run = await runCli(["open", "--file", "nowhere.py"], inState());
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("No running server serves a notebook that matches");
    expect(await sessionsOn(directory)).toHaveLength(1);
  });

  it("findSession({ file, open: true }) opens on the server that serves it; several matches are refused, listing each", async () => {
    const nb = await findSession({ file: "alpha.py", open: true }, { env, urls: [directory.url], discover: false });
    expect(nb).toBeInstanceOf(OwnedSession);
    opened.push(nb as OwnedSession);
    expect(nb.info.path).toBe(join(directory.dir, "alpha.py"));
    const error = await findSession({ file: "alpha.py" }, { env }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AmbiguousSessionError);
    const candidates = (error as AmbiguousSessionError).candidates.map((c) => [c.url, c.path]).sort();
    expect(candidates).toEqual([[directory.url, join(directory.dir, "alpha.py")], [single.url, single.notebookPath]].sort());
    expect((error as Error).message).toContain(single.url);
    expect((error as Error).message).toContain(directory.url);
    const run = await runCli(["exec", "-c", "1"], inState());
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(single.notebookPath);
    expect(run.stderr).toContain(directory.url);
  });

  it("MCP bind_notebook opens a notebook nobody has open, says opened: true, and later calls act on it", async () => {
    const tools = createMarimoTools({ env });
    const bound = await tools.call("bind_notebook", { file: "gamma.py" });
    expect(bound.isError).toBe(false);
    expect(bound.structuredContent).toMatchObject({ url: directory.url, opened: true, session: { path: join(directory.dir, "sub", "gamma.py") } });
    expect(textOf(bound)).toContain("Opened");
    const run = await tools.call("execute_code", { code: "import marimo as mo\nprint(mo.notebook_dir())" });
    expect(run.structuredContent).toMatchObject({ success: true, stdout: `${join(directory.dir, "sub")}\n`, file: join(directory.dir, "sub", "gamma.py") });
    const again = await createMarimoTools({ env }).call("bind_notebook", { file: "gamma.py" });
    expect(again.structuredContent).toMatchObject({ opened: false });
    expect((await sessionsOn(directory)).filter((s) => s.path === join(directory.dir, "sub", "gamma.py"))).toHaveLength(1);
  });
});

describe("the Node version check", () => {
  const oldNode = (() => {
    for (const candidate of ["/usr/local/bin/node", "/usr/bin/node", "/bin/node"]) {
      if (!existsSync(candidate)) continue;
      const version = execFileSync(candidate, ["--version"], { encoding: "utf8" }).trim();
      if (/^v(1\d|2[01])\.|^v22\.([0-9]|1[01])\./.test(version)) return { path: candidate, version: version.slice(1) };
    }
    return undefined;
  })();

  it.skipIf(oldNode === undefined)("on Node < 22.12 the CLI prints one line saying what it needs and what it found, and exits 1", () => {
    if (oldNode === undefined) return;
    let status = 0;
    let stderr = "";
    let stdout = "";
    try {
      stdout = execFileSync(oldNode.path, [cliPath(), "exec", "-c", "1"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { PATH: "/usr/bin:/bin" } });
    } catch (error) {
      const e = error as { status: number; stderr: string; stdout: string };
      status = e.status;
      stderr = e.stderr;
      stdout = e.stdout;
    }
    expect(status).toBe(1);
    expect(stdout).toBe("");
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(stderr).toContain("needs Node.js >= 22.12");
    expect(stderr).toContain(`Node.js ${oldNode.version}`);
    expect(stderr).not.toContain("SyntaxError");
  });
});
