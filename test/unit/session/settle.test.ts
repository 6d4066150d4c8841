/**
 * The wait for an interrupted run to end before the next execution: it polls the kernel
 * state, gives up after its limit, never rejects, and the next call's signal still wins.
 */
import { describe, expect, it } from "vitest";
import { settledOrAborted, waitUntilNotRunning } from "../../../src/session/settle.js";
import type { KernelState } from "../../../src/session/types.js";

describe("waitUntilNotRunning", () => {
  it("polls until the kernel is no longer running, and says what it saw", async () => {
    const states: KernelState[] = ["running", "running", "stopped", "running"];
    let probes = 0;
    expect(await waitUntilNotRunning(async () => states[probes++] ?? "idle")).toBe("stopped");
    expect(probes).toBe(3);
  });

  it("gives up at its limit while the kernel keeps running, and aborts the pending probe", async () => {
    let last: AbortSignal | undefined;
    const started = performance.now();
    const state = await waitUntilNotRunning((signal) => {
      last = signal;
      return Promise.resolve("running");
    }, 150);
    expect(state).toBe("running");
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(last?.aborted).toBe(true);
  });

  it("ends quietly when a probe fails (an old marimo, a server gone)", async () => {
    let probes = 0;
    await expect(
      waitUntilNotRunning(() => {
        probes++;
        return Promise.reject(new Error("404"));
      }),
    ).resolves.toBeUndefined();
    // A failure after an answer reports the last answer.
    let calls = 0;
    const last = await waitUntilNotRunning(() => (calls++ === 0 ? Promise.resolve("running") : Promise.reject(new Error("gone"))));
    expect(last).toBe("running");
    expect(probes).toBe(1);
  });
});

describe("settledOrAborted", () => {
  it("resolves with the wait", async () => {
    await expect(settledOrAborted(Promise.resolve(), new AbortController().signal)).resolves.toBeUndefined();
  });

  it("rejects with the signal's reason when it aborts first, or had already", async () => {
    const controller = new AbortController();
    const pending = settledOrAborted(new Promise<void>(() => undefined), controller.signal);
    const reason = new Error("caller gave up");
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await expect(settledOrAborted(Promise.resolve(), controller.signal)).rejects.toBe(reason);
  });
});
