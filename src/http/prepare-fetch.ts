/**
 * A fetch can carry a function that makes it ready (the Node entry's fetch loads undici on
 * first use). The HTTP layer awaits it before a request's headers timer starts, so loading a
 * module is never counted against the server's time to answer. No imports: the
 * `marimo-pair/client` entry uses this module.
 *
 * @module
 */

/** @internal The key under which a fetch carries its prepare function. */
export const PREPARE: unique symbol = Symbol("marimo-pair.prepareFetch");

/** @internal Await `fetchImpl`'s {@link PREPARE} function, if it has one. */
export async function prepareFetch(fetchImpl: typeof fetch | undefined): Promise<void> {
  const prepare = (fetchImpl as { [PREPARE]?: () => Promise<unknown> } | undefined)?.[PREPARE];
  if (prepare !== undefined) await prepare();
}
