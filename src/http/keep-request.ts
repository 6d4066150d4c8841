/**
 * A fetch wrapper that keeps each Request alive as long as its Response (see below).
 * Used by every ky instance of the SDK.
 *
 * @module
 */

/**
 * Each response → the Request ky built for it. Node's fetch makes a Request's signal follow
 * the caller's signal through a weak reference only, so once ky lets go of its Request a
 * garbage collection cuts the link: a later abort (a timeout, `abort()`, the caller's
 * signal) then no longer closes the connection, and a read waits forever. Tying the
 * Request to its Response keeps the link for as long as the response is in use.
 */
const requestOf = new WeakMap<Response, Request>();

/** Wrap a fetch so that every response keeps its Request alive (see the note on `requestOf` above). */
export function keepingRequests(fetchImpl: typeof fetch | undefined): typeof fetch {
  return async (input, init) => {
    const response = await (fetchImpl ?? globalThis.fetch)(input, init);
    if (input instanceof Request) requestOf.set(response, input);
    return response;
  };
}
