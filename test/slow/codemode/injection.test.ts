/**
 * Injection resistance: whatever the caller puts in any field, the generated Python
 * compiles, has exactly the syntax tree of the same plan built from harmless strings, and
 * carries every caller string as a literal whose value is exactly that string.
 */
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";

import { codeMode, InvalidPlanError } from "../../../src/codemode.js";
import type { JsonValue } from "../../../src/codemode/python-literal.js";
import { cellQuery } from "../../../src/codemode/read-queries.js";
import { NASTY_STRINGS } from "../../unit/codemode/nasty-strings.js";
import { codePoints, PythonOracle } from "../../unit/codemode/python-oracle.js";

const oracle = new PythonOracle();
afterAll(() => oracle.close());

const unit = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp)), weight: 3 },
  { arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((cu) => String.fromCharCode(cu)), weight: 1 },
  { arbitrary: fc.constantFrom(..."'\"\\\n\r\t\0#)(]:"), weight: 4 },
  { arbitrary: fc.constantFrom(...NASTY_STRINGS), weight: 2 },
);
// Targets must not be empty (the builder refuses that); a nasty unit may be "".
const hostile = fc.string({ unit, minLength: 1, maxLength: 30 }).filter((s) => s !== "");
// Package specifiers must pass the builder's check; everything else about them is hostile.
const hostileSpec = hostile.filter(
  (s) => s.trim() !== "" && !/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u.test(s) && !s.split(/\s+/u).some((p) => p.startsWith("-")),
);

interface Fields {
  code: string;
  target: string;
  idTarget: string;
  nameTarget: string;
  anchor: string;
  edit: string;
  spec: string;
  key: string;
  value: string;
}

function plan(f: Fields, version: string): string {
  const ui: JsonValue = { [f.key]: [f.value, { nested: f.value }], plain: f.value };
  return codeMode(
    (b) => {
      const made = b.createCell(f.code, { before: f.anchor, name: "new_cell", hideCode: false, column: 0 });
      b.createCell(f.code, { after: made });
      b.expectCell(f.target, { code: f.edit, index: 3, column: null });
      b.expectCell({ id: f.idTarget }, { code: f.code });
      b.editCell(f.target, { code: f.edit, disabled: true });
      b.editCell({ id: f.idTarget }, { hideCode: true });
      b.moveCell({ name: f.nameTarget }, { before: made });
      b.runCell(f.target);
      b.deleteCell(f.anchor === f.target ? `${f.anchor}!` : f.anchor);
      b.installPackages(f.spec);
      b.removePackages(f.spec);
      b.setUiValue("slider", ui);
      b.setUiValue("text", f.value);
    },
    { skipValidation: true, skipStalenessCheck: true },
  ).toPython({ marimoVersion: version, nonce: "injection-test" });
}

const BENIGN: Fields = {
  code: "x",
  target: "t",
  idTarget: "i",
  nameTarget: "n",
  anchor: "a",
  edit: "e",
  spec: "s",
  key: "k",
  value: "v",
};

describe("generated Python under hostile input", () => {
  it("has the benign plan's syntax tree and carries every value exactly (300 random plans)", async () => {
    const reference = plan(BENIGN, "0.25.2");
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          code: hostile,
          target: hostile,
          idTarget: hostile,
          nameTarget: hostile,
          anchor: hostile,
          edit: hostile,
          spec: hostileSpec,
          key: hostile.filter((k) => k !== "plain"),
          value: hostile,
        }),
        async (fields) => {
          fc.pre(fields.target !== fields.anchor);
          const source = plan(fields, "0.25.2");
          expect(source).toMatch(/^[\x20-\x7e\n]*$/);
          const { strings, sameShape } = await oracle.program(source, reference);
          expect(sameShape).toBe(true);
          const literals = new Set(strings.map((cps) => JSON.stringify(cps)));
          for (const value of Object.values(fields)) expect(literals.has(JSON.stringify(codePoints(value)))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
    // The batch prelude is parsed with each of the 300 programs; a loaded 2-core machine needs time.
  }, 300_000);

  it("keeps the same guarantees for the legacy rendering and for read queries", async () => {
    for (const nasty of NASTY_STRINGS.filter((s) => s !== "")) {
      const fields: Fields = { ...BENIGN, code: nasty, target: `${nasty}t`, edit: nasty, value: nasty };
      const legacy = await oracle.program(
        codeMode((b) => {
          b.createCell(fields.code);
          b.editCell(fields.target, { code: fields.edit });
          b.setUiValue("v", fields.value);
        }, { skipStalenessCheck: true }).toPython({ marimoVersion: "0.23.4", nonce: "injection-test" }),
      );
      expect(legacy.strings).toContainEqual(codePoints(nasty));
      for (const kind of ["any", "id", "name"] as const) {
        const read = await oracle.program(cellQuery("injection-test", kind, nasty), cellQuery("injection-test", kind, "x"));
        expect(read.sameShape).toBe(true);
        expect(read.strings).toContainEqual(codePoints(nasty));
      }
    }
  });

  it("refuses hostile cell names and variable names instead of encoding them", () => {
    for (const nasty of NASTY_STRINGS) {
      expect(() => codeMode((b) => b.createCell("x", { name: nasty }))).toThrow(InvalidPlanError);
      expect(() => codeMode((b) => b.setUiValue(nasty, 1))).toThrow(InvalidPlanError);
    }
  });
});
