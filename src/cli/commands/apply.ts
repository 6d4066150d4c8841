/**
 * `marimo-pair apply`: read a JSON list of code-mode operations, validate it, build the
 * plan through the builder, apply it as one batch and print the result as JSON.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { InvalidPlanError, BatchFailedError } from "../../codemode/errors.js";
import { appliedDocument, refusedDocument } from "../../codemode/result-json.js";
import { flag, stringOption, UsageError } from "../argv.js";
import { ExitCode } from "../exit-codes.js";
import type { FailureContext } from "../guidance.js";
import type { CliIo } from "../io.js";
import { planFromOperations } from "../../codemode/json-operations.js";
import { OperationListJsonSchema, type OperationListJson } from "../../schemas/operations.js";
import { formatIssues } from "../../schemas/issues.js";
import { reportFailure } from "../report.js";
import type { ParsedArgs } from "../spec.js";
import { readTargetOptions } from "../target-options.js";
import { resolveNotebook } from "../target.js";

/** Where the operations come from, for messages. */
function sourceName(positional: string | undefined): string {
  return positional === undefined || positional === "-" ? "stdin" : `'${positional}'`;
}

async function readOperationsText(positional: string | undefined, io: CliIo): Promise<string> {
  if (positional !== undefined && positional !== "-") {
    try {
      return await readFile(positional, "utf8");
    } catch (error) {
      throw new UsageError(`cannot read '${positional}' (${(error as NodeJS.ErrnoException).code ?? String(error)})`, "apply");
    }
  }
  if (positional === undefined && io.stdinIsTTY) {
    throw new UsageError("no operations given: pass OPS.json, or - (or pipe the JSON on stdin)", "apply");
  }
  return io.readStdin();
}

/**
 * Parse and validate the operations document.
 *
 * @throws {UsageError} for invalid JSON or operations that do not match the schema, listing each problem.
 */
export function parseOperations(text: string, source: string): OperationListJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${source} is not valid JSON (${error instanceof Error ? error.message : String(error)})`, "apply");
  }
  const parsed = OperationListJsonSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new UsageError(
    `${source} does not hold a valid list of operations:\n${formatIssues(parsed.error.issues, "(document)")}`,
    "apply",
  );
}

/** Run `marimo-pair apply`. */
export async function runApply(args: ParsedArgs, io: CliIo): Promise<number> {
  const context: FailureContext = {};
  try {
    const target = readTargetOptions(args, "apply");
    context.file = target.file;
    context.session = target.session;
    const positional = args.positionals[0];
    const operations = parseOperations(await readOperationsText(positional, io), sourceName(positional));
    const plan = planFromOperations(operations, {
      skipValidation: flag(args, "skip-validation"),
      skipStalenessCheck: flag(args, "skip-staleness-check"),
    });
    if (flag(args, "python")) {
      const version = stringOption(args, "marimo-version");
      await io.stdout.write(plan.toPython(version === undefined ? {} : { marimoVersion: version }));
      return ExitCode.Ok;
    }
    const { notebook } = await resolveNotebook(target, io, "apply", context);
    const result = await notebook.apply(plan);
    await io.stdout.write(`${JSON.stringify(appliedDocument(result, plan.value), null, 2)}\n`);
    if (!result.success) {
      await io.stderr.write(
        `marimo-pair: the operations were applied, but ${result.failed.length === 0 ? "a cell" : result.failed.map((c) => `cell '${c.id}'`).join(", ")} raised while running (see "failed" and "stderr").\n`,
      );
      return ExitCode.Failure;
    }
    return ExitCode.Ok;
  } catch (error) {
    if (error instanceof InvalidPlanError) return reportFailure(io, new UsageError(error.message, "apply"), context);
    if (error instanceof BatchFailedError) {
      const document = refusedDocument(error, "cli");
      await io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
      await io.stderr.write(`marimo-pair: ${document.error.message}\n`);
      return ExitCode.Failure;
    }
    return reportFailure(io, error, context);
  }
}
