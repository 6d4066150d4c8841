/**
 * Session selection: `matchFile` (exact path or filename, relative suffix, basename) and
 * `selectSession` (by id or stable id, by file, or the only one), with the errors that
 * list what is open.
 */
import { describe, expect, it } from "vitest";
import { AmbiguousSessionError, NoSessionError } from "../../../src/errors.js";
import { describeSelector, matchFile, selectSession } from "../../../src/session/select.js";
import type { SessionInfo } from "../../../src/session/types.js";

function info(sessionId: string, path: string | null, filename: string | null = path, stableId: string | null = null): SessionInfo {
  return { sessionId, stableId, filename, path };
}

/** A directory server: two notebooks called a.py, one b.py, and an unsaved notebook. */
const DIR: SessionInfo[] = [
  info("s_a", "/srv/nbs/a.py", "a.py"),
  info("s_suba", "/srv/nbs/sub/a.py", "sub/a.py"),
  info("s_b", "/srv/nbs/b.py", "b.py"),
  info("s_new", null, null),
];

const ids = (sessions: readonly SessionInfo[]) => sessions.map((s) => s.sessionId);

describe("matchFile", () => {
  it("matches an exact absolute path", () => {
    expect(ids(matchFile(DIR, "/srv/nbs/sub/a.py"))).toEqual(["s_suba"]);
    expect(ids(matchFile(DIR, "/srv/nbs/a.py"))).toEqual(["s_a"]);
  });

  it("matches the filename exactly as the server holds it, before any looser rule", () => {
    // `a.py` is also the basename of sub/a.py, but the exact filename wins.
    expect(ids(matchFile(DIR, "a.py"))).toEqual(["s_a"]);
    expect(ids(matchFile(DIR, "sub/a.py"))).toEqual(["s_suba"]);
  });

  it("matches a relative path as a suffix of the path, on whole segments only", () => {
    const sessions = [info("s_1", "/home/u/proj/nbs/sub/x.py", "/home/u/proj/nbs/sub/x.py"), info("s_2", "/home/u/xsub/x.py")];
    expect(ids(matchFile(sessions, "nbs/sub/x.py"))).toEqual(["s_1"]);
    expect(ids(matchFile(sessions, "sub/x.py"))).toEqual(["s_1"]);
    expect(ids(matchFile(sessions, "ub/x.py"))).toEqual([]);
  });

  it("normalises ./, repeated slashes and backslashes", () => {
    expect(ids(matchFile(DIR, "./sub/a.py"))).toEqual(["s_suba"]);
    expect(ids(matchFile(DIR, "sub//a.py"))).toEqual(["s_suba"]);
    expect(ids(matchFile(DIR, "sub\\a.py"))).toEqual(["s_suba"]);
    const windows = [info("s_w", "C:\\Users\\u\\nb.py", "nb.py")];
    expect(ids(matchFile(windows, "C:/Users/u/nb.py"))).toEqual(["s_w"]);
    expect(ids(matchFile(windows, "u\\nb.py"))).toEqual(["s_w"]);
  });

  it("falls back to the basename, which may match several sessions", () => {
    const sessions = [info("s_1", "/p/one/nb.py", "/p/one/nb.py"), info("s_2", "/p/two/nb.py", "/p/two/nb.py"), info("s_3", "/p/nb2.py")];
    expect(ids(matchFile(sessions, "nb.py"))).toEqual(["s_1", "s_2"]);
    expect(ids(matchFile(sessions, "NB.py"))).toEqual([]);
  });

  it("never matches an unsaved notebook, and nothing matches an empty or unknown name", () => {
    expect(ids(matchFile(DIR, "c.py"))).toEqual([]);
    expect(ids(matchFile(DIR, ""))).toEqual([]);
    expect(ids(matchFile(DIR, "/"))).toEqual([]);
    expect(ids(matchFile([info("s_new", null, null)], "__new__"))).toEqual([]);
  });

  it("matches an absolute path that is not open against a longer path ending with it (a symlinked prefix, e.g. /private/var on macOS)", () => {
    const sessions = [info("s_1", "/private/var/folders/t/nb.py", "/private/var/folders/t/nb.py")];
    expect(ids(matchFile(sessions, "/var/folders/t/nb.py"))).toEqual(["s_1"]);
  });
});

describe("selectSession", () => {
  it("selects by routing id or by stable id", () => {
    const sessions = [info("s_1", "/x/a.py", "a.py", "sess-aaa"), info("s_2", "/x/b.py", "b.py", "sess-bbb")];
    expect(selectSession(sessions, { sessionId: "s_2" }).sessionId).toBe("s_2");
    expect(selectSession(sessions, { sessionId: "sess-aaa" }).sessionId).toBe("s_1");
  });

  it("an unknown id → NoSessionError listing the open sessions", () => {
    const error = (() => {
      try {
        selectSession(DIR, { sessionId: "s_gone" });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(NoSessionError);
    expect(error).toMatchObject({ code: "no_session" });
    expect((error as NoSessionError).available).toEqual(DIR.map((s) => ({ sessionId: s.sessionId, path: s.path })));
    expect((error as Error).message).toBe(
      "No session matches session id 's_gone'. Open sessions:\n" +
        "  s_a  /srv/nbs/a.py\n  s_suba  /srv/nbs/sub/a.py\n  s_b  /srv/nbs/b.py\n  s_new  (unsaved notebook)\n" +
        "Open it with findSession({ file, open: true }) (or client.openSession({ file })), or open it in a browser.",
    );
  });

  it("selects by file", () => {
    expect(selectSession(DIR, { file: "b.py" }).sessionId).toBe("s_b");
    expect(selectSession(DIR, { file: "/srv/nbs/sub/a.py" }).sessionId).toBe("s_suba");
  });

  it("several sessions for a file → AmbiguousSessionError listing only the candidates", () => {
    const sessions = [info("s_1", "/p/one/nb.py", "/p/one/nb.py"), info("s_2", "/p/two/nb.py", "/p/two/nb.py"), info("s_3", "/p/c.py")];
    const error = (() => {
      try {
        selectSession(sessions, { file: "nb.py" });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(AmbiguousSessionError);
    expect(error).toMatchObject({ code: "ambiguous_session" });
    expect((error as AmbiguousSessionError).candidates).toEqual([
      { sessionId: "s_1", path: "/p/one/nb.py" },
      { sessionId: "s_2", path: "/p/two/nb.py" },
    ]);
    expect((error as Error).message).toBe(
      "2 sessions match file 'nb.py':\n  s_1  /p/one/nb.py\n  s_2  /p/two/nb.py\n" +
        "Select one by sessionId or absolute file path, or pass the server in `urls` with `discover: false`.",
    );
  });

  it("no file match → NoSessionError listing everything open", () => {
    expect(() => selectSession(DIR, { file: "zzz.py" })).toThrow(NoSessionError);
    expect(() => selectSession(DIR, { file: "zzz.py" })).toThrow(/^No session matches file 'zzz.py'\. Open sessions:\n {2}s_a/);
  });

  it("a file when nothing is open → NoSessionError that names the file and says how to open one", () => {
    const error = (() => {
      try {
        selectSession([], { file: "nb.py" });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toMatchObject({ code: "no_session", available: [] });
    expect((error as Error).message).toContain("file 'nb.py'");
    expect((error as Error).message).toContain("findSession({ file, open: true })");
  });

  it("with no selector: the only session; none → NoSessionError; several → AmbiguousSessionError", () => {
    expect(selectSession([info("s_1", "/x/nb.py")], {}).sessionId).toBe("s_1");
    expect(() => selectSession([], {})).toThrow(NoSessionError);
    expect(() => selectSession([], {})).toThrow(
      "No notebook session is open. Open it with findSession({ file, open: true }) (or client.openSession({ file })), or open it in a browser.",
    );
    expect(() => selectSession(DIR, {})).toThrow(AmbiguousSessionError);
    expect(() => selectSession(DIR, {})).toThrow(/^4 sessions match:\n/);
  });

  it("is stable: the same list and selector always give the same session", () => {
    const shuffled = [DIR[2], DIR[0], DIR[3], DIR[1]].filter((s) => s !== undefined);
    for (const selector of [{ file: "a.py" }, { file: "sub/a.py" }, { sessionId: "s_b" }]) {
      expect(selectSession(shuffled, selector)).toEqual(selectSession(DIR, selector));
    }
  });
});

describe("describeSelector", () => {
  it("names the selector for messages", () => {
    expect(describeSelector({ sessionId: "s_1" })).toBe(" session id 's_1'");
    expect(describeSelector({ file: "nb.py" })).toBe(" file 'nb.py'");
    expect(describeSelector({})).toBe("");
  });
});
