/**
 * `marimo-pair apply` (placeholder).
 *
 * @module
 */
import type { CliIo } from "../io.js";
import type { ParsedArgs } from "../spec.js";

/** Run `marimo-pair apply`. */
export async function runApply(_args: ParsedArgs, io: CliIo): Promise<number> {
  await io.stderr.write("marimo-pair: apply is not available yet\n");
  return 1;
}
