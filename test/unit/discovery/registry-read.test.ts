import { execFileSync } from "node:child_process";
import { mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { InvalidEntryDiagnostic } from "../../../src/discovery/diagnostics.js";
import { readBoundedFile, readRegistryDirectory } from "../../../src/discovery/registry-read.js";
import { cleanup, entry, tempDir, writeEntry } from "./helpers.js";

afterEach(cleanup);

const local = (path: string) => ({ path, origin: "local" as const });

describe("readRegistryDirectory", () => {
  it("reads valid files and keeps unknown fields", async () => {
    const dir = await tempDir();
    await writeEntry(dir, entry(2718));
    await writeFile(join(dir, "127.0.0.1_2719.json"), JSON.stringify({ ...entry(2719), future_field: 1 }));
    const { files, diagnostics } = await readRegistryDirectory(local(dir), 65536);
    expect(diagnostics).toEqual([]);
    expect(files.map((f) => f.entry.port)).toEqual([2718, 2719]);
    expect(files[0]).toMatchObject({ file: join(dir, "127.0.0.1_2718.json"), origin: "local" });
    expect(files[1]?.entry).toMatchObject({ future_field: 1 });
  });

  it("ignores temporary files of a write in progress and other names", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "tmpa1b2c3.tmp"), "{");
    await writeFile(join(dir, "127.0.0.1_1.json.tmp"), "{");
    await writeFile(join(dir, "notes.txt"), "hello");
    expect(await readRegistryDirectory(local(dir), 65536)).toEqual({ files: [], diagnostics: [] });
  });

  it("a missing directory is empty, silently", async () => {
    const dir = await tempDir();
    expect(await readRegistryDirectory(local(join(dir, "nope")), 65536)).toEqual({ files: [], diagnostics: [] });
  });

  it("a path that is a file is reported", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "servers"), "");
    const { diagnostics } = await readRegistryDirectory(local(join(dir, "servers")), 65536);
    expect(diagnostics).toMatchObject([{ kind: "registry_unreadable", severity: "warning", origin: "local" }]);
    expect(diagnostics[0]?.message).toContain("ENOTDIR");
  });

  it("turns every kind of bad file into a diagnostic and reads the good ones", async () => {
    const dir = await tempDir();
    await writeEntry(dir, entry(2718));
    await writeFile(join(dir, "broken.json"), '{"server_id": "127.0.0.1:1", ');
    await writeFile(join(dir, "array.json"), "[1, 2]");
    await writeFile(join(dir, "types.json"), JSON.stringify({ ...entry(3), port: "3", pid: 1.5 }));
    const { version: _dropped, ...missing } = entry(4);
    await writeFile(join(dir, "missing.json"), JSON.stringify(missing));
    await writeFile(join(dir, "badpid.json"), JSON.stringify(entry(5, { pid: -1 })));
    await writeFile(join(dir, "badport.json"), JSON.stringify(entry(6, { port: 70000 })));
    await writeFile(join(dir, "latin1.json"), Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d]));
    await mkdir(join(dir, "dir.json"));
    await writeFile(join(dir, "huge.json"), `{"pad": "${"x".repeat(200_000)}"}`);
    await symlink(join(dir, "gone"), join(dir, "dangling.json"));
    execFileSync("mkfifo", [join(dir, "fifo.json")]);

    const { files, diagnostics } = await readRegistryDirectory(local(dir), 65536);
    expect(files.map((f) => f.entry.port)).toEqual([2718]);
    const byName = Object.fromEntries(
      (diagnostics as InvalidEntryDiagnostic[]).map((d) => [d.file.slice(dir.length + 1), d]),
    );
    expect(Object.keys(byName).sort()).toEqual(
      [
        "array.json",
        "badpid.json",
        "badport.json",
        "broken.json",
        "dangling.json",
        "dir.json",
        "fifo.json",
        "huge.json",
        "latin1.json",
        "missing.json",
        "types.json",
      ].sort(),
    );
    expect(byName["broken.json"]?.reason).toBe("invalid_json");
    expect(byName["latin1.json"]?.reason).toBe("invalid_json");
    expect(byName["array.json"]?.reason).toBe("invalid_fields");
    expect(byName["types.json"]?.reason).toBe("invalid_fields");
    expect(byName["types.json"]?.issues.map((i) => i.path).sort()).toEqual(["pid", "port"]);
    expect(byName["missing.json"]?.issues).toMatchObject([{ path: "version" }]);
    expect(byName["badpid.json"]?.issues).toMatchObject([{ path: "pid" }]);
    expect(byName["badport.json"]?.issues).toMatchObject([{ path: "port" }]);
    expect(byName["dir.json"]?.reason).toBe("not_a_file");
    expect(byName["fifo.json"]?.reason).toBe("not_a_file");
    expect(byName["huge.json"]?.reason).toBe("too_large");
    expect(byName["dangling.json"]?.reason).toBe("unreadable");
    for (const d of diagnostics) {
      expect(d).toMatchObject({ kind: "invalid_entry", severity: "warning" });
      expect(d.message).toContain(d.file ?? "");
      expect(d.message).toContain("left in place");
    }
  });
});

describe("readBoundedFile", () => {
  it("reads up to the cap and refuses one byte more", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "a"), "x".repeat(100));
    expect(await readBoundedFile(join(dir, "a"), 100)).toMatchObject({ ok: true });
    expect(await readBoundedFile(join(dir, "a"), 99)).toEqual({ ok: false, reason: "too_large", detail: "larger than 99 bytes" });
  });

  it("reads across several chunks, and a huge cap costs nothing", async () => {
    const dir = await tempDir();
    const text = "0123456789".repeat(4000);
    await writeFile(join(dir, "b"), text);
    const read = await readBoundedFile(join(dir, "b"), 40_000);
    expect(read.ok && Buffer.from(read.bytes).toString()).toBe(text);
    expect(await readBoundedFile(join(dir, "b"), 39_999)).toMatchObject({ ok: false, reason: "too_large" });
    expect(await readBoundedFile(join(dir, "b"), 2 ** 40)).toMatchObject({ ok: true });
  });
});
