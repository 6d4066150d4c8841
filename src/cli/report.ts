/**
 * Printing a failure: the guidance for the terminal, prefixed with the program name.
 *
 * @module
 */
import { UsageError } from "./argv.js";
import { describeFailure, type FailureContext } from "./guidance.js";
import type { CliIo } from "./io.js";
import { reportUsage } from "./usage.js";

/** Print what went wrong and what to do on stderr; return the exit status. */
export async function reportFailure(io: CliIo, error: unknown, context: FailureContext = {}): Promise<number> {
  if (error instanceof UsageError) return reportUsage(io, error);
  const failure = describeFailure(error, context);
  await io.stderr.write(`marimo-pair: ${failure.message}\n`);
  return failure.exitCode;
}
