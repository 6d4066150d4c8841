import { describe, expect, it } from "vitest";
import { formatTable } from "../../../src/cli/table.js";

describe("formatTable", () => {
  it("aligns columns, leaves no trailing spaces, ends with a newline", () => {
    const text = formatTable(["ID", "NAME", "STATUS"], [["a", "first", "idle"], ["bbbb", "", "x"]]);
    expect(text).toBe("ID    NAME   STATUS\na     first  idle\nbbbb         x\n");
  });

  it("flattens newlines and tabs inside cells", () => {
    expect(formatTable(["A", "B"], [["x\ny", "1\t2"]])).toBe("A    B\nx y  1 2\n");
  });

  it("prints only the header for no rows", () => {
    expect(formatTable(["A", "B"], [])).toBe("A  B\n");
  });
});
