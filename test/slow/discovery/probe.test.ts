import { afterEach, describe, expect, it } from "vitest";
import { createHealthProber, isHealthyBody } from "../../../src/http/probe.js";
import { cleanup, closedPort, httpServer, marimoLike, silentPort } from "../../unit/discovery/helpers.js";

afterEach(cleanup);

describe("the /health probe", () => {
  it("recognises marimo (and probes under the base URL)", async () => {
    const seen: string[] = [];
    const server = await httpServer((req, res) => {
      seen.push(req.url ?? "");
      res.end('{"status": "healthy"}');
    });
    const prober = createHealthProber();
    try {
      expect(await prober.probe(`${server.url}/prefix`)).toEqual({
        outcome: "healthy",
        url: `${server.url}/prefix`,
        status: 200,
      });
      expect(seen).toEqual(["/prefix/health"]);
    } finally {
      await prober.close();
    }
  });

  it("reports another HTTP server as not marimo, with an excerpt", async () => {
    const other = await httpServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html>\n  <body>hello from another app</body>\n</html>");
    });
    const notFound = await httpServer((_req, res) => {
      res.writeHead(404);
      res.end('{"status":"healthy"}');
    });
    const prober = createHealthProber();
    try {
      expect(await prober.probe(other.url)).toEqual({
        outcome: "not_marimo",
        url: other.url,
        status: 200,
        excerpt: "<html> <body>hello from another app</body> </html>",
      });
      // A healthy body with an error status is not a marimo answer either.
      expect(await prober.probe(notFound.url)).toMatchObject({ outcome: "not_marimo", status: 404 });
    } finally {
      await prober.close();
    }
  });

  it("does not follow redirects", async () => {
    const target = await marimoLike();
    const redirecting = await httpServer((_req, res) => {
      res.writeHead(302, { location: `${target.url}/health` });
      res.end();
    });
    const prober = createHealthProber();
    try {
      expect(await prober.probe(redirecting.url)).toMatchObject({ outcome: "not_marimo", status: 302 });
    } finally {
      await prober.close();
    }
  });

  it("a closed port is refused", async () => {
    const port = await closedPort();
    const prober = createHealthProber();
    try {
      expect(await prober.probe(`http://127.0.0.1:${port}`)).toMatchObject({ outcome: "unreachable", reason: "refused" });
    } finally {
      await prober.close();
    }
  });

  it("a port that accepts but never answers times out, without throwing", async () => {
    const port = await silentPort();
    const prober = createHealthProber({ timeoutMs: 300 });
    try {
      const started = Date.now();
      expect(await prober.probe(`http://127.0.0.1:${port}`)).toMatchObject({ outcome: "unreachable", reason: "timeout" });
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    } finally {
      await prober.close();
    }
  });

  it("a body that stalls after the headers times out too", async () => {
    const server = await httpServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"status": ');
    });
    const prober = createHealthProber({ timeoutMs: 300 });
    try {
      expect(await prober.probe(server.url)).toMatchObject({ outcome: "unreachable", reason: "timeout" });
    } finally {
      await prober.close();
    }
  });

  it("reads a huge body only up to its cap", async () => {
    const server = await httpServer((_req, res) => {
      res.writeHead(200);
      res.end("x".repeat(5_000_000));
    });
    const prober = createHealthProber();
    try {
      const result = await prober.probe(server.url);
      expect(result).toMatchObject({ outcome: "not_marimo", status: 200 });
      expect(result.outcome === "not_marimo" && result.excerpt.length).toBeLessThanOrEqual(121);
    } finally {
      await prober.close();
    }
  });

  it("uses an injected fetch, once, with no retry", async () => {
    const calls: string[] = [];
    const prober = createHealthProber({
      fetch: async (input) => {
        calls.push(input instanceof Request ? input.url : String(input));
        return new Response('{"status":"healthy","extra":1}', { status: 200 });
      },
    });
    expect(await prober.probe("http://[::1]:2718/app")).toMatchObject({ outcome: "healthy" });
    expect(calls).toEqual(["http://[::1]:2718/app/health"]);

    let count = 0;
    const failing = createHealthProber({
      fetch: async () => {
        count++;
        throw new TypeError("fetch failed", { cause: Object.assign(new Error("connect"), { code: "EHOSTUNREACH" }) });
      },
    });
    expect(await failing.probe("http://10.0.0.1:2718")).toMatchObject({ outcome: "unreachable", reason: "no_route" });
    expect(count).toBe(1);
  });

  it("classifies failures found along the cause chain", async () => {
    const failWith = (code: string) =>
      createHealthProber({
        fetch: async () => {
          throw new TypeError("fetch failed", { cause: Object.assign(new Error(code), { code }) });
        },
      }).probe("http://127.0.0.1:1");
    expect(await failWith("UND_ERR_CONNECT_TIMEOUT")).toMatchObject({ reason: "connect_timeout" });
    expect(await failWith("ECONNRESET")).toMatchObject({ reason: "reset" });
    expect(await failWith("ENOTFOUND")).toMatchObject({ reason: "dns" });
    expect(await failWith("EWHATEVER")).toMatchObject({ reason: "other", detail: "EWHATEVER" });
  });

  it("an aborted probe says aborted", async () => {
    const port = await silentPort();
    const prober = createHealthProber({ timeoutMs: 10_000 });
    try {
      const controller = new AbortController();
      const pending = prober.probe(`http://127.0.0.1:${port}`, controller.signal);
      setTimeout(() => controller.abort(new Error("stop")), 50);
      expect(await pending).toEqual({ outcome: "aborted", url: `http://127.0.0.1:${port}` });
    } finally {
      await prober.close();
    }
  });
});

describe("isHealthyBody", () => {
  it.each([
    ['{"status":"healthy"}', true],
    ['{"status": "healthy", "version": "0.25.2"}', true],
    ['{"status":"unhealthy"}', false],
    ['{"status":"starting"}', false],
    ["healthy", false],
    ['ok "healthy"', true],
    ["", false],
  ])("%j → %s", (text, expected) => {
    expect(isHealthyBody(text)).toBe(expected);
  });
});
