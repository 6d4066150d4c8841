/**
 * The HTTP error mapping (`detailOf`, `errorFromResponse`, `errorFromFailure`), the error
 * classes' codes and messages. The sweep proving the token is never inside an error is in
 * test/slow/http/token-in-errors.test.ts (it waits on timeouts of a fault server).
 */
import { describe, expect, it } from "vitest";
import {
  AmbiguousSessionError,
  AuthError,
  ConnectionError,
  ErrorCode,
  ExecutionError,
  HttpError,
  isMarimoPairError,
  MarimoPairError,
  NoSessionError,
  ProtocolError,
  RemoteNotAllowedError,
  SessionNotFoundError,
  SessionOpenError,
  StreamIncompleteError,
  TimeoutError,
  UnsupportedVersionError,
} from "../../../src/errors.js";
import { detailOf, errorFromFailure, errorFromResponse } from "../../../src/http/errors.js";

const REQUEST = { method: "POST", url: "http://127.0.0.1:2718/api/kernel/execute" };

describe("detailOf", () => {
  it("takes marimo's detail, else error, from a JSON body", () => {
    expect(detailOf('{"detail": "Invalid session id: s_1"}')).toBe("Invalid session id: s_1");
    expect(detailOf('{"error": "Missing server token"}')).toBe("Missing server token");
    expect(detailOf('{"detail": "d", "error": "e"}')).toBe("d");
    expect(detailOf('  {"detail": "padded"}\n')).toBe("padded");
  });

  it("serialises a detail that is not a string (validation errors)", () => {
    expect(detailOf('{"detail": [{"loc": ["body", "code"], "msg": "field required"}]}')).toBe(
      '[{"loc":["body","code"],"msg":"field required"}]',
    );
    expect(detailOf('{"error": {"code": 3}}')).toBe('{"code":3}');
  });

  it("keeps a short single line of anything else (HTML pages, plain text, JSON without detail)", () => {
    const html = `<html>\n  <head><title>502 Bad Gateway</title></head>\n<body>${"<p>x</p>\n".repeat(200)}</body></html>`;
    const detail = detailOf(html);
    expect(detail.startsWith("<html> <head><title>502 Bad Gateway</title></head> <body><p>x</p>")).toBe(true);
    expect(detail.length).toBe(300);
    expect(detailOf("Internal Server Error")).toBe("Internal Server Error");
    expect(detailOf('{"message": "m"}')).toBe('{"message": "m"}');
    expect(detailOf('"just a string"')).toBe('"just a string"');
    expect(detailOf("")).toBe("");
    expect(detailOf(" \n\t ")).toBe("");
  });

  it("reads at most 64 KiB of a body", () => {
    const huge = `{"detail": "${"a".repeat(100_000)}"}`;
    // Cut before the closing quote: not JSON any more, so a 300-character excerpt.
    expect(detailOf(huge)).toHaveLength(300);
  });
});

describe("errorFromResponse", () => {
  const response = (status: number, body: string, type = "application/json") =>
    new Response(body, { status, headers: { "content-type": type } });

  it("maps 401 to AuthError, marimo's unknown-session 500 to SessionNotFoundError, the rest to HttpError", async () => {
    const auth = await errorFromResponse(response(401, '{"detail": "Authorization header required"}'), REQUEST, "s_1");
    expect(auth).toBeInstanceOf(AuthError);
    expect(auth.message).toBe(
      `POST ${REQUEST.url}: HTTP 401 (Authorization header required). The token is wrong or missing. Pass \`token\` or set ` +
        "MARIMO_TOKEN. A server started with --no-token answering 401 is a `marimo run` server, which never allows editing or executing.",
    );

    const gone = await errorFromResponse(response(500, '{"detail": "Invalid session id: s_7"}'), REQUEST, "s_1");
    expect(gone).toBeInstanceOf(SessionNotFoundError);
    expect(gone).toMatchObject({ code: "session_not_found", sessionId: "s_7", status: 500 });
    const stable = await errorFromResponse(response(500, '{"detail": "Invalid stable session id: sess-x"}'), REQUEST, undefined);
    expect(stable).toMatchObject({ code: "session_not_found", sessionId: "sess-x" });

    const other = await errorFromResponse(response(400, '{"detail": "Object missing required field `code`"}'), REQUEST, "s_1");
    expect(other.constructor).toBe(HttpError);
    expect(other.message).toBe(`POST ${REQUEST.url}: HTTP 400: Object missing required field \`code\``);
    const bare = await errorFromResponse(new Response(null, { status: 503 }), REQUEST, undefined);
    expect(bare.message).toBe(`POST ${REQUEST.url}: HTTP 503`);
  });

  it("reads a bounded part of an endless error body, then cancels it", async () => {
    let cancelled = false;
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new TextEncoder().encode("x".repeat(4096)));
      },
      cancel() {
        cancelled = true;
      },
    });
    const error = await errorFromResponse(new Response(body, { status: 500 }), REQUEST, undefined);
    expect(error.detail).toHaveLength(300);
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThan(40);
  });
});

describe("errorFromFailure", () => {
  it("returns the caller's abort reason when their signal fired", () => {
    const reason = new Error("mine");
    expect(errorFromFailure(new TypeError("fetch failed"), REQUEST, 1000, AbortSignal.abort(reason))).toBe(reason);
  });

  it("maps a fetch TypeError to ConnectionError naming the cause code", () => {
    const cause = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    const error = errorFromFailure(new TypeError("fetch failed", { cause }), REQUEST, 1000, undefined);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toBe(
      `POST ${REQUEST.url}: could not connect (ECONNREFUSED). Is marimo running at this address? ` +
        "Check the URL, or call discoverServers() to find live servers.",
    );
  });

  it("passes other errors through", () => {
    const odd = new RangeError("odd");
    expect(errorFromFailure(odd, REQUEST, 1000, undefined)).toBe(odd);
  });
});

describe("error classes", () => {
  const details = { request: REQUEST, status: 500, detail: "boom" };
  const all: MarimoPairError[] = [
    new ConnectionError(REQUEST, "ECONNRESET"),
    new TimeoutError("idle", 1500, REQUEST, "No event arrived."),
    new HttpError(details),
    new AuthError({ ...details, status: 401, detail: "" }),
    new SessionNotFoundError(details, "s_1"),
    new ProtocolError("GET /api/sessions: unexpected response shape."),
    new StreamIncompleteError(REQUEST),
    new RemoteNotAllowedError("example.com"),
    new NoSessionError("", []),
    new AmbiguousSessionError("", [{ sessionId: "s_1", path: null }]),
    new ExecutionError("", "Traceback...\nValueError: boom\n"),
    new UnsupportedVersionError("Kernel status", "0.23.0", "0.23.9"),
    new SessionOpenError(3000, "MARIMO_UNAUTHORIZED", "Pass the server's token."),
  ];

  it("each has its own code from ErrorCode, its class name, and a guard", () => {
    const codes = all.map((e) => e.code);
    expect(new Set(codes).size).toBe(all.length);
    for (const error of all) {
      expect(Object.values(ErrorCode)).toContain(error.code);
      expect(error.name).toBe(error.constructor.name);
      expect(error).toBeInstanceOf(Error);
      expect(isMarimoPairError(error)).toBe(true);
      expect(isMarimoPairError(error, error.code)).toBe(true);
    }
    expect(isMarimoPairError(new Error("x"))).toBe(false);
    expect(isMarimoPairError(all[0], "timeout")).toBe(false);
  });

  it("say what failed", () => {
    expect(all.map((e) => e.message)).toEqual([
      `POST ${REQUEST.url}: could not connect (ECONNRESET). Is marimo running at this address? Check the URL, or call discoverServers() to find live servers.`,
      `POST ${REQUEST.url}: idle timeout after 1500 ms. No event arrived.`,
      `POST ${REQUEST.url}: HTTP 500: boom`,
      expect.stringMatching(/^POST \S+: HTTP 401 \(unauthorized\)\. The token is wrong or missing/),
      expect.stringMatching(/^POST \S+: marimo does not know session 's_1'\. Session ids change when a browser reloads/),
      "GET /api/sessions: unexpected response shape. Is this a marimo server, and is this SDK recent enough for its version?",
      expect.stringMatching(/^POST \S+: the execution stream ended before 'done'\./),
      expect.stringMatching(/^Refusing to connect to non-local host 'example\.com'/),
      expect.stringMatching(/^No notebook session is open\./),
      "1 sessions match:\n  s_1  (unsaved notebook)\nSelect one by sessionId or absolute file path, or pass the server in `urls` with `discover: false`.",
      "The code raised an error: ValueError: boom",
      "Kernel status is unsupported on marimo 0.23.0; it needs marimo >= 0.23.9. Upgrade marimo.",
      "marimo refused to open the session (3000 MARIMO_UNAUTHORIZED). Pass the server's token.",
    ]);
  });
});
