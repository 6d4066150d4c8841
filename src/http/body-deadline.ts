/**
 * The allowance for reading a small response body (a JSON listing, an error page): the same
 * time the client allows for headers, counted again from when the body is read. Both HTTP
 * seams (ky over fetch, and the CLI's `node:http`) read bodies through {@link readWithin}.
 *
 * @module
 */
import { type RequestTarget, TimeoutError } from "../errors.js";
import { errorFromFailure } from "./errors.js";

/**
 * A reader that runs `read` under the body allowance: when `timeoutMs` passes first,
 * `deadline` is aborted (which cancels the request) and the read rejects with a headers
 * {@link TimeoutError}; other failures become the SDK's typed errors. The caller's own abort
 * rejects with the caller's reason.
 */
export function readWithin(
  deadline: AbortController,
  timeoutMs: number | false,
  where: RequestTarget,
  callerSignal: AbortSignal | undefined,
): <T>(read: () => Promise<T>) => Promise<T> {
  return async <T>(read: () => Promise<T>): Promise<T> => {
    const timer =
      timeoutMs === false
        ? undefined
        : setTimeout(() => deadline.abort(new TimeoutError("headers", timeoutMs, where, "The response body did not complete.")), timeoutMs);
    try {
      return await read();
    } catch (error) {
      if (deadline.signal.aborted && callerSignal?.aborted !== true) throw deadline.signal.reason;
      throw errorFromFailure(error, where, 0, callerSignal);
    } finally {
      clearTimeout(timer);
    }
  };
}
