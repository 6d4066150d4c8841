/**
 * Base URLs: what counts as loopback (the `allowRemote` guard), what is refused, and
 * how the URL is normalised (trailing slash, `--base-url` prefix kept, query dropped).
 */
import { describe, expect, it } from "vitest";
import { RemoteNotAllowedError } from "../../../src/errors.js";
import { isLoopbackHost, joinUrl, normalizeBaseUrl } from "../../../src/http/base-url.js";

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected a throw");
}

describe("isLoopbackHost", () => {
  it("accepts IPv4 127/8, localhost, ::1 (bracketed or not) and IPv4-mapped loopback", () => {
    for (const host of [
      "127.0.0.1",
      "127.0.0.2",
      "127.255.255.254",
      "localhost",
      "LocalHost",
      "app.localhost",
      "::1",
      "[::1]",
      "0:0:0:0:0:0:0:1",
      "::ffff:127.0.0.1",
      "[::ffff:7f00:1]",
      "::ffff:7fff:1",
      // Bind-all addresses: a connection to them stays on this machine.
      "0.0.0.0",
      "::",
      "[::]",
    ]) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
  });

  it("refuses everything else", () => {
    for (const host of [
      "192.168.1.10",
      "10.0.0.1",
      "128.0.0.1",
      "127.0.0.1.nip.io",
      "1127.0.0.1",
      "localhost.example.com",
      "notlocalhost",
      "example.com",
      "::2",
      "[::ffff:c0a8:1]",
      "::ffff:192.168.0.1",
      "fe80::1",
      "",
    ]) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });
});

describe("normalizeBaseUrl", () => {
  it("keeps loopback URLs in every spelling the URL parser normalises to loopback", () => {
    for (const [input, host] of [
      ["http://127.0.0.1:2718", "127.0.0.1"],
      ["http://127.1:2718", "127.0.0.1"],
      ["http://2130706433:2718", "127.0.0.1"],
      ["http://0x7f.1:2718", "127.0.0.1"],
      ["http://localhost:2718", "localhost"],
      ["http://[::1]:2718", "[::1]"],
      ["http://[0:0:0:0:0:0:0:1]:2718", "[::1]"],
      ["http://[::ffff:127.0.0.1]:2718", "[::ffff:7f00:1]"],
      ["https://localhost", "localhost"],
    ] as const) {
      expect(normalizeBaseUrl(input, false).hostname, input).toBe(host);
    }
  });

  it("refuses a remote host without allowRemote, and names the host", () => {
    for (const input of ["http://192.0.2.1:2718", "http://example.com", "http://[2001:db8::1]:2718", "http://127.0.0.1.nip.io"]) {
      const error = thrown(() => normalizeBaseUrl(input, false));
      expect(error, input).toBeInstanceOf(RemoteNotAllowedError);
      expect(error).toMatchObject({ code: "remote_not_allowed" });
      expect((error as Error).message).toContain("allowRemote: true");
    }
    expect(normalizeBaseUrl("http://192.0.2.1:2718", true).href).toBe("http://192.0.2.1:2718/");
  });

  it("refuses credentials and access_token in the URL without echoing them", () => {
    for (const input of [
      "http://user:s3cret-tok@127.0.0.1:2718",
      "http://:s3cret-tok@127.0.0.1:2718",
      "http://127.0.0.1:2718/?access_token=s3cret-tok",
      "http://localhost:2718?access_token=s3cret-tok&x=1",
      // Remote and with a token: the token check comes first, so nothing is echoed either.
      "http://example.com/?access_token=s3cret-tok",
    ]) {
      const error = thrown(() => normalizeBaseUrl(input, false));
      expect(error, input).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(/pass `token` \(or set MARIMO_TOKEN\)/);
      expect((error as Error).message).not.toContain("s3cret-tok");
    }
  });

  it("refuses what is not an absolute http(s) URL, without echoing the input", () => {
    for (const input of ["127.0.0.1:2718/?access_token=s3cret-tok", "s3cret-tok", "", "/api/status", "http//u:s3cret-tok@127.0.0.1"]) {
      const error = thrown(() => normalizeBaseUrl(input, false));
      expect(error, input).toBeInstanceOf(TypeError);
      expect((error as Error).message).toContain("Not an absolute URL");
      expect((error as Error).message).not.toContain("s3cret-tok");
    }
    for (const input of ["ftp://127.0.0.1/", "ws://127.0.0.1:2718", "file:///tmp/nb.py"]) {
      expect(() => normalizeBaseUrl(input, false), input).toThrow(/Unsupported URL scheme/);
    }
  });

  it("drops the trailing slash, the query and the fragment, and keeps a --base-url prefix", () => {
    expect(normalizeBaseUrl("http://127.0.0.1:2718/", false).href).toBe("http://127.0.0.1:2718/");
    expect(normalizeBaseUrl("http://127.0.0.1:2718/prefix/", false).href).toBe("http://127.0.0.1:2718/prefix");
    expect(normalizeBaseUrl("http://127.0.0.1:2718/a/b//", false).pathname).toBe("/a/b");
    expect(normalizeBaseUrl("http://127.0.0.1:2718/p?file=nb.py#x", false).href).toBe("http://127.0.0.1:2718/p");
    expect(normalizeBaseUrl(new URL("http://localhost:2718/p/"), false).href).toBe("http://localhost:2718/p");
  });
});

describe("joinUrl", () => {
  it("puts API paths under the base path", () => {
    expect(joinUrl(normalizeBaseUrl("http://127.0.0.1:2718/", false), "/api/sessions")).toBe("http://127.0.0.1:2718/api/sessions");
    expect(joinUrl(normalizeBaseUrl("http://127.0.0.1:2718/prefix/", false), "/api/sessions")).toBe(
      "http://127.0.0.1:2718/prefix/api/sessions",
    );
    expect(joinUrl(normalizeBaseUrl("http://[::1]:2718/a/b", false), "/health")).toBe("http://[::1]:2718/a/b/health");
  });
});
