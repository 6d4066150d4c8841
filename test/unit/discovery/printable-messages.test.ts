import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { discoverServersDetailed } from "../../../src/discovery/index.js";

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "marimo-pair-printable-"));
  const deadPid = spawnSync("true").pid ?? 4_000_000;
  // A well-formed entry whose server_id carries an escape sequence, and a broken file whose name does.
  await writeFile(
    join(dir, "evil.json"),
    JSON.stringify({
      server_id: "\u001b[31m127.0.0.1:1\u001b[0m\u0007",
      pid: deadPid,
      host: "127.0.0.1",
      port: 1,
      base_url: "",
      started_at: "2026-01-01T00:00:00+00:00",
      version: "0.25.2\u001b]0;title\u0007",
    }),
  );
  await writeFile(join(dir, "\u001b[2Jclear.json"), "{ not json");
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("diagnostic messages", () => {
  it("carry no terminal control characters from registry content or file names", async () => {
    const { diagnostics } = await discoverServersDetailed({ directories: [dir], prune: false, timeoutMs: 1000 });
    expect(diagnostics.length).toBeGreaterThanOrEqual(2);
    for (const d of diagnostics) expect(d.message, d.message).not.toMatch(CONTROL);
    expect(diagnostics.some((d) => d.message.includes("\\u{1b}"))).toBe(true);
  });
});
