import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { InvalidPlanError } from "../../../src/codemode/errors.js";
import { pyNumber, pyStr, pyStrBlock, pyValue } from "../../../src/codemode/python-literal.js";
import { NASTY_STRINGS } from "../../unit/codemode/nasty-strings.js";
import { codePoints, PythonOracle } from "../../unit/codemode/python-oracle.js";


const oracle = new PythonOracle();
afterAll(() => oracle.close());

const CASES = Number(process.env["MARIMO_PAIR_ROUNDTRIP_CASES"] ?? 10_000);
const PER_BATCH = 50;

const unit = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp)), weight: 6 },
  { arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((cu) => String.fromCharCode(cu)), weight: 2 },
  { arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((cp) => String.fromCharCode(cp)), weight: 6 },
  { arbitrary: fc.constantFrom(..."'\"\\\n\r\t\0\x0b\x0c"), weight: 4 },
  { arbitrary: fc.constantFrom(...NASTY_STRINGS), weight: 2 },
);
const text = fc.string({ unit, maxLength: 40 });

describe("pyStr", () => {
  it("emits printable ASCII only, in single quotes", () => {
    expect(pyStr("it's \"ok\"\n\\")).toBe(`'it\\'s \\"ok\\"\\n\\\\'`);
    expect(pyStr("é€😀\0\ud800")).toBe(`'\\xe9\\u20ac\\U0001f600\\x00\\ud800'`);
    for (const s of NASTY_STRINGS) expect(pyStr(s)).toMatch(/^'[\x20-\x7e]*'$/);
  });

  it("refuses non-strings", () => {
    expect(() => pyStr(42 as unknown as string)).toThrow(TypeError);
  });

  it("round-trips the hand-picked nasty strings exactly through real Python", async () => {
    const sources = NASTY_STRINGS.flatMap((s) => [pyStr(s), pyStrBlock(s, "  ")]);
    const values = await oracle.evalStrings(sources);
    expect(values).toEqual(NASTY_STRINGS.flatMap((s) => [codePoints(s), codePoints(s)]));
  });

  it(`round-trips ${CASES} random strings over all of Unicode (lone surrogates included) through one python3`, async () => {
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(text, { minLength: PER_BATCH, maxLength: PER_BATCH }), fc.boolean(), async (batch, block) => {
        const sources = batch.map((s) => (block ? pyStrBlock(s) : pyStr(s)));
        const values = await oracle.evalStrings(sources);
        checked += batch.length;
        expect(values).toEqual(batch.map(codePoints));
      }),
      { numRuns: Math.ceil(CASES / PER_BATCH) },
    );
    expect(checked).toBeGreaterThanOrEqual(CASES);
  }, Math.max(60_000, CASES * 5));
});

describe("pyStrBlock", () => {
  it("splits after line breaks into implicitly concatenated literals", () => {
    expect(pyStrBlock("a\nb\n", "    ")).toBe("(\n    'a\\n'\n    'b\\n'\n)");
    expect(pyStrBlock("one line")).toBe("'one line'");
  });
});

describe("pyNumber and pyValue", () => {
  it("encodes numbers as Python reads them", () => {
    expect(pyNumber(3)).toBe("3");
    expect(pyNumber(-0)).toBe("-0.0");
    expect(pyNumber(0.1)).toBe("0.1");
    expect(pyNumber(1e21)).toBe("1000000000000000000000");
    expect(pyNumber(1.5e-7)).toBe("1.5e-7");
    expect(pyNumber(12345678901234567890n)).toBe("12345678901234567890");
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(() => pyNumber(bad)).toThrow(InvalidPlanError);
    }
  });

  it("encodes JSON values and leaves undefined properties out", () => {
    expect(pyValue({ a: [1, true, null, "x"], b: undefined, "k'": { n: -2.5 } })).toBe(
      "{'a': [1, True, None, 'x'], 'k\\'': {'n': -2.5}}",
    );
  });

  it("refuses what JSON cannot carry", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic["self"] = cyclic;
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = [deep];
    for (const bad of [undefined, () => 1, Symbol("s"), new Date(0), new Map(), cyclic, deep, [Number.NaN]]) {
      expect(() => pyValue(bad)).toThrow(InvalidPlanError);
    }
  });

  it("round-trips random JSON values through real Python", async () => {
    const values = fc.sample(fc.jsonValue({ maxDepth: 4 }), { numRuns: 300, seed: 7 });
    const texts = await oracle.evalJson(values.map((v) => pyValue(v)));
    expect(texts.map((t) => JSON.parse(t) as unknown)).toEqual(values);
  });
});

beforeAll(async () => {
  // Warm the interpreter so the first timed test does not pay for its start.
  await oracle.evalStrings(["''"]);
});
