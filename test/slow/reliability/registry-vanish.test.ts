/**
 * A registry file that disappears between the directory listing and its read — its server
 * shut down and removed it, or a concurrent discovery pruned it — is not a bad entry: it is
 * skipped without a diagnostic. The gap is made deterministic by deleting the file from
 * inside `stat`, the first call discovery makes on it after `readdir`.
 */
import { symlink, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { discoverServersDetailed } from "../../../src/discovery/discover.js";
import { cleanup, closedPort, entry, tempDir } from "../../unit/discovery/helpers.js";

/** Paths to delete just before discovery stats them. */
const vanishing = new Set<string>();

vi.mock("node:fs/promises", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs/promises")>();
  return {
    ...fs,
    stat: async (path: Parameters<typeof fs.stat>[0], ...rest: unknown[]) => {
      if (typeof path === "string" && vanishing.delete(path)) await fs.unlink(path);
      return (fs.stat as (...a: unknown[]) => unknown)(path, ...rest);
    },
  };
});

afterEach(cleanup);

describe("a registry file that vanishes while discovery runs", () => {
  it("is skipped silently; a dangling symlink is still reported", async () => {
    const dir = await tempDir("vanish-");
    const file = join(dir, "127.0.0.1_1.json");
    await writeFile(file, JSON.stringify(entry(await closedPort())));
    vanishing.add(file);
    // A dangling symlink also fails stat with ENOENT, but it is there: a bad entry.
    await symlink("does-not-exist", join(dir, "dangling.json"));
    const { servers, diagnostics } = await discoverServersDetailed({ directories: [dir] });
    expect(vanishing.size).toBe(0);
    expect(servers).toEqual([]);
    expect(diagnostics.map((d) => [d.kind, d.file])).toEqual([["invalid_entry", join(dir, "dangling.json")]]);
    await unlink(join(dir, "dangling.json"));
  });
});
