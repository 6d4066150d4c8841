/**
 * The built CLI's notebook commands against real marimo: `cells` and `apply`.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir, type MarimoServer, openRawSession, type RawSession, startMarimo, stopAll } from "../helpers/marimo-server.js";
import { assertCliBuilt, runCli } from "./cli-helpers.js";

const NOTEBOOK = `import marimo

__generated_with = "0.25.2"
app = marimo.App()


@app.cell
def load():
    base = 20
    return (base,)


@app.cell
def _(base):
    # doubles the base
    doubled = base * 2
    return (doubled,)


if __name__ == "__main__":
    app.run()
`;

let server: MarimoServer;
let tmp: string;
let held: RawSession | undefined;

beforeAll(async () => {
  assertCliBuilt();
  tmp = await makeTempDir("cli-nb-");
  server = await startMarimo({ notebook: NOTEBOOK, notebookName: "pair.py" });
  held = await openRawSession(server);
});

afterAll(async () => {
  held?.close();
  await server?.stop();
  await stopAll();
});

interface Cell {
  id: string;
  name: string | null;
  code?: string;
  status: string | null;
  errors: { kind: string; message: string }[];
}

async function cellsJson(): Promise<Cell[]> {
  const run = await runCli(["cells", "--url", server.url, "--json"]);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as Cell[];
}

describe("cells", () => {
  it("--json lists the cells in notebook order with code, status and errors", async () => {
    const cells = await cellsJson();
    expect(cells.map((c) => [c.name, c.code])).toEqual([
      ["load", "base = 20"],
      [null, "# doubles the base\ndoubled = base * 2"],
    ]);
    for (const c of cells) {
      expect(c.id).toMatch(/^\S+$/);
      expect(c.errors).toEqual([]);
    }
  });

  it("prints a table for people, with the first line of code", async () => {
    const run = await runCli(["cells", "--url", server.url, "--file", "pair.py"]);
    expect(run.code).toBe(0);
    const [header, first, second] = run.stdout.trimEnd().split("\n");
    expect(header).toMatch(/^ID\s+NAME\s+STATUS\s+ERRORS\s+CODE$/);
    expect(first).toMatch(/^\S+\s+load\s+\S+\s+base = 20$/);
    expect(second).toMatch(/# doubles the base$/);
  });

  it("exits 1 with guidance when the notebook is not open", async () => {
    const run = await runCli(["cells", "--url", server.url, "--file", "other.py"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no open notebook matches --file 'other.py'/);
  });
});
