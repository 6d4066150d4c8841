/**
 * `marimo-pair discover` (placeholder).
 *
 * @module
 */
import type { CliIo } from "../io.js";
import type { ParsedArgs } from "../spec.js";

/** Run `marimo-pair discover`. */
export async function runDiscover(_args: ParsedArgs, io: CliIo): Promise<number> {
  await io.stderr.write("marimo-pair: discover is not available yet\n");
  return 1;
}
