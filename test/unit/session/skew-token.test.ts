import { describe, expect, it } from "vitest";
import { AuthError } from "../../../src/errors.js";
import { parseServerToken } from "../../../src/session/skew-token.js";
import { connect } from "../../../src/session/client.js";

const SESSIONS = { s_1: { session_id: "sess-1", filename: "/nb.py", path: "/nb.py" } };

function page(token: string): string {
  return `<!doctype html><html><head><marimo-server-token data-token="${token}" hidden></marimo-server-token>
<script data-marimo="true">window.__MARIMO_MOUNT_CONFIG__ = {"serverToken": "${token}"}</script></head></html>`;
}

/** A scripted fetch: the page carries `pages[i]` on the i-th GET /, POSTs accept only `accepted`. */
function fakeFetch(pages: string[], accepted: () => string) {
  const log: string[] = [];
  let pageCount = 0;
  const fetchImpl = async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    log.push(`${request.method} ${url.pathname}`);
    if (url.pathname === "/api/sessions") return Response.json(SESSIONS);
    if (url.pathname === "/") return new Response(page(pages[Math.min(pageCount++, pages.length - 1)] ?? ""), { headers: { "Content-Type": "text/html" } });
    const token = request.headers.get("Marimo-Server-Token");
    if (token === null) return Response.json({ error: "Missing server token" }, { status: 401 });
    if (token !== accepted()) return Response.json({ error: "Invalid server token" }, { status: 401 });
    return Response.json({ success: true });
  };
  return { fetch: fetchImpl as typeof fetch, log };
}

describe("the skew token", () => {
  it("is read from the page once per client and sent with protected POSTs", async () => {
    const fake = fakeFetch(["tok-A"], () => "tok-A");
    const nb = await connect("http://127.0.0.1:9", { fetch: fake.fetch }).session();
    await nb.interrupt();
    await nb.interrupt();
    expect(fake.log.filter((l) => l === "GET /")).toHaveLength(1);
    expect(fake.log.filter((l) => l === "POST /api/kernel/interrupt")).toHaveLength(2);
  });

  it("is fetched again and the POST retried once when marimo calls it invalid", async () => {
    let current = "tok-A";
    const fake = fakeFetch(["tok-A", "tok-B"], () => current);
    const nb = await connect("http://127.0.0.1:9", { fetch: fake.fetch }).session();
    await nb.interrupt();
    current = "tok-B"; // the server restarted with a new token
    await nb.interrupt();
    expect(fake.log).toEqual([
      "GET /api/sessions",
      "GET /",
      "POST /api/kernel/interrupt",
      "POST /api/kernel/interrupt",
      "GET /",
      "POST /api/kernel/interrupt",
    ]);
  });

  it("never appears in the error when the retry fails too", async () => {
    const fake = fakeFetch(["secret-A", "secret-B"], () => "something-else");
    const nb = await connect("http://127.0.0.1:9", { fetch: fake.fetch }).session();
    const error = await nb.interrupt().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    const shown = `${String(error)} ${JSON.stringify(error)} ${(error as Error).stack ?? ""}`;
    expect(shown).not.toMatch(/secret-/);
    expect(fake.log.filter((l) => l.startsWith("POST"))).toHaveLength(2);
  });

  it("parses the element, entities, and the mount config as a fallback", () => {
    expect(parseServerToken(page("abc-123_XYZ"))).toBe("abc-123_XYZ");
    expect(parseServerToken(`<marimo-server-token hidden data-token='a&amp;b&#x27;c'>`)).toBe("a&b'c");
    expect(parseServerToken(`<script>{"serverToken": "from-config"}</script>`)).toBe("from-config");
    expect(parseServerToken(`<marimo-server-token data-token="{{ server_token }}">`)).toBeUndefined();
    expect(parseServerToken("<html></html>")).toBeUndefined();
  });
});
