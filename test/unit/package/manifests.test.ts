/**
 * The install entry points agents use, checked against their documented schemas:
 * - `.claude-plugin/marketplace.json` (Claude Code plugin marketplaces: `name`, `owner.name`,
 *   `plugins[]` with `name` and `source`; plugin entries may carry plugin-manifest fields such as
 *   `skills` and `mcpServers`);
 * - `.codex-plugin/plugin.json` (Codex plugins: `name` required, kebab-case; `skills` a path;
 *   `mcpServers` a path to an `.mcp.json` or an inline map);
 * - `skills/<name>/SKILL.md` (Agent Skills: frontmatter `name` 1–64 characters of a-z, 0-9 and
 *   single hyphens, equal to its directory; `description` 1–1024 characters; optional `license`,
 *   `compatibility` ≤ 500, `metadata`, `allowed-tools`).
 * And that what they name exists in the published package: the skill, the MCP server command
 * (`npx -y marimo-pair mcp`: this package's binary and its `mcp` command), every file they point
 * at, and every relative link of the README.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { findCommand } from "../../../src/cli/commands.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const PKG = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { name: string; version: string; files: string[]; bin: Record<string, string> };
const json = (path: string): unknown => JSON.parse(readFileSync(join(ROOT, path), "utf8"));

const Kebab = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/);
const RelativePath = z.string().regex(/^\.\//);
const McpServerMap = z.record(z.string(), z.looseObject({ command: z.string(), args: z.array(z.string()).optional() }));

const MarketplaceSchema = z.looseObject({
  name: Kebab,
  owner: z.looseObject({ name: z.string().min(1), email: z.string().optional() }),
  metadata: z.looseObject({ description: z.string().optional(), version: z.string().optional() }).optional(),
  plugins: z
    .array(
      z.looseObject({
        name: Kebab,
        source: z.union([RelativePath, z.looseObject({ source: z.string() })]),
        description: z.string().optional(),
        version: z.string().optional(),
        skills: z.union([RelativePath, z.array(RelativePath)]).optional(),
        mcpServers: z.union([RelativePath, McpServerMap]).optional(),
      }),
    )
    .min(1),
});

const CodexPluginSchema = z.looseObject({
  name: Kebab,
  version: z.string().regex(/^\d+\.\d+\.\d+/).optional(),
  description: z.string().optional(),
  skills: RelativePath.optional(),
  mcpServers: z.union([RelativePath, McpServerMap]).optional(),
});

const McpJsonSchema = z.looseObject({ mcpServers: McpServerMap });

const SkillFrontmatterSchema = z.strictObject({
  name: z.string().min(1).max(64).regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  description: z.string().min(1).max(1024),
  license: z.string().optional(),
  compatibility: z.string().min(1).max(500).optional(),
  metadata: z.record(z.string(), z.string()).optional(),
  "allowed-tools": z.string().optional(),
});

/** The frontmatter of a SKILL.md (flat `key: value` lines, as ours are). */
function frontmatter(path: string): Record<string, string> {
  const text = readFileSync(path, "utf8");
  const block = /^---\n([\s\S]*?)\n---\n/.exec(text);
  expect(block, `${path} starts with a frontmatter block`).not.toBeNull();
  const fields: Record<string, string> = {};
  for (const line of (block?.[1] ?? "").split("\n")) {
    const m = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
    if (m?.[1] !== undefined) fields[m[1]] = (m[2] ?? "").replace(/^"(.*)"$/, "$1");
  }
  return fields;
}

/** True when `path` (relative to the root) is inside an entry of package.json `files`. */
function published(path: string): boolean {
  const clean = normalize(path).replace(/^\.\//, "").replace(/\/$/, "");
  return PKG.files.some((entry) => clean === entry || clean.startsWith(`${entry}/`));
}

/** The MCP servers a manifest declares, from a path to an `.mcp.json` or inline. */
function serversOf(declared: string | Record<string, unknown>): Record<string, { command: string; args?: string[] | undefined }> {
  if (typeof declared !== "string") return McpServerMap.parse(declared);
  expect(existsSync(join(ROOT, declared)), declared).toBe(true);
  expect(published(declared), `${declared} is published`).toBe(true);
  return McpJsonSchema.parse(json(declared)).mcpServers;
}

/** The server is this package's own MCP command: `npx -y marimo-pair mcp`. */
function expectOwnMcpServer(servers: Record<string, { command: string; args?: string[] | undefined }>): void {
  const entries = Object.values(servers);
  expect(entries).toHaveLength(1);
  expect(entries[0]).toEqual({ command: "npx", args: ["-y", PKG.name, "mcp"] });
  expect(PKG.bin[PKG.name]).toBeDefined();
  expect(existsSync(join(ROOT, "src", "cli", "main.ts"))).toBe(true);
  expect(findCommand("mcp")?.spec.name).toBe("mcp");
}

/** Skill directories under a `skills` path, each validated as an Agent Skill. */
function expectSkills(path: string): string[] {
  const dir = join(ROOT, path);
  expect(published(path), `${path} is published`).toBe(true);
  const skillDirs = existsSync(join(dir, "SKILL.md"))
    ? [dir]
    : readdirSync(dir).map((d) => join(dir, d)).filter((d) => statSync(d).isDirectory() && existsSync(join(d, "SKILL.md")));
  expect(skillDirs.length).toBeGreaterThan(0);
  return skillDirs.map((d) => {
    const fields = SkillFrontmatterSchema.parse(frontmatter(join(d, "SKILL.md")));
    expect(fields.name).toBe(d.split("/").at(-1));
    return fields.name;
  });
}

describe("agent install manifests", () => {
  it("skills/marimo-pair/SKILL.md follows the Agent Skills layout and frontmatter rules", () => {
    expect(expectSkills("./skills")).toEqual(["marimo-pair"]);
  });

  it(".claude-plugin/marketplace.json matches the marketplace schema, and its plugin's skill and MCP server exist", () => {
    const marketplace = MarketplaceSchema.parse(json(".claude-plugin/marketplace.json"));
    expect(published(".claude-plugin/marketplace.json")).toBe(true);
    const [plugin] = marketplace.plugins;
    expect(plugin?.name).toBe(PKG.name);
    expect(plugin?.source).toBe("./");
    expect(plugin?.version).toBe(PKG.version);
    const skills = plugin?.skills === undefined ? [] : Array.isArray(plugin.skills) ? plugin.skills : [plugin.skills];
    expect(skills.flatMap(expectSkills)).toEqual(["marimo-pair"]);
    expect(plugin?.mcpServers).toBeDefined();
    expectOwnMcpServer(serversOf(plugin?.mcpServers as string | Record<string, unknown>));
  });

  it(".codex-plugin/plugin.json matches the Codex plugin manifest, and its skill and MCP server exist", () => {
    const plugin = CodexPluginSchema.parse(json(".codex-plugin/plugin.json"));
    expect(published(".codex-plugin/plugin.json")).toBe(true);
    expect(plugin.name).toBe(PKG.name);
    expect(plugin.version).toBe(PKG.version);
    expect(expectSkills(plugin.skills ?? "")).toEqual(["marimo-pair"]);
    expectOwnMcpServer(serversOf(plugin.mcpServers as string | Record<string, unknown>));
  });

  it("the README's .mcp.json example names the same server", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const examples = [...readme.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1] ?? "") as unknown);
    const mcp = examples.map((e) => McpJsonSchema.safeParse(e)).filter((r) => r.success);
    expect(mcp.length).toBeGreaterThan(0);
    for (const example of mcp) expectOwnMcpServer(example.data?.mcpServers ?? {});
  });

  it("every relative link of the README points at a file the package ships", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const links = [...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1] ?? "").filter((l) => !/^[a-z]+:/.test(l));
    expect(links.length).toBeGreaterThan(5);
    for (const link of links) {
      expect(existsSync(join(ROOT, link)), `${link} exists`).toBe(true);
      expect(published(link), `${link} is in package.json files`).toBe(true);
    }
  });
});
