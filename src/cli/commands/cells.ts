/**
 * `marimo-pair cells`: a live notebook's cells, read from the kernel, as a table or JSON.
 *
 * @module
 */
import type { CellSnapshot } from "../../codemode/reads.js";
import { flag } from "../argv.js";
import { ExitCode } from "../exit-codes.js";
import type { FailureContext } from "../guidance.js";
import type { CliIo } from "../io.js";
import { reportFailure } from "../report.js";
import type { ParsedArgs } from "../spec.js";
import { formatTable } from "../table.js";
import { readTargetOptions } from "../target-options.js";
import { resolveNotebook } from "../target.js";

const CODE_WIDTH = 60;

function shorten(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/** The table for people: id, name, status, errors, first line of code. */
export function cellsTable(cells: readonly CellSnapshot[]): string {
  return formatTable(
    ["ID", "NAME", "STATUS", "ERRORS", "CODE"],
    cells.map((c) => {
      const firstLine = (c.code ?? "").split("\n").find((line) => line.trim() !== "") ?? "";
      const errors = c.errors.length === 0 ? "" : shorten(c.errors.map((e) => e.message).join("; "), 40);
      return [c.id, c.name ?? "", c.status ?? "", errors, shorten(firstLine, CODE_WIDTH)];
    }),
  );
}

/** Run `marimo-pair cells`. */
export async function runCells(args: ParsedArgs, io: CliIo): Promise<number> {
  const context: FailureContext = {};
  try {
    const target = readTargetOptions(args, "cells");
    context.file = target.file;
    context.session = target.session;
    const { notebook } = await resolveNotebook(target, io, "cells", context);
    const json = flag(args, "json");
    // Reading the code also counts, for marimo, as having read the cells before editing them.
    const cells = await notebook.cells({ code: true, outputs: json });
    if (json) await io.stdout.write(`${JSON.stringify(cells, null, 2)}\n`);
    else if (cells.length === 0) await io.stderr.write("marimo-pair: the notebook has no cells.\n");
    else await io.stdout.write(cellsTable(cells));
    return ExitCode.Ok;
  } catch (error) {
    return reportFailure(io, error, context);
  }
}
