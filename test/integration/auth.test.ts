import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthError, connect, ServerFlagsRequiredError } from "../../src/client.js";
import { isAtLeast } from "../../src/version.js";
import { expectRefused, has, VERSION } from "../helpers/feature.js";
import { type MarimoServer, openRawSession, SIMPLE_NOTEBOOK, startMarimo, stopAll } from "../helpers/marimo-server.js";

// A fresh token per run, so a leak cannot hide behind a fixed string.
const TOKEN = `tok-${Math.random().toString(36).slice(2)}-${Date.now()}`;
const WRONG = `wrong-${Math.random().toString(36).slice(2)}`;
let server: MarimoServer;
let rawSessionId: string;
const seen: unknown[] = [];

function leaks(error: unknown, secret: string): boolean {
  const texts = [String(error), inspect(error, { depth: 5 }), JSON.stringify(error) ?? ""];
  if (error instanceof Error) texts.push(error.message, error.stack ?? "");
  return texts.some((t) => t.includes(secret));
}

beforeAll(async () => {
  server = await startMarimo({ tokenPassword: TOKEN });
  rawSessionId = (await openRawSession(server)).sessionId;
});

afterAll(async () => {
  await server?.stop();
  await stopAll();
  // Every error collected in this file is free of both tokens.
  expect(seen.length).toBeGreaterThan(3);
  for (const error of seen) {
    expect(leaks(error, TOKEN)).toBe(false);
    expect(leaks(error, WRONG)).toBe(false);
  }
});

describe("a --token-password server", () => {
  it("answers 401 without a token: a typed AuthError that explains", async () => {
    const error = await connect(server.url, { token: "" }).sessions().catch((e: unknown) => e);
    seen.push(error);
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ code: "unauthorized", status: 401 });
    expect((error as Error).message).toMatch(/token is wrong or missing/);
  });

  it("answers 401 with a wrong token, without echoing it", async () => {
    const client = connect(server.url, { token: WRONG });
    // GET /api/version needs no token on marimo 0.22.5 and older (it does on 0.23.7 and newer).
    const versionGuarded = isAtLeast(VERSION, "0.23.7");
    if (!versionGuarded) expect(await client.version()).toBe(VERSION);
    for (const call of [() => client.sessions(), () => client.status(), ...(versionGuarded ? [() => client.version()] : [])]) {
      const error = await call().catch((e: unknown) => e);
      seen.push(error);
      expect(error).toMatchObject({ code: "unauthorized" });
    }
  });

  it("works with the right token: sessions, execute, open a session over SSE and over WebSocket", async () => {
    const client = connect(server.url, { token: TOKEN });
    if (!has("skewFreeSessionList")) {
      // Before 0.22.3 a token server lists sessions to nobody; a session named by id still works.
      const refused = await client.session().catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ServerFlagsRequiredError);
      expect(refused).toMatchObject({ code: "needs_server_flags", flags: ["--no-token", "--no-skew-protection"] });
      expect((refused as Error).message).toMatch(/client\.session\(\{ sessionId \}\)/);
    }
    const nb = has("skewFreeSessionList") ? await client.session() : await client.session({ sessionId: rawSessionId });
    expect((await nb.execute("print('authorized')")).stdout).toBe("authorized\n");
    // GET /sse needs sseSessions (marimo ≥ 0.23.14); the WebSocket works on every release.
    if (has("sseSessions")) {
      const sse = await client.openSession({ transport: "sse" });
      expect(sse.role).toBe("viewer");
      expect((await sse.execute("print(1)")).stdout).toBe("1\n");
      await sse.close();
    }
    const opening = client.openSession({ transport: "ws" });
    if (!has("sseSessions")) {
      // The notebook is held by another connection, and before sseSessions marimo lets only one hold it.
      await expect(opening).rejects.toMatchObject({ code: "session_open_failed", closeCode: 1003, reason: "MARIMO_ALREADY_CONNECTED" });
      return;
    }
    const ws = await opening;
    expect((await ws.execute("print(2)")).stdout).toBe("2\n");
    await ws.close();
  });

  it("reads the token from MARIMO_TOKEN", async () => {
    process.env["MARIMO_TOKEN"] = TOKEN;
    try {
      expect(await connect(server.url).version()).toBe(VERSION);
    } finally {
      delete process.env["MARIMO_TOKEN"];
    }
  });

  it("refuses to open a session without the token: an AuthError over either transport", async () => {
    // Over SSE the version check before opening already answers 401 (marimo ≥ 0.23.7 guards
    // /api/version). Over the WebSocket marimo refuses the upgrade itself (the socket sees only
    // 1006): the SDK asks over HTTP and reports the token.
    for (const transport of has("sseSessions") ? (["sse", "ws"] as const) : (["ws"] as const)) {
      const error = await connect(server.url, { token: WRONG }).openSession({ transport }).catch((e: unknown) => e);
      seen.push(error);
      expect(error, transport).toBeInstanceOf(AuthError);
      expect(error, transport).toMatchObject({ code: "unauthorized", status: 401 });
    }
  });

  it("keeps the token out of connection errors too", async () => {
    const error = await connect("http://127.0.0.1:1", { token: TOKEN }).sessions().catch((e: unknown) => e);
    seen.push(error);
    expect(error).toMatchObject({ code: "connection_failed" });
  });
});

describe("a server under --base-url", () => {
  it("routes every call under the prefix", async () => {
    const prefixed = await startMarimo({ baseUrl: "/pair/nb", notebook: SIMPLE_NOTEBOOK });
    try {
      const client = connect(`${prefixed.url}/`);
      expect(client.url).toBe(prefixed.url);
      expect(await client.health()).toEqual({ status: "healthy" });
      const nb = await client.openSession({});
      expect((await nb.execute("print('prefixed')")).stdout).toBe("prefixed\n");
      if (has("kernelStatus")) expect(await nb.status()).toBe("idle");
      else await expectRefused(nb.status(), "kernelStatus");
      await nb.close();
      const unprefixed = await connect(`http://127.0.0.1:${prefixed.port}`).version().catch((e: unknown) => e);
      expect(unprefixed).toMatchObject({ code: "http_error", status: 404 });
    } finally {
      await prefixed.stop();
    }
  });
});
