/**
 * The token from the environment, read without importing `node:` modules.
 *
 * @module
 */

/** `MARIMO_TOKEN`, or undefined when it is unset or empty. */
export function envToken(): string | undefined {
  const value = globalThis.process?.env?.["MARIMO_TOKEN"];
  return value === undefined || value === "" ? undefined : value;
}
