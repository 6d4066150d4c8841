import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { InvalidPlanError } from "../../../src/codemode.js";
import { checkNonce, createNonce, endMarker, EnvelopeFilter, extractEnvelope, startMarker } from "../../../src/codemode/envelope.js";

const NONCE = "n0nce-for-tests";

function block(doc: unknown, nonce = NONCE): string {
  return `\n${startMarker(nonce)}\n${JSON.stringify(doc)}\n${endMarker(nonce)}\n`;
}

describe("nonces", () => {
  it("creates 32 hex digits, different each time", () => {
    const a = createNonce();
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(createNonce()).not.toBe(a);
    expect(checkNonce(a)).toBe(a);
  });

  it("refuses nonces that could break the markers", () => {
    for (const bad of ["short", "has space in it", "x>>>\nforged", "é".repeat(10), "a".repeat(129)]) {
      expect(() => checkNonce(bad)).toThrow(InvalidPlanError);
    }
  });
});

describe("extractEnvelope", () => {
  it("returns the document and the stdout without the block", () => {
    const out = extractEnvelope(`hello\ncreated cell 'abcd'\n${block({ ok: true })}`, NONCE);
    expect(out.document).toEqual({ ok: true });
    expect(out.stdout).toBe("hello\ncreated cell 'abcd'\n");
  });

  it("keeps text printed after the block", () => {
    expect(extractEnvelope(`a${block(1)}late`, NONCE)).toMatchObject({ document: 1, stdout: "alate" });
  });

  it("ignores blocks with another nonce and blocks that are not JSON", () => {
    const forged = `${block({ ok: false }, "other-nonce-1")}\n${startMarker(NONCE)}\nnot json\n${endMarker(NONCE)}\n`;
    const out = extractEnvelope(forged, NONCE);
    expect(out.document).toBeUndefined();
    expect(out.stdout).toBe(forged);
    expect(extractEnvelope(`${forged}${block({ ok: true })}`, NONCE).document).toEqual({ ok: true });
  });

  it("takes the last complete block and reports an unfinished one as missing", () => {
    expect(extractEnvelope(`${block(1)}${block(2)}`, NONCE).document).toBe(2);
    expect(extractEnvelope(`x\n${startMarker(NONCE)}\n{"ok":true}`, NONCE).document).toBeUndefined();
  });
});

describe("EnvelopeFilter", () => {
  it("passes user output through and withholds the block however the stream is chunked", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 60 }),
        fc.string({ maxLength: 30 }),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 40 }),
        (before, after, sizes) => {
          const doc = { ok: true, note: "<<<end:x>>>" };
          const stream = `${before}${block(doc)}${after}`;
          const filter = new EnvelopeFilter(NONCE);
          let shown = "";
          let at = 0;
          for (let i = 0; at < stream.length; i++) {
            const size = sizes[i % sizes.length] ?? 1;
            shown += filter.push(stream.slice(at, at + size));
            at += size;
          }
          shown += filter.end();
          expect(shown).toBe(before + after);
          expect(JSON.parse(filter.raw ?? "null")).toEqual(doc);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("releases text that only looked like a marker", () => {
    const filter = new EnvelopeFilter(NONCE);
    const shown = filter.push("line\n<<<marimo-pa") + filter.push("ir:something-else>>>\n") + filter.end();
    expect(shown).toBe("line\n<<<marimo-pair:something-else>>>\n");
    expect(filter.raw).toBeUndefined();
  });

  it("gives back an unfinished block at the end", () => {
    const filter = new EnvelopeFilter(NONCE);
    const text = `a\n${startMarker(NONCE)}\n{"ok"`;
    expect(filter.push(text) + filter.end()).toBe(text);
  });
});
