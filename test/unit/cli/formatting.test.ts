import { describe, expect, it } from "vitest";
import { cellsTable } from "../../../src/cli/commands/cells.js";
import { toDiscoverRecord } from "../../../src/cli/commands/discover.js";
import { sessionsTable } from "../../../src/cli/commands/sessions.js";

describe("discover records", () => {
  it("keep the script's field names and order", () => {
    const record = toDiscoverRecord({
      serverId: "::1:2718",
      url: null,
      origin: "windows_host",
      version: "0.25.2",
      startedAt: "2026-11-24T09:30:00.000000+00:00",
      pid: 42,
      host: "::1",
      port: 2718,
      baseUrl: "",
      pidState: "unknown",
      registryFile: "/x/__1_2718.json",
    });
    expect(JSON.stringify(record)).toBe(
      '{"server_id":"::1:2718","started_at":"2026-11-24T09:30:00.000000+00:00","version":"0.25.2","origin":"windows_host","url":null}',
    );
  });
});

describe("sessions table", () => {
  const rows = [
    { url: "http://127.0.0.1:2718", sessionId: "s_a", stableId: null, filename: "a.py", path: "/w/a.py" },
    { url: "http://127.0.0.1:2719", sessionId: "s_bb", stableId: "x", filename: null, path: null },
  ];

  it("shows the server column only when several servers were asked", () => {
    expect(sessionsTable(rows, false)).toBe("SESSION  NOTEBOOK\ns_a      /w/a.py\ns_bb     (unsaved notebook)\n");
    expect(sessionsTable(rows, true)).toBe(
      "SESSION  NOTEBOOK            SERVER\n" +
        "s_a      /w/a.py             http://127.0.0.1:2718\n" +
        "s_bb     (unsaved notebook)  http://127.0.0.1:2719\n",
    );
  });
});

describe("cells table", () => {
  it("shows the first non-blank line of code, shortened, and the errors", () => {
    const config = { hideCode: true, disabled: false, column: null, expandOutput: null };
    const text = cellsTable([
      { id: "Hbol", name: "load", code: "\n\nimport polars as pl\nx = 1", config, status: "idle", errors: [] },
      {
        id: "MJUe",
        name: null,
        code: `y = "${"z".repeat(80)}"`,
        config,
        status: "exception",
        errors: [{ kind: "runtime", message: "NameError: name 'q' is not defined" }],
      },
    ]);
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ID\s+NAME\s+STATUS\s+ERRORS\s+CODE$/);
    expect(lines[1]).toMatch(/^Hbol\s+load\s+idle\s+import polars as pl$/);
    expect(lines[2]).toContain("NameError: name 'q' is not defined");
    expect(lines[2]).toMatch(/y = "z+…$/);
    expect(lines[2]?.endsWith(`${"z".repeat(54)}…`)).toBe(true);
  });
});
