/**
 * Text renderings of notebook facts for agents: cells, statuses, outputs. Every output
 * passes through a budget.
 *
 * @module
 */
import type { CellRunState } from "../codemode/apply.js";
import type { CellOutput, CellSnapshot } from "../codemode/reads.js";
import { outputImage, outputText } from "../outputs/decode.js";
import { type BudgetedText, budgetText, type OutputBudget } from "./budget.js";

/** A smaller budget for the many outputs of a cell listing. */
export const CELL_PREVIEW_BUDGET: Readonly<OutputBudget> = Object.freeze({ headChars: 1200, tailChars: 600, headLines: 30, tailLines: 15 });

/** One line for a cell: id, name, status, errors. */
export function cellLine(cell: { id: string; name: string | null; status: string | null; errors: readonly { message: string }[] }): string {
  const name = cell.name === null ? "" : ` (${cell.name})`;
  const errors = cell.errors.length === 0 ? "" : ` — ${cell.errors.map((e) => e.message).join("; ")}`;
  return `cell ${cell.id}${name}: ${cell.status ?? "not run"}${errors}`;
}

/** Lines for cell states after a batch. */
export function statesText(cells: readonly CellRunState[]): string {
  return cells.length === 0 ? "" : `${cells.map((c) => `  ${cellLine(c)}`).join("\n")}\n`;
}

/** The text of a cell output (budgeted), and whether it holds an image. */
export function outputPreview(output: CellOutput | null | undefined, budget: OutputBudget): { text: BudgetedText; image: boolean } {
  if (output === null || output === undefined) return { text: { text: "", cut: null }, image: false };
  return { text: budgetText(outputText(output), "the output", budget), image: outputImage(output) !== undefined };
}

/** A cell's console output by channel (stdout, stderr), budgeted. */
export function consolePreview(console: readonly CellOutput[] | undefined, budget: OutputBudget): { stdout: BudgetedText; stderr: BudgetedText } {
  const join = (channel: string) =>
    (console ?? [])
      .filter((o) => o.channel === channel)
      .map((o) => (typeof o.data === "string" ? o.data : JSON.stringify(o.data)))
      .join("");
  const text = (channel: string) => budgetText(outputText({ mimetype: "text/plain", data: join(channel) }), channel, budget);
  return { stdout: text("stdout"), stderr: text("stderr") };
}

function indent(text: string): string {
  return text
    .replace(/\n$/, "")
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
}

/** A cell as an agent reads it: header, code, output and console. */
export function cellText(cell: CellSnapshot, budget: OutputBudget): string {
  const parts = [`## ${cellLine(cell)}${cell.config.disabled ? " [disabled]" : ""}`];
  if (cell.code !== undefined) parts.push("```python", cell.code, "```");
  const output = outputPreview(cell.output, budget);
  if (output.text.text !== "") parts.push(`output (${cell.output?.mimetype ?? ""}):`, indent(output.text.text));
  if (output.image) parts.push("output holds an image: get_cell_output returns it.");
  const console = consolePreview(cell.console, budget);
  if (console.stdout.text !== "") parts.push("stdout:", indent(console.stdout.text));
  if (console.stderr.text !== "") parts.push("stderr:", indent(console.stderr.text));
  return parts.join("\n");
}

/** A cell's snapshot for structured results, with its output and console shortened. */
export function cellData(cell: CellSnapshot, budget: OutputBudget): Record<string, unknown> {
  const output = outputPreview(cell.output, budget);
  const console = consolePreview(cell.console, budget);
  return {
    id: cell.id,
    name: cell.name,
    ...(cell.code === undefined ? {} : { code: cell.code }),
    config: cell.config,
    status: cell.status,
    errors: cell.errors,
    output: cell.output === undefined || cell.output === null ? null : { mimetype: cell.output.mimetype, text: output.text.text, image: output.image },
    stdout: console.stdout.text,
    stderr: console.stderr.text,
  };
}
