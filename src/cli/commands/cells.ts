/**
 * `marimo-pair cells` (placeholder).
 *
 * @module
 */
import type { CliIo } from "../io.js";
import type { ParsedArgs } from "../spec.js";

/** Run `marimo-pair cells`. */
export async function runCells(_args: ParsedArgs, io: CliIo): Promise<number> {
  await io.stderr.write("marimo-pair: cells is not available yet\n");
  return 1;
}
