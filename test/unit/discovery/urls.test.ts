import { describe, expect, it } from "vitest";
import { bareHost, connectHost, localCandidates, serverUrl, windowsHostCandidates } from "../../../src/discovery/urls.js";

describe("host normalisation", () => {
  it.each([
    ["127.0.0.1", "127.0.0.1", "127.0.0.1"],
    ["0.0.0.0", "0.0.0.0", "127.0.0.1"],
    ["", "", "127.0.0.1"],
    ["::", "::", "::1"],
    ["[::]", "::", "::1"],
    ["::1", "::1", "::1"],
    ["[::1]", "::1", "::1"],
    ["fe80::1%eth0", "fe80::1", "fe80::1"],
    ["[fe80::1%25eth0]", "fe80::1", "fe80::1"],
    ["localhost", "localhost", "localhost"],
    [" 10.0.0.5 ", "10.0.0.5", "10.0.0.5"],
  ])("%j → bare %j, connect %j", (host, bare, connect) => {
    expect(bareHost(host)).toBe(bare);
    expect(connectHost(host)).toBe(connect);
  });
});

describe("serverUrl", () => {
  it.each([
    ["127.0.0.1", 2718, "", "http://127.0.0.1:2718"],
    ["::1", 2718, "", "http://[::1]:2718"],
    ["fe80::1", 8080, "/app", "http://[fe80::1]:8080/app"],
    ["127.0.0.1", 2718, "/prefix/", "http://127.0.0.1:2718/prefix"],
    ["127.0.0.1", 2718, "prefix", "http://127.0.0.1:2718/prefix"],
    ["localhost", 80, "", "http://localhost"],
    ["example.com", 443, "/nb", "https://example.com/nb"],
    ["127.0.0.1", 2718, "/a b", "http://127.0.0.1:2718/a%20b"],
  ])("%s:%i %j → %s", (host, port, base, expected) => {
    expect(serverUrl(host, port, base)).toBe(expected);
  });

  it.each([["bad host name"], [""], ["a/b"]])("refuses %j", (host) => {
    expect(serverUrl(host, 2718, "")).toBeUndefined();
  });

  it("local candidates map bind-all to loopback", () => {
    expect(localCandidates({ host: "0.0.0.0", port: 2718, baseUrl: "" })).toEqual(["http://127.0.0.1:2718"]);
    expect(localCandidates({ host: "::", port: 2718, baseUrl: "/x" })).toEqual(["http://[::1]:2718/x"]);
    expect(localCandidates({ host: "[::1]", port: 9, baseUrl: "" })).toEqual(["http://[::1]:9"]);
    expect(localCandidates({ host: "not a host", port: 9, baseUrl: "" })).toEqual([]);
  });
});

describe("windowsHostCandidates", () => {
  const none = new Set<number>();

  it("tries a specific address, then the gateway, then 127.0.0.1", () => {
    expect(windowsHostCandidates({ host: "192.168.1.20", port: 2718, baseUrl: "" }, "172.20.0.1", none)).toEqual({
      urls: ["http://192.168.1.20:2718", "http://172.20.0.1:2718", "http://127.0.0.1:2718"],
      loopbackSkipped: false,
    });
  });

  it("a bind-all or loopback host is not tried as such", () => {
    for (const host of ["0.0.0.0", "::", "127.0.0.1", "localhost", "[::1]"]) {
      expect(windowsHostCandidates({ host, port: 2718, baseUrl: "/b" }, "172.20.0.1", none).urls).toEqual([
        "http://172.20.0.1:2718/b",
        "http://127.0.0.1:2718/b",
      ]);
    }
  });

  it("without a gateway only 127.0.0.1 is left", () => {
    expect(windowsHostCandidates({ host: "0.0.0.0", port: 2718, baseUrl: "" }, undefined, none).urls).toEqual([
      "http://127.0.0.1:2718",
    ]);
  });

  it("skips 127.0.0.1 when a local server uses the same port", () => {
    const result = windowsHostCandidates({ host: "0.0.0.0", port: 2718, baseUrl: "" }, "172.20.0.1", new Set([2718]));
    expect(result).toEqual({ urls: ["http://172.20.0.1:2718"], loopbackSkipped: true });
  });

  it("brackets a specific IPv6 address and drops its zone", () => {
    expect(windowsHostCandidates({ host: "fe80::5%12", port: 2718, baseUrl: "" }, undefined, none).urls).toEqual([
      "http://[fe80::5]:2718",
      "http://127.0.0.1:2718",
    ]);
  });
});
