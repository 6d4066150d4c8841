import { describe, expect, it } from "vitest";
import { parseCommandArgs } from "../../../src/cli/argv.js";
import { EXEC_SPEC } from "../../../src/cli/specs/exec.js";
import { connectToUrl } from "../../../src/cli/target.js";
import { hostKind } from "../../../src/session/host-policy.js";
import { readTargetOptions, selectorOf, tokenOf } from "../../../src/cli/target-options.js";
import { memoryIo } from "./memory-io.js";

const parse = (argv: string[]) => readTargetOptions(parseCommandArgs(EXEC_SPEC, argv), "exec");

describe("target options", () => {
  it("makes --file and --session exclude each other", () => {
    expect(() => parse(["--file", "a.py", "--session", "s_1"])).toThrow(/--file and --session exclude each other/);
  });

  it("refuses empty values", () => {
    expect(() => parse(["--url", ""])).toThrow(/--url needs a non-empty value/);
  });

  it("builds the session selector", () => {
    expect(selectorOf(parse(["--file", "a.py"]))).toEqual({ file: "a.py" });
    expect(selectorOf(parse(["--session", "s_1"]))).toEqual({ sessionId: "s_1" });
    expect(selectorOf(parse([]))).toEqual({});
  });

  it("takes --token over MARIMO_TOKEN, and treats empty as none", () => {
    expect(tokenOf({ token: "flag" }, { MARIMO_TOKEN: "env" })).toBe("flag");
    expect(tokenOf({ token: undefined }, { MARIMO_TOKEN: "env" })).toBe("env");
    expect(tokenOf({ token: undefined }, { MARIMO_TOKEN: "" })).toBeUndefined();
    expect(tokenOf({ token: "" }, {})).toBeUndefined();
  });
});

describe("the host policy (session/host-policy.ts)", () => {
  it("counts loopback and bind-all addresses as this machine", () => {
    for (const host of ["localhost", "127.0.0.1", "127.1.2.3", "::1", "[::1]", "0.0.0.0", "::", "LOCALHOST"]) {
      expect(hostKind(host), host).toBe("local");
    }
  });

  it("counts other hosts as remote, except the Windows host under WSL", () => {
    for (const host of ["example.com", "10.0.0.5", "192.168.1.10", "[fe80::1]"]) expect(hostKind(host), host).toBe("remote");
    expect(hostKind("172.20.0.1", "172.20.0.1")).toBe("windows_host");
  });
});

describe("connectToUrl", () => {
  const options = { url: undefined, token: undefined, file: undefined, session: undefined };

  it("warns on stderr for a remote host and still connects", async () => {
    const io = memoryIo({ env: { MARIMO_TOKEN: "s3cret-token" } });
    const client = await connectToUrl("http://example.com:2718", options, io, "exec");
    expect(client.url).toBe("http://example.com:2718");
    expect(io.err()).toMatch(/warning: 'example.com' is not this machine; your code and token will be sent there/);
    expect(io.err()).not.toContain("s3cret-token");
  });

  it("is silent for local hosts", async () => {
    const io = memoryIo();
    await connectToUrl("http://127.0.0.1:2718/prefix/", options, io, "exec");
    await connectToUrl("http://0.0.0.0:2718", options, io, "exec");
    expect(io.err()).toBe("");
  });

  it("turns a malformed URL into a usage error", async () => {
    await expect(connectToUrl("127.0.0.1:2718", options, memoryIo(), "exec")).rejects.toThrow(/not an absolute URL/);
    await expect(connectToUrl("ftp://127.0.0.1/", options, memoryIo(), "exec")).rejects.toThrow(/--url: Unsupported URL scheme/);
  });
});
