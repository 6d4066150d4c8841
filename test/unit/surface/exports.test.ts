/**
 * The public surface is a decision: each entry of package.json exports a reviewed list of
 * names. The list (name and kind) is computed from the sources with the TypeScript compiler
 * and compared with the committed `exports.snapshot.txt`; any addition, removal or change of
 * kind fails until the snapshot is updated on purpose:
 *
 *   UPDATE_SURFACE=1 npx vitest run test/unit/surface/exports.test.ts
 *
 * (and the README's API section updated with it). The entries also stay under their ceilings.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { entryProgram, type ExportedName, exportList } from "./export-list.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "..", "..", "..");
const SNAPSHOT = join(HERE, "exports.snapshot.txt");

/** Most names (values and types) each entry may export. */
const CEILINGS: Record<string, number> = { ".": 80, "./client": 50, "./codemode": 35, "./tools": 30 };

const PKG = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  name: string;
  exports: Record<string, string | { types: string; import: string }>;
};
const ENTRIES = Object.entries(PKG.exports).flatMap(([subpath, target]) =>
  typeof target === "string" ? [] : [{ subpath, source: join(ROOT, target.import.replace(/^\.\/dist\//, "src/").replace(/\.js$/, ".ts")) }],
);

function render(lists: Map<string, ExportedName[]>): string {
  const blocks: string[] = [];
  for (const [subpath, names] of lists) {
    const title = subpath === "." ? PKG.name : `${PKG.name}/${subpath.slice(2)}`;
    blocks.push([`# ${title} (${names.length})`, ...names.map((n) => `${n.name} ${n.kind}`)].join("\n"));
  }
  return `${blocks.join("\n\n")}\n`;
}

function names(text: string): Set<string> {
  const found = new Set<string>();
  let entry = "";
  for (const line of text.split("\n")) {
    if (line.startsWith("# ")) entry = line.slice(2).replace(/ \(\d+\)$/, "");
    else if (line.trim() !== "") found.add(`${entry}: ${line}`);
  }
  return found;
}

describe("the public surface", () => {
  const program = entryProgram(ENTRIES.map((e) => e.source));
  const lists = new Map(ENTRIES.map((e) => [e.subpath, exportList(program, e.source)]));
  const current = render(lists);

  it("covers the four entries of package.json", () => {
    expect([...lists.keys()]).toEqual(Object.keys(CEILINGS));
  });

  it("matches the reviewed export lists in exports.snapshot.txt", () => {
    if (process.env["UPDATE_SURFACE"] === "1") writeFileSync(SNAPSHOT, current);
    expect(existsSync(SNAPSHOT), "test/unit/surface/exports.snapshot.txt is missing; create it with UPDATE_SURFACE=1 and review it").toBe(true);
    const reviewed = readFileSync(SNAPSHOT, "utf8");
    const before = names(reviewed);
    const after = names(current);
    const changes = [...[...after].filter((n) => !before.has(n)).map((n) => `+ ${n}`), ...[...before].filter((n) => !after.has(n)).map((n) => `- ${n}`)];
    expect(
      changes,
      "the public surface changed; if on purpose, run UPDATE_SURFACE=1 npx vitest run test/unit/surface/exports.test.ts, review the diff of exports.snapshot.txt and update the README's API section",
    ).toEqual([]);
    expect(current).toBe(reviewed);
  });

  it.each(Object.entries(CEILINGS))("entry %s stays within %i names", (subpath, ceiling) => {
    const list = lists.get(subpath) ?? [];
    expect(list.length).toBeGreaterThan(3);
    expect(list.length).toBeLessThanOrEqual(ceiling);
  });

  it("computes kinds from the declarations (control)", () => {
    const main = new Map((lists.get(".") ?? []).map((n) => [n.name, n.kind]));
    expect(main.get("NotebookSession")).toBe("class");
    expect(main.get("connect")).toBe("function");
    expect(main.get("ErrorCode")).toBe("const+type");
    expect(main.get("ExecuteOptions")).toBe("interface");
    expect(main.get("ExecuteEvent")).toBe("type");
  });
});
