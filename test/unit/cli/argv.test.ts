import { describe, expect, it } from "vitest";
import { flag, parseCommandArgs, stringOption, UsageError } from "../../../src/cli/argv.js";
import { EXEC_SPEC } from "../../../src/cli/specs/exec.js";
import { SESSIONS_SPEC } from "../../../src/cli/specs/sessions.js";

describe("parseCommandArgs", () => {
  it("reads string options, short aliases and positionals", () => {
    const args = parseCommandArgs(EXEC_SPEC, ["--url", "http://127.0.0.1:2718", "--file", "a.py", "code.py"]);
    expect(stringOption(args, "url")).toBe("http://127.0.0.1:2718");
    expect(stringOption(args, "file")).toBe("a.py");
    expect(args.positionals).toEqual(["code.py"]);
    expect(stringOption(parseCommandArgs(EXEC_SPEC, ["-c", "print(1)"]), "code")).toBe("print(1)");
    expect(stringOption(parseCommandArgs(EXEC_SPEC, ["--url=http://h:1"]), "url")).toBe("http://h:1");
  });

  it("takes the next argument verbatim as a value, even when it starts with a dash", () => {
    expect(stringOption(parseCommandArgs(EXEC_SPEC, ["-c", "-1 + 2"]), "code")).toBe("-1 + 2");
    expect(stringOption(parseCommandArgs(EXEC_SPEC, ["-c", "--help"]), "code")).toBe("--help");
    expect(flag(parseCommandArgs(EXEC_SPEC, ["-c", "--help"]), "help")).toBe(false);
  });

  it("treats a lone dash as a positional (stdin) and honours --", () => {
    expect(parseCommandArgs(EXEC_SPEC, ["-"]).positionals).toEqual(["-"]);
    expect(parseCommandArgs(EXEC_SPEC, ["--", "-weird.py"]).positionals).toEqual(["-weird.py"]);
  });

  it("recognises -h and --help on every command", () => {
    expect(flag(parseCommandArgs(SESSIONS_SPEC, ["-h"]), "help")).toBe(true);
    expect(flag(parseCommandArgs(EXEC_SPEC, ["--help", "a", "b", "c"]), "help")).toBe(true);
  });

  it("refuses unknown options, missing values, values on flags, repeats and extra arguments", () => {
    const cases: [string[], RegExp][] = [
      [["--bogus"], /unknown option '--bogus'/],
      [["-x"], /unknown option '-x'/],
      [["--url"], /--url needs a value/],
      [["-c"], /-c needs a value/],
      [["--help=yes"], /--help takes no value/],
      [["--url", "a", "--url", "b"], /given twice/],
      [["a.py", "b.py"], /too many arguments: 'b.py'/],
    ];
    for (const [argv, message] of cases) {
      const attempt = () => parseCommandArgs(EXEC_SPEC, argv);
      expect(attempt).toThrow(UsageError);
      expect(attempt).toThrow(message);
    }
    expect(() => parseCommandArgs(SESSIONS_SPEC, ["extra"])).toThrow(/unexpected argument 'extra'/);
  });

  it("names the command in its errors", () => {
    try {
      parseCommandArgs(EXEC_SPEC, ["--nope"]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).command).toBe("exec");
    }
  });
});

describe("repeatable options (screenshot --cell)", () => {
  it("collects every --cell in order; other string options still refuse a second value", async () => {
    const { SCREENSHOT_SPEC } = await import("../../../src/cli/specs/screenshot.js");
    const { stringOptions } = await import("../../../src/cli/argv.js");
    const args = parseCommandArgs(SCREENSHOT_SPEC, ["--cell", "a", "--cell=b", "-o", "out", "--cell", "-c"]);
    expect(stringOptions(args, "cell")).toEqual(["a", "b", "-c"]);
    expect(stringOption(args, "out")).toBe("out");
    expect(stringOptions(parseCommandArgs(SCREENSHOT_SPEC, ["--all", "d"]), "cell")).toEqual([]);
    expect(() => parseCommandArgs(SCREENSHOT_SPEC, ["-o", "a", "-o", "b"])).toThrow(UsageError);
  });
});
