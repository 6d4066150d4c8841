/**
 * After an execution is cut short (abort, timeout, `break`), marimo interrupts the kernel,
 * but the interrupted run still flushes its last buffered stdout/stderr. marimo's execute
 * stream carries no run id, so output flushed after the next request attached would be
 * reported as that request's own. The kernel flushes the console before it marks the run
 * idle, so waiting for "not running" before the next request keeps results apart.
 *
 * @module
 */
import { sleep } from "../sleep.js";
import type { KernelState } from "./types.js";

/**
 * How long the wait for an interrupted run to end may take before the next call goes anyway.
 * Longer than the 5 s marimo 0.23.14–0.25.0 can hold an interrupted run (its second interrupt
 * landing in marimo's console flush, which gives up after 5 s; see `singleInterrupt` in
 * src/version.ts): a limit of 5 s raced the end of that run and its last output.
 */
export const SETTLE_LIMIT_MS = 8000;
/** Pause between two kernel-status probes. */
const SETTLE_POLL_MS = 20;

/**
 * Poll `status` until the kernel is no longer running, for at most `limitMs` (or until `stop`
 * aborts: a closed session or client waits no longer). Never rejects:
 * a failing probe (an old marimo without the status endpoint, a server gone) ends the wait,
 * and the next call reports whatever is wrong itself.
 *
 * @returns the last state seen (`running` when the limit came first), or undefined when no
 *   probe answered.
 */
export async function waitUntilNotRunning(
  status: (signal: AbortSignal) => Promise<KernelState>,
  limitMs: number = SETTLE_LIMIT_MS,
  stop?: AbortSignal,
): Promise<KernelState | undefined> {
  const timeout = AbortSignal.timeout(limitMs);
  const limit = stop === undefined ? timeout : AbortSignal.any([timeout, stop]);
  let state: KernelState | undefined;
  try {
    while (!limit.aborted) {
      state = await status(limit);
      if (state !== "running") return state;
      await sleep(SETTLE_POLL_MS, limit);
    }
  } catch {
    // Best effort, see above.
  }
  return state;
}

/** Wait for `settling`, unless `signal` aborts first (then reject with its reason). */
export function settledOrAborted(settling: Promise<unknown>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener("abort", onAbort, { once: true });
    void settling.then(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    });
  });
}
