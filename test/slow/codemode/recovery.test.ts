import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { extractEnvelope } from "../../../src/codemode/envelope.js";
import { recoveryPython } from "../../../src/codemode/render.js";
import { PY_EMIT } from "../../../src/codemode/python-prelude.js";
import { oraclePython } from "../../unit/codemode/python-oracle.js";

describe("recoveryPython", () => {
  it("prints a kept result once, in a later execution of the same interpreter", () => {
    const program = [
      PY_EMIT,
      "import io, contextlib",
      "with contextlib.redirect_stdout(io.StringIO()):",
      "    _mp_emit('kept-nonce-1', {'ok': True, 'note': 'caf\\xe9'}, keep=True)",
      "    _mp_emit('not-kept-22', {'ok': True})",
      recoveryPython("not-kept-22"),
      recoveryPython("kept-nonce-1"),
      recoveryPython("kept-nonce-1"),
    ].join("\n");
    const run = spawnSync(oraclePython(), ["-c", program], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    const found = extractEnvelope(run.stdout, "kept-nonce-1");
    expect(found.document).toEqual({ ok: true, note: "café" });
    expect(found.stdout).toBe("");
    expect(extractEnvelope(run.stdout, "not-kept-22").document).toBeUndefined();
  });
});

