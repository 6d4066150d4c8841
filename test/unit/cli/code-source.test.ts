import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UsageError } from "../../../src/cli/argv.js";
import { chooseCodeSource, readCode } from "../../../src/cli/code-source.js";
import { memoryIo } from "./memory-io.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cli-code-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("chooseCodeSource", () => {
  it("prefers -c, then a positional, then piped stdin", () => {
    expect(chooseCodeSource("1", undefined, true)).toEqual({ kind: "inline", code: "1" });
    expect(chooseCodeSource("", undefined, false)).toEqual({ kind: "inline", code: "" });
    expect(chooseCodeSource(undefined, "-", true)).toEqual({ kind: "stdin" });
    expect(chooseCodeSource(undefined, "a.py", false)).toEqual({ kind: "file", path: "a.py" });
    expect(chooseCodeSource(undefined, undefined, false)).toEqual({ kind: "stdin" });
  });

  it("refuses code given twice or not at all", () => {
    expect(() => chooseCodeSource("1", "a.py", true)).toThrow(/give the code once/);
    expect(() => chooseCodeSource(undefined, undefined, true)).toThrow(UsageError);
    expect(() => chooseCodeSource(undefined, undefined, true)).toThrow(/no code given/);
  });
});

describe("readCode", () => {
  const tricky = "print(\"a\" + 'b' + `c` + '${d}' + '$(e)' + '\\\\n')\r\n# é ✓ 🐍\n";

  it("returns file contents byte for byte", async () => {
    const path = join(dir, "code.py");
    await writeFile(path, tricky);
    expect(await readCode({ kind: "file", path }, memoryIo())).toBe(tricky);
  });

  it("returns stdin unchanged", async () => {
    expect(await readCode({ kind: "stdin" }, memoryIo({ stdin: tricky }))).toBe(tricky);
  });

  it("explains an unreadable file", async () => {
    await expect(readCode({ kind: "file", path: join(dir, "missing.py") }, memoryIo())).rejects.toThrow(
      /cannot read the code file '.*missing\.py' \(ENOENT\)/,
    );
  });
});
