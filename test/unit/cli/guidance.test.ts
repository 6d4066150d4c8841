import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/cli/argv.js";
import { describeFailure } from "../../../src/cli/guidance.js";
import {
  AmbiguousSessionError,
  AuthError,
  ConnectionError,
  NoSessionError,
  SessionNotFoundError,
  StreamIncompleteError,
} from "../../../src/errors.js";

const request = { method: "GET", url: "http://127.0.0.1:2718/api/sessions" };
const url = "http://127.0.0.1:2718";
const open = [
  { sessionId: "s_a", path: "/work/a.py" },
  { sessionId: "s_b", path: null },
];

describe("describeFailure", () => {
  it("tells the user to open the notebook when no session exists", () => {
    const f = describeFailure(new NoSessionError("", []), { url });
    expect(f.exitCode).toBe(1);
    expect(f.message).toMatch(/no notebook is open on http:\/\/127\.0\.0\.1:2718.*marimo-pair open --file PATH/s);
  });

  it("lists the sessions with their files when several are open", () => {
    const f = describeFailure(new AmbiguousSessionError("", open), { url });
    expect(f.exitCode).toBe(1);
    expect(f.message).toContain("2 notebooks are open");
    expect(f.message).toContain("--file");
    expect(f.message).toContain("  s_a  /work/a.py\n  s_b  (unsaved notebook)");
    expect(f.message).not.toContain("sessionId");
  });

  it("suggests selecting by file for a stale session id", () => {
    const f = describeFailure(new NoSessionError(" session id 's_old'", open), { url, session: "s_old" });
    expect(f.message).toMatch(/no session 's_old'.*--file PATH/s);
    expect(f.message).toContain("s_a  /work/a.py");
    const g = describeFailure(new SessionNotFoundError({ request, status: 500, detail: "Invalid session id: s_old" }, "s_old"));
    expect(g.message).toMatch(/no longer knows session 's_old'.*--file PATH/);
  });

  it("lists the open sessions when --file matches none", () => {
    const f = describeFailure(new NoSessionError(" file 'x.py'", open), { file: "x.py" });
    expect(f.message).toMatch(/no open notebook matches --file 'x.py'/);
    expect(f.message).toContain("s_a  /work/a.py");
  });

  it("points at the URL and token on connection and auth failures", () => {
    expect(describeFailure(new ConnectionError(request, "ECONNREFUSED"), { url }).message).toMatch(
      /failed to connect to http:\/\/127\.0\.0\.1:2718\..*Check the URL.*marimo-pair discover/,
    );
    expect(describeFailure(new AuthError({ request, status: 401, detail: "Authorization header required" })).message).toMatch(
      /refused the request \(401: Authorization header required\)\. Set MARIMO_TOKEN \(or pass --token\)/,
    );
  });

  it("lists server and file when the search spanned several servers, in CLI terms", () => {
    const across = [
      { sessionId: "s_a", path: "/one/a.py", url: "http://127.0.0.1:1" },
      { sessionId: "s_b", path: "/two/a.py", url: "http://127.0.0.1:2" },
    ];
    const f = describeFailure(new AmbiguousSessionError(" file 'a.py'", across), { file: "a.py" });
    expect(f.message).toContain("http://127.0.0.1:1  s_a  /one/a.py");
    expect(f.message).toContain("http://127.0.0.1:2  s_b  /two/a.py");
    expect(f.message).toContain("--url");
    expect(f.message).not.toContain("findSession");
    const g = describeFailure(new NoSessionError(" file 'x.py'", across, { servers: 2 }), { file: "x.py" });
    expect(g.message).toContain("http://127.0.0.1:1  s_a  /one/a.py");
    expect(g.message).toContain("marimo-pair open --file PATH");
    expect(g.message).not.toContain("findSession");
  });

  it("explains an incomplete stream", () => {
    const f = describeFailure(new StreamIncompleteError({ method: "POST", url: `${url}/api/kernel/execute` }));
    expect(f.exitCode).toBe(1);
    expect(f.message).toMatch(/ended before marimo reported completion.*--file PATH/);
  });

  it("maps usage errors to exit 2 and keeps other messages", () => {
    expect(describeFailure(new UsageError("bad"))).toEqual({ message: "bad", exitCode: 2 });
    expect(describeFailure(new Error("odd"))).toEqual({ message: "odd", exitCode: 1 });
    expect(describeFailure("text")).toEqual({ message: "text", exitCode: 1 });
  });
});
