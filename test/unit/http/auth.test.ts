import { describe, expect, it } from "vitest";
import { authorizationHeader } from "../../../src/http/auth.js";

/** What marimo does with the header: split the scheme, base64-decode, UTF-8, split at the first colon. */
function asMarimoReadsIt(header: string): { scheme: string; user: string; password: string } {
  const [scheme = "", credentials = ""] = header.split(" ");
  const decoded = new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(atob(credentials), (c) => c.charCodeAt(0)));
  const colon = decoded.indexOf(":");
  return { scheme, user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

describe("authorizationHeader", () => {
  it("carries the token as the password of a Basic header, with a non-empty user name", () => {
    expect(authorizationHeader("t0k")).toBe(`Basic ${btoa("marimo-pair:t0k")}`);
    expect(asMarimoReadsIt(authorizationHeader("t0k"))).toEqual({ scheme: "Basic", user: "marimo-pair", password: "t0k" });
  });

  it("keeps every token intact: colons, spaces, non-Latin-1 characters", () => {
    for (const token of ["a:b:c", " spaced out ", "tök€n-🔑", "x".repeat(500)]) {
      expect(asMarimoReadsIt(authorizationHeader(token)).password).toBe(token);
    }
  });
});
