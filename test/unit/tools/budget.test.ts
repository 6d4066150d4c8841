import { describe, expect, it } from "vitest";
import { budgetOf, budgetText, DEFAULT_OUTPUT_BUDGET, HeadTailCollector } from "../../../src/tools/budget.js";

const small = { headChars: 20, tailChars: 10, headLines: 100, tailLines: 100 };

describe("output budget", () => {
  it("keeps a text that fits, unchanged", () => {
    expect(budgetText("hello\nworld\n", "stdout")).toEqual({ text: "hello\nworld\n", cut: null });
    expect(budgetText("", "stdout")).toEqual({ text: "", cut: null });
  });

  it("keeps exactly head + tail characters and says what was cut", () => {
    const text = "a".repeat(20) + "Z".repeat(70) + "c".repeat(10);
    const { text: out, cut } = budgetText(text, "stdout", small);
    expect(cut).toEqual({ chars: 70, lines: 0, totalChars: 100, totalLines: 0 });
    expect(out.startsWith("a".repeat(20))).toBe(true);
    expect(out.endsWith("\n" + "c".repeat(10))).toBe(true);
    expect(out).toContain("70 characters (0 lines) of stdout cut here");
    expect(out).not.toContain("Z");
  });

  it("cuts by lines: the first and last lines survive", () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `line ${i}\n`).join("");
    const { text, cut } = budgetText(lines, "stdout", { headChars: 1e6, tailChars: 1e6, headLines: 3, tailLines: 2 });
    expect(text.startsWith("line 0\nline 1\nline 2\n[… ")).toBe(true);
    expect(text.endsWith("…]\nline 998\nline 999\n")).toBe(true);
    expect(cut?.lines).toBe(995);
    expect(cut?.totalLines).toBe(1000);
  });

  it("gives the same result whether the text arrives whole or in tiny chunks", () => {
    const text = Array.from({ length: 500 }, (_, i) => `row ${i} ${"x".repeat(i % 37)}\n`).join("");
    const whole = budgetText(text, "stdout");
    for (const size of [1, 7, 64, 4096]) {
      const collector = new HeadTailCollector(DEFAULT_OUTPUT_BUDGET);
      for (let i = 0; i < text.length; i += size) collector.push(text.slice(i, i + size));
      expect(collector.finish("stdout")).toEqual(whole);
    }
  });

  it("never splits a surrogate pair at either cut", () => {
    const text = "🎉".repeat(100);
    const { text: out } = budgetText(text, "stdout", { headChars: 11, tailChars: 11, headLines: 10, tailLines: 10 });
    const [head, tail] = [out.slice(0, out.indexOf("[…")), out.slice(out.lastIndexOf("]\n") + 2)];
    expect(head.replace(/\n$/, "")).toBe("🎉".repeat(5));
    expect(tail).toBe("🎉".repeat(5));
  });

  it("keeps memory bounded for an endless stream", () => {
    const collector = new HeadTailCollector(small);
    for (let i = 0; i < 100_000; i++) collector.push(`chunk ${i}\n`);
    const { text, cut } = collector.finish("stdout");
    expect(text.length).toBeLessThan(400);
    expect(text.endsWith("99999\n")).toBe(true);
    expect(cut?.totalLines).toBe(100_000);
    expect(collector.totalChars).toBe(cut?.totalChars);
  });

  it("splits totals two thirds head, one third tail", () => {
    expect(budgetOf(12_000, 180)).toEqual({ headChars: 8000, tailChars: 4000, headLines: 120, tailLines: 60 });
    expect(budgetOf(12_000, 180)).toEqual(DEFAULT_OUTPUT_BUDGET);
  });
});
