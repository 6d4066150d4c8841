import { describe, expect, it } from "vitest";
import { SessionNotFoundError } from "../../../src/errors.js";
import { retryAfterReload } from "../../../src/session/reload-retry.js";

const notFound = (id: string) =>
  new SessionNotFoundError({ request: { method: "POST", url: "http://127.0.0.1:2718/api/kernel/execute" }, status: 404, detail: "" }, id);

function recorder(fail: ReadonlySet<string>) {
  const sent: string[] = [];
  return {
    sent,
    send: async (id: string) => {
      sent.push(id);
      if (fail.has(id)) throw notFound(id);
      return `ran on ${id}`;
    },
  };
}

describe("retryAfterReload", () => {
  it("sends once when the id is known", async () => {
    const r = recorder(new Set());
    let refreshed = 0;
    const out = await retryAfterReload("s_1", r.send, { refresh: async () => `s_${++refreshed}`, sameSession: (a, b) => a === b });
    expect(out).toBe("ran on s_1");
    expect(r.sent).toEqual(["s_1"]);
    expect(refreshed).toBe(0);
  });

  it("after a re-key, sends once more to the session found again", async () => {
    const r = recorder(new Set(["s_1"]));
    const out = await retryAfterReload("s_1", r.send, { refresh: async () => "s_2", sameSession: (a, b) => a === b });
    expect(out).toBe("ran on s_2");
    expect(r.sent).toEqual(["s_1", "s_2"]);
  });

  it("keeps the first error when the same id is found again, when disabled, or for other errors", async () => {
    const same = recorder(new Set(["s_1"]));
    const first = await retryAfterReload("s_1", same.send, { refresh: async () => "s_1", sameSession: (a, b) => a === b }).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(SessionNotFoundError);
    expect(same.sent).toEqual(["s_1"]);

    const off = recorder(new Set(["s_1"]));
    let refreshed = false;
    const disabled = retryAfterReload("s_1", off.send, {
      refresh: async () => {
        refreshed = true;
        return "s_2";
      },
      sameSession: (a, b) => a === b,
      enabled: false,
    });
    await expect(disabled).rejects.toBeInstanceOf(SessionNotFoundError);
    expect(refreshed).toBe(false);

    const other = retryAfterReload("s_1", async () => Promise.reject(new TypeError("x")), { refresh: async () => "s_2", sameSession: () => false });
    await expect(other).rejects.toBeInstanceOf(TypeError);
  });

  it("retries only once, and the refresh's own failure is what the caller sees", async () => {
    const twice = recorder(new Set(["s_1", "s_2"]));
    const error = await retryAfterReload("s_1", twice.send, { refresh: async () => "s_2", sameSession: (a, b) => a === b }).catch((e: unknown) => e);
    expect(error).toMatchObject({ sessionId: "s_2" });
    expect(twice.sent).toEqual(["s_1", "s_2"]);
    const gone = new Error("no session");
    await expect(retryAfterReload("s_1", recorder(new Set(["s_1"])).send, { refresh: () => Promise.reject(gone), sameSession: () => false })).rejects.toBe(gone);
  });
});
