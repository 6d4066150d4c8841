/**
 * Random ids for the SDK's own connections to marimo (`/sse` session and watcher ids).
 *
 * @module
 */

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

/** A random id like `s_k3x9q2`: `prefix`, an underscore, then `length` characters of `[0-9a-z]`. */
export function randomConnectionId(prefix: string, length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return `${prefix}_${Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join("")}`;
}
