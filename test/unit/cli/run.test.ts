import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../../src/cli/commands.js";
import { runCli } from "../../../src/cli/run.js";
import { memoryIo } from "./memory-io.js";

describe("runCli", () => {
  it("prints the command list for --help and exits 0", async () => {
    const io = memoryIo();
    expect(await runCli(["--help"], io)).toBe(0);
    for (const c of COMMANDS) expect(io.out()).toContain(`  ${c.spec.name}`);
    expect(io.out()).toContain("MARIMO_TOKEN");
  });

  it("prints usage on stderr and exits 2 without arguments", async () => {
    const io = memoryIo();
    expect(await runCli([], io)).toBe(2);
    expect(io.err()).toContain("Usage: marimo-pair <command>");
    expect(io.out()).toBe("");
  });

  it("prints the package version", async () => {
    const pkg = JSON.parse(await readFile(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string };
    for (const flag of ["--version", "-V"]) {
      const io = memoryIo();
      expect(await runCli([flag], io)).toBe(0);
      expect(io.out()).toBe(`${pkg.version}\n`);
    }
  });

  it("has help with examples on every command, through --help, -h and `help <command>`", async () => {
    for (const c of COMMANDS) {
      for (const argv of [[c.spec.name, "--help"], [c.spec.name, "-h"], ["help", c.spec.name]]) {
        const io = memoryIo();
        expect(await runCli(argv, io)).toBe(0);
        expect(io.out()).toBe(c.spec.help);
      }
      expect(c.spec.help).toMatch(new RegExp(`^Usage: marimo-pair ${c.spec.name}`));
      expect(c.spec.help).toMatch(/\nExamples:\n(  marimo-pair .*\n)/);
    }
  });

  it("says exec prefers MARIMO_TOKEN over --token", () => {
    const exec = COMMANDS.find((c) => c.spec.name === "exec");
    expect(exec?.spec.help).toMatch(/MARIMO_TOKEN\s+the server's token \(preferred over --token\)/);
  });

  it("reports unknown commands and options with exit 2", async () => {
    const io = memoryIo();
    expect(await runCli(["frobnicate"], io)).toBe(2);
    expect(io.err()).toMatch(/unknown command 'frobnicate' \(commands: discover, exec/);
    const io2 = memoryIo();
    expect(await runCli(["exec", "--nope"], io2)).toBe(2);
    expect(io2.err()).toBe("marimo-pair exec: unknown option '--nope'\nRun 'marimo-pair exec --help' for usage.\n");
    const io3 = memoryIo();
    expect(await runCli(["--nope"], io3)).toBe(2);
    expect(io3.err()).toMatch(/unknown option '--nope'/);
  });

  it("reports exec usage mistakes with exit 2 before touching the network", async () => {
    const io = memoryIo();
    expect(await runCli(["exec", "--file", "a.py", "--session", "s", "-c", "1"], io)).toBe(2);
    expect(io.err()).toMatch(/--file and --session exclude each other/);
    const io2 = memoryIo({ stdinIsTTY: true });
    expect(await runCli(["exec", "--url", "http://127.0.0.1:9"], io2)).toBe(2);
    expect(io2.err()).toMatch(/no code given/);
  });
});
