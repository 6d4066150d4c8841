import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logExecCall, logTimestamp } from "../../../src/cli/exec-log.js";
import { memoryIo } from "./memory-io.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cli-log-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("exec call log", () => {
  it("formats UTC timestamps to the second", () => {
    expect(logTimestamp(new Date("2026-11-24T09:30:05.123Z"))).toBe("2026-11-24T09:30:05Z");
  });

  it("appends one line per call to each named file, once per distinct path", async () => {
    const a = join(dir, "a.log");
    const b = join(dir, "b.log");
    const io = memoryIo({ env: { MARIMO_PAIR_EXEC_LOG: a, EXECUTE_CODE_LOG: b } });
    await logExecCall(io, new Date("2026-11-24T09:30:05Z"));
    await logExecCall(io, new Date("2026-11-24T09:30:06Z"));
    expect(await readFile(a, "utf8")).toBe("2026-11-24T09:30:05Z\n2026-11-24T09:30:06Z\n");
    expect(await readFile(b, "utf8")).toBe("2026-11-24T09:30:05Z\n2026-11-24T09:30:06Z\n");
    const same = join(dir, "same.log");
    await logExecCall(memoryIo({ env: { MARIMO_PAIR_EXEC_LOG: same, EXECUTE_CODE_LOG: same } }), new Date(0));
    expect(await readFile(same, "utf8")).toBe("1970-01-01T00:00:00Z\n");
  });

  it("only warns when the log cannot be written", async () => {
    const io = memoryIo({ env: { EXECUTE_CODE_LOG: join(dir, "no", "such", "dir.log") } });
    await logExecCall(io);
    expect(io.err()).toMatch(/warning: could not append to the call log .*ENOENT/);
  });

  it("does nothing without the variables", async () => {
    const io = memoryIo();
    await logExecCall(io);
    expect(io.err()).toBe("");
  });
});
