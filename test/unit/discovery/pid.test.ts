import { describe, expect, it } from "vitest";
import {
  couldBeMarimo,
  localPidState,
  localProcessCommand,
  parseTasklistCsv,
  windowsPidState,
  windowsProcessTable,
} from "../../../src/discovery/pid.js";
import { nodeSystem } from "../../../src/discovery/system.js";
import { deadPid, errno, fakeSystem } from "./helpers.js";

describe("local pid state", () => {
  it("a live process (this one) is alive", async () => {
    expect(await localPidState(process.pid, nodeSystem, process.platform)).toBe("alive");
  });

  it("an exited, reaped process is dead", async () => {
    expect(await localPidState(await deadPid(), nodeSystem, process.platform)).toBe("dead");
  });

  it("EPERM (another user's process) is alive, ESRCH dead, anything else unknown", async () => {
    const state = (code: string) => localPidState(4242, fakeSystem({}, {}, () => { throw errno(code); }), "linux");
    expect(await state("EPERM")).toBe("alive");
    expect(await state("ESRCH")).toBe("dead");
    expect(await state("EINVAL")).toBe("unknown");
  });

  it("never signals pid 0 or negative pids (process groups)", async () => {
    const signalled: number[] = [];
    const system = fakeSystem({}, {}, (pid) => void signalled.push(pid));
    for (const pid of [0, -1, -4242, 1.5, Number.NaN]) expect(await localPidState(pid, system, "linux")).toBe("unknown");
    expect(signalled).toEqual([]);
  });

  it("a zombie counts as dead on Linux", async () => {
    const system = fakeSystem({}, { "/proc/4242/stat": "4242 (python3 (x)) Z 1 4242 4242 0 -1" });
    expect(await localPidState(4242, system, "linux")).toBe("dead");
    const running = fakeSystem({}, { "/proc/4242/stat": "4242 (python3) S 1 4242 4242 0 -1" });
    expect(await localPidState(4242, running, "linux")).toBe("alive");
    expect(await localPidState(4242, system, "darwin")).toBe("alive");
  });

  it("reads a local command line from /proc", async () => {
    const system = fakeSystem({}, { "/proc/7/cmdline": "/venv/bin/python\0/venv/bin/marimo\0edit\0nb.py\0" });
    expect(await localProcessCommand(7, system, "linux")).toBe("/venv/bin/python /venv/bin/marimo edit nb.py");
    expect(await localProcessCommand(8, system, "linux")).toBeUndefined();
    expect(await localProcessCommand(7, system, "darwin")).toBeUndefined();
  });

  it("this process's real command line is found", async () => {
    const command = await localProcessCommand(process.pid, nodeSystem, process.platform);
    if (process.platform === "linux") expect(command).toMatch(/node/);
    else expect(command).toBeUndefined();
  });
});

const TASKLIST = [
  '"System Idle Process","0","Services","0","8 K"',
  '"python.exe","4120","Console","1","154,332 K"',
  '"tasklist.exe","9984","Console","1","9,120 K"',
  "",
].join("\r\n");

describe("Windows-host pid state (tasklist.exe /FO CSV /NH)", () => {
  it("parses a listing", () => {
    const table = parseTasklistCsv(TASKLIST);
    expect(table?.get(4120)).toBe("python.exe");
    expect(table?.size).toBe(3);
    expect(windowsPidState(4120, table)).toBe("alive");
    expect(windowsPidState(5000, table)).toBe("dead");
  });

  it.each([
    ["an INFO note (exit code 0)", "INFO: No tasks are running which match the specified criteria.\r\n"],
    ["a localized error", "FEHLER: Ungültiges Argument/Option - '/FO'.\r\n"],
    ["empty output", ""],
    ["a table with a broken row", `${TASKLIST}garbage\r\n`],
  ])("anything but a well-formed listing means unknown: %s", (_name, text) => {
    const table = parseTasklistCsv(text);
    expect(table).toBeUndefined();
    expect(windowsPidState(4120, table)).toBe("unknown");
  });

  it("runs tasklist.exe once, falling back to System32 through wslpath", async () => {
    const direct = fakeSystem({ "tasklist.exe /FO CSV /NH": { stdout: TASKLIST } });
    expect((await windowsProcessTable(direct))?.has(4120)).toBe(true);
    expect(direct.calls[0]?.options.env).toEqual({ MSYS_NO_PATHCONV: "1" });

    const viaWslpath = fakeSystem({
      "tasklist.exe": { error: "ENOENT" },
      "wslpath -u C:\\Windows\\System32\\tasklist.exe": { stdout: "/mnt/c/Windows/System32/tasklist.exe\n" },
      "/mnt/c/Windows/System32/tasklist.exe /FO CSV /NH": { stdout: TASKLIST },
    });
    expect((await windowsProcessTable(viaWslpath))?.get(9984)).toBe("tasklist.exe");
  });

  it("a failing or missing tasklist.exe means unknown", async () => {
    expect(await windowsProcessTable(fakeSystem({}))).toBeUndefined();
    expect(await windowsProcessTable(fakeSystem({ "tasklist.exe": { exitCode: 1, stdout: TASKLIST } }))).toBeUndefined();
  });
});

describe("couldBeMarimo", () => {
  it.each([
    ["/home/u/.venv/bin/python /home/u/.venv/bin/marimo edit nb.py", true],
    ["uv run marimo edit", true],
    ["python.exe", true],
    ["marimo.exe", true],
    ["uv.exe", true],
    ["/usr/bin/node /work/vitest.mjs", false],
    ["chrome.exe", false],
    ["bash", false],
  ])("%s → %s", (command, expected) => {
    expect(couldBeMarimo(command)).toBe(expected);
  });
});
