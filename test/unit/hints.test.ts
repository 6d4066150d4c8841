import { describe, expect, it } from "vitest";
import { HINTS, hintFor, inTermsOf } from "../../src/hints.js";
import { ErrorCode, NoServerError, NoSessionError, RemoteNotAllowedError } from "../../src/errors.js";
import { NotebookValidationError } from "../../src/codemode/errors.js";

const details = { pythonType: "SyntaxError", pythonMessage: "invalid syntax", phase: "queue" as const, traceback: "", stdout: "", stderr: "" };

describe("the hints table", () => {
  it("keys every row by a real error code and speaks each face's vocabulary", () => {
    // marimo's own command line (for the person to run) may appear in any face.
    const own = (text: string) => text.replace(/`marimo edit[^`]*`|with --no-token/g, "");
    for (const [code, row] of Object.entries(HINTS)) {
      expect(Object.values(ErrorCode)).toContain(code);
      expect(row.cli).not.toMatch(/\b[a-z]+[A-Z]\w*\(/); // no library function calls on the command line
      expect(own(row.mcp)).not.toMatch(/--[a-z]/); // no CLI flags for a model
      expect(own(row.library)).not.toMatch(/--[a-z]|marimo-pair [a-z]/);
    }
    expect(hintFor("no_session", "mcp")).toContain("bind_notebook");
    expect(hintFor("no_session", "cli")).toContain("marimo-pair open --file PATH");
    expect(hintFor("no_session", "library")).toContain("findSession({ file, open: true })");
    expect(hintFor("timeout", "cli")).toBe("");
  });

  it("library errors end with their library hint; each face swaps it for its own", () => {
    for (const error of [new NoSessionError("", []), new NoServerError(), new RemoteNotAllowedError("example.com"), new NotebookValidationError("syntax", {}, details)]) {
      const library = hintFor(error.code, "library");
      expect(error.message).toContain(library);
      for (const face of ["cli", "mcp"] as const) {
        const rendered = inTermsOf(error.message, error.code, face);
        expect(rendered).toContain(hintFor(error.code, face));
        expect(rendered).not.toContain(library);
      }
    }
    expect(inTermsOf("other text", "no_session", "mcp")).toBe("other text");
  });
});
