/**
 * A sweep proving the token is never inside an error the client raises — not in the
 * message, the stack, any property, or any cause — against a misbehaving server or none.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../../../src/client.js";
import type { MarimoPairError } from "../../../src/errors.js";
import { type FaultServer, sendJson, sseEvent, startFaultServer, startSse } from "../../helpers/fault-server.js";
import { authorizationHeader } from "../../../src/http/auth.js";

/** Every string reachable from `value` (own properties, causes, headers, maps), for leak checks. */
function reachableText(value: unknown, seen = new Set<unknown>()): string[] {
  if (typeof value === "string") return [value];
  if (typeof value !== "object" || value === null || seen.has(value)) return [];
  seen.add(value);
  const out: string[] = [];
  if (value instanceof Headers) for (const [k, v] of value) out.push(k, v);
  if (value instanceof Request || value instanceof Response) out.push(...reachableText(value.headers, seen), value.url);
  if (value instanceof Map) for (const [k, v] of value) out.push(...reachableText(k, seen), ...reachableText(v, seen));
  for (const key of Object.getOwnPropertyNames(value)) {
    out.push(...reachableText((value as Record<string, unknown>)[key], seen));
  }
  return out;
}

describe("the token never appears in an error", () => {
  const TOKEN = "tok-Zq8-never-print-me";
  // The token as it travels: base64 inside the Basic header, which would reveal it as well.
  const ENCODED = btoa(`marimo-pair:${TOKEN}`);
  let server: FaultServer;

  beforeAll(async () => {
    server = await startFaultServer();
  });

  afterAll(async () => {
    await server.close();
  });

  async function errorOf(promise: Promise<unknown>): Promise<unknown> {
    return promise.then(
      () => {
        throw new Error("expected a rejection");
      },
      (e: unknown) => e,
    );
  }

  it("in any error the client raises against a misbehaving server or no server", async () => {
    const errors: unknown[] = [];
    // Nothing listening.
    errors.push(await errorOf(connect("http://127.0.0.1:1", { token: TOKEN }).sessions()));
    const c = connect(server.url, { token: TOKEN, timeoutMs: 300 });
    const nb = await c.session({ file: "nb.py" });
    const behaviours: [string, Parameters<FaultServer["on"]>[1]][] = [
      ["401", (_q, res) => sendJson(res, 401, { detail: "Authorization header required" })],
      ["500", (_q, res) => sendJson(res, 500, { detail: "boom" })],
      ["unknown session", (_q, res) => sendJson(res, 500, { detail: "Invalid session id: s_1" })],
      ["html", (_q, res) => res.writeHead(502, { "content-type": "text/html" }).end("<h1>Bad Gateway</h1>")],
      ["hang", () => undefined],
      ["json", (_q, res) => sendJson(res, 200, { ok: true })],
      [
        "cut",
        (_q, res) => {
          startSse(res);
          res.write(sseEvent("stdout", { data: "x" }));
          setTimeout(() => res.destroy(), 20);
        },
      ],
      [
        "bad done",
        (_q, res) => {
          startSse(res);
          res.end(sseEvent("done", { success: 1 }));
        },
      ],
    ];
    for (const [, behaviour] of behaviours) {
      server.on("POST /api/kernel/execute", behaviour);
      errors.push(await errorOf(nb.execute("1")));
    }
    server.on("POST /api/kernel/execute", (_q, res) => {
      startSse(res);
      res.write(sseEvent("stdout", { data: "x" }));
    });
    errors.push(await errorOf(nb.execute("1", { idleTimeoutMs: 50 })));
    server.on("GET /api/sessions", (_q, res) => sendJson(res, 401, { detail: "Authorization header required" }));
    errors.push(await errorOf(c.sessions()));
    server.on("GET /api/sessions", (_q, res) => sendJson(res, 200, { s_1: { filename: 7 } }));
    errors.push(await errorOf(c.sessions()));

    expect(errors.map((e) => (e as MarimoPairError).code)).toEqual([
      "connection_failed",
      "unauthorized",
      "http_error",
      "session_not_found",
      "http_error",
      "timeout",
      "protocol_error",
      "stream_incomplete",
      "protocol_error",
      "timeout",
      "unauthorized",
      "protocol_error",
    ]);
    // The sweep would see a token held anywhere, e.g. in a request inside a cause.
    const control = new Error("x", { cause: { request: new Request(server.url, { headers: { Authorization: authorizationHeader(TOKEN) } }) } });
    expect(reachableText(control).some((t) => t.includes(ENCODED))).toBe(true);
    for (const error of errors) {
      const text = reachableText(error);
      expect(text.length).toBeGreaterThan(1);
      expect(text.filter((t) => t.includes(TOKEN) || t.includes(ENCODED))).toEqual([]);
    }
    // The token did reach the server, as the password of a Basic header.
    expect(server.requests.every((r) => r.headers.authorization === `Basic ${ENCODED}`)).toBe(true);
    await server.waitForNoSockets();
  });
});
