/**
 * {@link HttpResponse}: what the SDK reads of an HTTP response, whichever transport sent it.
 *
 * @module
 */

/**
 * The members of a fetch `Response` the SDK reads. A fetch `Response` has them; so do the
 * responses of the `node:http` transport the CLI uses (`createNodeHttp`).
 */
export interface HttpResponse {
  /** True for a 2xx status. */
  readonly ok: boolean;
  /** The HTTP status code. */
  readonly status: number;
  /** Header lookup (case-insensitive), and each `Set-Cookie` line. */
  readonly headers: { get(name: string): string | null; getSetCookie(): string[] };
  /** The body, read at most once. */
  readonly body: ReadableStream<Uint8Array<ArrayBuffer>> | null;
  /**
   * The body as chunks without web streams, where the transport can (the CLI's `node:http`
   * one); read either this or `body`. Leaving the loop early closes the connection.
   */
  chunks?(): AsyncIterable<Uint8Array>;
  /** The whole body as UTF-8 text. */
  text(): Promise<string>;
  /** The whole body as bytes. */
  arrayBuffer(): Promise<ArrayBuffer>;
}
