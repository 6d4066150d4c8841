/**
 * A fetch wrapper that keeps each Request alive as long as its Response or its body is in
 * use (see below). Used by every ky instance of the SDK.
 *
 * @module
 */

/**
 * Each response, and each response body → the Request ky built for it. Node's fetch makes a
 * Request's signal follow the caller's signal through a weak reference only, so once ky lets
 * go of its Request a garbage collection cuts the link: a later abort (a timeout, `abort()`,
 * `close()`, the caller's signal) then no longer closes the connection, and a read waits
 * forever.
 *
 * Keying on the Response alone is not enough for streams that are read for a long time (an
 * owned session's `/sse`, `events()`): their readers hold only the body, and once V8 has
 * optimized the reading loop it no longer keeps the dead `response` local of a suspended
 * async function, so the Response (and with it the Request) can be collected mid-stream.
 * The body's reader holds the body, so keying on the body keeps the link while anyone reads.
 */
const requestOf = new WeakMap<object, Request>();

/** Wrap a fetch so that every response keeps its Request alive (see the note on `requestOf` above). */
export function keepingRequests(fetchImpl: typeof fetch | undefined): typeof fetch {
  return async (input, init) => {
    const response = await (fetchImpl ?? globalThis.fetch)(input, init);
    if (input instanceof Request) {
      requestOf.set(response, input);
      if (response.body !== null) requestOf.set(response.body, input);
    }
    return response;
  };
}
