/**
 * Printing a {@link UsageError}: what was wrong, and where the help is.
 *
 * @module
 */
import type { UsageError } from "./argv.js";
import { ExitCode } from "./exit-codes.js";
import type { CliIo } from "./io.js";

/** Print a usage error on stderr; return the usage exit status. */
export async function reportUsage(io: CliIo, error: UsageError): Promise<number> {
  const where = error.command === undefined ? "marimo-pair" : `marimo-pair ${error.command}`;
  await io.stderr.write(`${where}: ${error.message}\nRun '${where} --help' for usage.\n`);
  return ExitCode.Usage;
}
