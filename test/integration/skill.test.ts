/**
 * The Agent Skill (skills/marimo-pair/SKILL.md and its references) runs as written: every fenced shell
 * block is run, in order, with bash against a real marimo server, `npx marimo-pair` being the
 * built CLI. Only the example server URL is replaced by the test server's; the notebook is
 * named analysis.py, as in the skill, and discovery finds the server through the test's
 * registry directory.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../../src/index.js";
import { describeWhen, VERSION } from "../helpers/feature.js";
import { EMPTY_NOTEBOOK, type MarimoServer, openRawSession, type RawSession, startMarimo, stopAll } from "../helpers/marimo-server.js";
import { cliPath, NODE, prepareCli } from "./cli-helpers.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SKILL_DIR = join(ROOT, "skills", "marimo-pair");
const EXAMPLE_URL = "http://127.0.0.1:2718";

interface Block {
  file: string;
  code: string;
}

/** Fenced sh/bash/shell blocks of a markdown file, in order. */
function shellBlocks(path: string): Block[] {
  const text = readFileSync(path, "utf8");
  return [...text.matchAll(/^```(?:sh|bash|shell)\n([\s\S]*?)^```$/gm)].map((m) => ({ file: path.slice(SKILL_DIR.length + 1), code: m[1] ?? "" }));
}

const files = [join(SKILL_DIR, "SKILL.md"), ...readdirSync(join(SKILL_DIR, "reference")).filter((f) => f.endsWith(".md")).sort().map((f) => join(SKILL_DIR, "reference", f))];
const blocks = files.flatMap(shellBlocks);

let server: MarimoServer;
let raw: RawSession;

beforeAll(async () => {
  await prepareCli();
  server = await startMarimo({ notebookName: "analysis.py", notebook: EMPTY_NOTEBOOK });
  raw = await openRawSession(server, { file: "analysis.py" });
});

afterAll(async () => {
  raw?.close();
  await server?.stop();
  await stopAll();
});

/** `npx marimo-pair ...` runs the built CLI; anything else npx would fetch is refused. */
const PRELUDE = `set -euo pipefail
npx() {
  if [ "\${1:-}" = "-y" ]; then shift; fi
  if [ "\${1:-}" = "marimo-pair" ]; then shift; "$MP_NODE" "$MP_CLI" "$@"; return; fi
  echo "the skill test only runs marimo-pair, not: npx $*" >&2
  return 127
}
`;

function runBlock(code: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolveRun, reject) => {
    const child = spawn("bash", ["-c", PRELUDE + code.replaceAll(EXAMPLE_URL, server.url)], {
      cwd: server.dir,
      env: {
        PATH: process.env["PATH"] ?? "/usr/bin:/bin",
        HOME: process.env["HOME"] ?? "/tmp",
        XDG_STATE_HOME: server.stateHome,
        MP_NODE: NODE,
        MP_CLI: cliPath(),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 240_000);
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolveRun({ code: status, stdout, stderr });
    });
  });
}

describe("the skill's files", () => {
  it("has the Agent Skill front matter: a lowercase name and a description", () => {
    const text = readFileSync(join(SKILL_DIR, "SKILL.md"), "utf8");
    const front = /^---\n([\s\S]*?)\n---\n/.exec(text)?.[1] ?? "";
    const name = /^name: (.+)$/m.exec(front)?.[1];
    const description = /^description: (.+)$/m.exec(front)?.[1] ?? "";
    expect(name).toBe("marimo-pair");
    expect(name).toMatch(/^[a-z0-9-]{1,64}$/);
    expect(description.length).toBeGreaterThan(100);
    expect(description.length).toBeLessThanOrEqual(1024);
  });

  it("links only to files that exist, and ships in the package", () => {
    const text = readFileSync(join(SKILL_DIR, "SKILL.md"), "utf8");
    const links = [...text.matchAll(/\]\(([^)#]+\.md)\)/g)].map((m) => m[1] ?? "");
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(existsSync(join(SKILL_DIR, link))).toBe(true);
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { files: string[] };
    expect(pkg.files).toContain("skills");
  });

  it("uses only commands the CLI has", () => {
    const used = new Set(blocks.flatMap((b) => [...b.code.matchAll(/npx marimo-pair (\w+)/g)].map((m) => m[1])));
    expect([...used].sort()).toEqual(["apply", "cells", "discover", "exec", "mcp", "screenshot", "sessions"]);
  });
});

// The skill builds cells with `apply`, edits what it read, and runs them.
describeWhen(["codeModeSaves", "runRegistersCells", "stalenessCheck"])("every shell command the skill shows runs against a real marimo server", () => {
  const outputs: string[] = [];

  it.each(blocks.map((b, i) => [i + 1, b.file, b.code.split("\n")[0] ?? "", b] as const))(
    "block %i of %s: %s",
    { timeout: 300_000 },
    async (index, _file, _first, block) => {
      const result = await runBlock(block.code);
      outputs[index - 1] = result.stdout;
      expect(result.stderr, `stdout:\n${result.stdout}`).not.toContain("marimo-pair: error");
      expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 0 });
    },
  );

  it("did what the skill says it does", async () => {
    const find = (needle: string) => blocks.findIndex((b) => b.code.includes(needle));
    const at = (needle: string) => outputs[find(needle)] ?? "";
    // A block may run several commands: take the first JSON document that starts a line.
    const json = (text: string): unknown => {
      const start = text.search(/^[[{]/m);
      for (let end = text.indexOf("\n", start); end !== -1; end = text.indexOf("\n", end + 1)) {
        try {
          return JSON.parse(text.slice(start, end));
        } catch {
          /* not complete yet */
        }
      }
      return JSON.parse(text.slice(start));
    };
    expect(json(at("npx marimo-pair discover"))).toEqual([expect.objectContaining({ url: server.url, version: VERSION })]);
    expect(at("npx marimo-pair discover")).toContain(`${server.dir}/analysis.py`);
    expect(at("--url http://127.0.0.1:2718")).toContain("analysis.py");
    const created = json(at('"op": "create_cell"')) as { applied: boolean; success: boolean; created: unknown[]; cells: { name: string; status: string }[] };
    expect(created).toMatchObject({ applied: true, success: true });
    expect(created.created).toHaveLength(2);
    expect(created.cells.map((c) => [c.name, c.status])).toEqual([["agent_values_cell", "idle"], ["agent_total_cell", "idle"]]);
    expect(at("print(agent_total)")).toBe("23\n");
    expect(at("--cell agent_total_cell -o agent_total.png")).toMatch(/agent_total\.png\t\d+x\d+\t\S+ \(agent_total_cell\)\n$/);
    expect(at("print(f\"Python")).toMatch(/^Python 3\.\d+\n$/);
    const edited = json(at('"op": "edit_cell"')) as { success: boolean; edited: string[] };
    expect(edited.success).toBe(true);
    expect(edited.edited).toHaveLength(1);
    expect(json(at('"op": "install_packages"'))).toMatchObject({ packages: [{ action: "add", name: "humanize", version: expect.stringMatching(/^\d/) }] });
    expect(json(at('"op": "remove_packages"'))).toMatchObject({ packages: [{ action: "remove", name: "humanize", version: null }] });
    expect(at("npx marimo-pair mcp --help")).toContain("Usage: marimo-pair mcp");
    // The skill ends by deleting what it made: the notebook holds none of its cells.
    const cells = await (await connect(server.url).session({ file: "analysis.py" })).cells({ code: false });
    expect(cells.map((c) => c.name)).not.toContain("agent_total_cell");
    expect(cells.map((c) => c.name)).not.toContain("agent_values_cell");
  });
});
