/**
 * The time limit and cancellation of one screenshot call, applied to each step.
 *
 * @module
 */
import { ErrorCode } from "../errors.js";
import { ScreenshotError } from "./screenshot-errors.js";

/** When a screenshot call must be done, and the caller's signal. */
export interface Deadline {
  /** Epoch ms. */
  at: number;
  /** The call's whole limit, for messages. */
  timeoutMs: number;
  signal: AbortSignal | undefined;
}

/** @internal ms left before the deadline (at least 1, so playwright never reads 0 as "no limit"). */
export function remaining(deadline: Deadline): number {
  return Math.max(1, deadline.at - Date.now());
}

/** @internal Race a step against the caller's signal and the deadline. */
export function abortable<T>(work: Promise<T>, deadline: Deadline): Promise<T> {
  const signal = deadline.signal;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ScreenshotError(ErrorCode.ScreenshotFailed, `The screenshot took longer than its timeoutMs (${deadline.timeoutMs} ms).`)),
      remaining(deadline),
    );
    if (signal !== undefined) {
      onAbort = () => reject(signal.reason);
      if (signal.aborted) onAbort();
      else signal.addEventListener("abort", onAbort, { once: true });
    }
  });
  return Promise.race([work, stop]).finally(() => {
    clearTimeout(timer);
    if (onAbort !== undefined) signal?.removeEventListener("abort", onAbort);
  });
}

