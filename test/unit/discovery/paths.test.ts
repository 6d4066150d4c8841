import { describe, expect, it } from "vitest";
import { locateRegistryDirectories, registryDirectories } from "../../../src/discovery/directories.js";
import { homeDirectory, isWsl, registryDirectory } from "../../../src/discovery/paths.js";
import { fakeSystem } from "./helpers.js";

describe("registryDirectory (marimo_state_dir() / servers)", () => {
  it.each([
    ["XDG_STATE_HOME set", "linux", { XDG_STATE_HOME: "/xdg/state", HOME: "/home/u" }, "/xdg/state/marimo/servers"],
    ["XDG_STATE_HOME unset", "linux", { HOME: "/home/u" }, "/home/u/.local/state/marimo/servers"],
    ["XDG_STATE_HOME empty", "linux", { XDG_STATE_HOME: "", HOME: "/home/u" }, "/home/u/.local/state/marimo/servers"],
    ["XDG_STATE_HOME blank", "linux", { XDG_STATE_HOME: " \t ", HOME: "/home/u" }, "/home/u/.local/state/marimo/servers"],
    ["XDG_STATE_HOME relative (kept as-is)", "linux", { XDG_STATE_HOME: "rel/state", HOME: "/h" }, "rel/state/marimo/servers"],
    ["XDG_STATE_HOME with a trailing slash", "linux", { XDG_STATE_HOME: "/x/", HOME: "/h" }, "/x/marimo/servers"],
    ["XDG_STATE_HOME untrimmed", "linux", { XDG_STATE_HOME: " /x", HOME: "/h" }, " /x/marimo/servers"],
    ["macOS uses XDG too", "darwin", { HOME: "/Users/u" }, "/Users/u/.local/state/marimo/servers"],
    ["macOS with XDG_STATE_HOME", "darwin", { XDG_STATE_HOME: "/s", HOME: "/Users/u" }, "/s/marimo/servers"],
    ["Windows: USERPROFILE", "win32", { USERPROFILE: "C:\\Users\\u" }, "C:\\Users\\u\\.marimo\\servers"],
    [
      "Windows ignores XDG_STATE_HOME",
      "win32",
      { USERPROFILE: "C:\\Users\\u", XDG_STATE_HOME: "C:\\state" },
      "C:\\Users\\u\\.marimo\\servers",
    ],
    [
      "Windows: HOMEDRIVE + HOMEPATH without USERPROFILE",
      "win32",
      { HOMEDRIVE: "D:", HOMEPATH: "\\Users\\v" },
      "D:\\Users\\v\\.marimo\\servers",
    ],
  ] as const)("%s", (_name, platform, env, expected) => {
    expect(registryDirectory({ platform, env })).toBe(expected);
  });

  it("an explicit homedir wins over the environment", () => {
    expect(registryDirectory({ platform: "linux", env: { HOME: "/ignored" }, homedir: "/given" })).toBe(
      "/given/.local/state/marimo/servers",
    );
    expect(homeDirectory({ platform: "win32", env: { USERPROFILE: "C:\\a" }, homedir: "E:\\b" })).toBe("E:\\b");
  });

  it("falls back to os.homedir() when the environment has no home", () => {
    expect(registryDirectory({ platform: "linux", env: {} })).toMatch(/\/\.local\/state\/marimo\/servers$/);
  });
});

describe("isWsl", () => {
  it.each([
    ["WSL_DISTRO_NAME set", "linux", { WSL_DISTRO_NAME: "Ubuntu" }, undefined, true],
    ["/proc/version mentions Microsoft", "linux", {}, "Linux version 5.15.90.1-microsoft-standard-WSL2", true],
    ["/proc/version in other case", "linux", {}, "Linux version 4.4.0-19041-MICROSOFT", true],
    ["plain Linux", "linux", {}, "Linux version 6.8.0-generic (buildd@ubuntu)", false],
    ["empty WSL_DISTRO_NAME", "linux", { WSL_DISTRO_NAME: "" }, "Linux version 6.8.0", false],
    ["not Linux", "darwin", { WSL_DISTRO_NAME: "Ubuntu" }, undefined, false],
    ["native Windows", "win32", { WSL_DISTRO_NAME: "Ubuntu" }, undefined, false],
  ] as const)("%s", (_name, platform, env, procVersion, expected) => {
    expect(isWsl({ platform, env }, procVersion)).toBe(expected);
  });
});

const WSL_ENV = { WSL_DISTRO_NAME: "Ubuntu", HOME: "/home/u" };

describe("registryDirectories", () => {
  it("is just the local directory outside WSL, without running anything", async () => {
    const system = fakeSystem({}, { "/proc/version": "Linux version 6.8.0-generic" });
    const dirs = await registryDirectories({ platform: "linux", env: { HOME: "/home/u" }, system });
    expect(dirs).toEqual([{ path: "/home/u/.local/state/marimo/servers", origin: "local" }]);
    expect(system.calls).toEqual([]);
  });

  it("detects WSL from /proc/version and adds the Windows host's registry", async () => {
    const system = fakeSystem(
      {
        "cmd.exe /d /c echo %USERPROFILE%": { stdout: "C:\\Users\\Ada\r\n" },
        "wslpath -u C:\\Users\\Ada": { stdout: "/mnt/c/Users/Ada\n" },
      },
      { "/proc/version": "Linux version 5.15.153.1-microsoft-standard-WSL2" },
    );
    const dirs = await registryDirectories({ platform: "linux", env: { HOME: "/home/u" }, system });
    expect(dirs).toEqual([
      { path: "/home/u/.local/state/marimo/servers", origin: "local" },
      { path: "/mnt/c/Users/Ada/.marimo/servers", origin: "windows_host" },
    ]);
  });

  it("finds cmd.exe under System32 through wslpath when it is not on PATH", async () => {
    const system = fakeSystem({
      "cmd.exe": { error: "ENOENT" },
      "wslpath -u C:\\Windows\\System32\\cmd.exe": { stdout: "/mnt/c/Windows/System32/cmd.exe\n" },
      "/mnt/c/Windows/System32/cmd.exe /d /c echo %USERPROFILE%": { stdout: "C:\\Users\\Bo\r\n" },
      "wslpath -u C:\\Users\\Bo": { stdout: "/mnt/c/Users/Bo\n" },
    });
    const dirs = await registryDirectories({ platform: "linux", env: WSL_ENV, system });
    expect(dirs[1]).toEqual({ path: "/mnt/c/Users/Bo/.marimo/servers", origin: "windows_host" });
    expect(system.calls.map((c) => c.command)).toEqual([
      "cmd.exe",
      "wslpath",
      "/mnt/c/Windows/System32/cmd.exe",
      "wslpath",
    ]);
    // Git Bash would rewrite /d and /c without this.
    expect(system.calls[0]?.options.env).toEqual({ MSYS_NO_PATHCONV: "1" });
  });

  it.each([
    ["interop is off (no cmd.exe, no wslpath)", {}],
    ["USERPROFILE is not set on Windows", { "cmd.exe": { stdout: "%USERPROFILE%\r\n" } }],
    ["cmd.exe fails", { "cmd.exe": { exitCode: 1, stdout: "" } }],
    [
      "wslpath cannot convert",
      { "cmd.exe": { stdout: "C:\\Users\\X\r\n" }, "wslpath -u C:\\Users\\X": { exitCode: 1, stdout: "" } },
    ],
  ] as const)("keeps only the local directory, with an info diagnostic, when %s", async (_name, commands) => {
    const located = await locateRegistryDirectories({ platform: "linux", env: WSL_ENV, system: fakeSystem(commands) });
    expect(located.directories).toEqual([{ path: "/home/u/.local/state/marimo/servers", origin: "local" }]);
    expect(located.diagnostics).toHaveLength(1);
    expect(located.diagnostics[0]).toMatchObject({
      kind: "windows_host_registry_unavailable",
      severity: "info",
      file: null,
    });
    expect(located.diagnostics[0]?.message).toContain("only servers inside WSL are listed");
  });

  it("wsl: false skips the Windows host even under WSL; wsl: true forces it", async () => {
    const commands = {
      "cmd.exe": { stdout: "C:\\Users\\Z\r\n" },
      "wslpath -u C:\\Users\\Z": { stdout: "/mnt/c/Users/Z\n" },
    };
    const off = fakeSystem(commands);
    expect(await registryDirectories({ platform: "linux", env: WSL_ENV, wsl: false, system: off })).toHaveLength(1);
    expect(off.calls).toEqual([]);
    const on = await registryDirectories({ platform: "linux", env: { HOME: "/h" }, wsl: true, system: fakeSystem(commands) });
    expect(on.map((d) => d.origin)).toEqual(["local", "windows_host"]);
  });
});
