/**
 * The tools that read a notebook: cells, errors, variables, the dependency graph, and one
 * cell's output (images as image content).
 *
 * @module
 */
import type { z } from "zod";
import type { CellSnapshot } from "../../codemode/reads.js";
import { budgetText } from "../budget.js";
import { defineTool, failed, ok } from "../define.js";
import { type ToolEnv, imageContent } from "../env.js";
import { CellOutputInput, NotebookInput, ReadCellsInput } from "../inputs.js";
import { cellData, cellLine, cellText, CELL_PREVIEW_BUDGET, consolePreview, outputPreview } from "../render.js";
import type { ToolAnnotations, ToolDefinition, ToolImageContent } from "../types.js";

const READ: ToolAnnotations = { title: "", readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

const ERROR_STATUSES: ReadonlySet<string> = new Set(["exception", "marimo-error", "interrupted", "cancelled"]);

type CellInput = z.output<typeof CellOutputInput>["cell"];

function matches(cell: CellSnapshot, target: CellInput): boolean {
  if (typeof target === "string") return cell.id === target || cell.name === target;
  if ("id" in target) return cell.id === target.id;
  return cell.name === target.name;
}

function describeTarget(target: CellInput): string {
  return typeof target === "string" ? target : "id" in target ? target.id : target.name;
}

/** The `read_cells` tool. */
export function readCellsTool(env: ToolEnv): ToolDefinition {
  return defineTool({
    name: "read_cells",
    description:
      "Read the notebook's cells in order: id, name, status, errors, code, and a shortened output and console. Call it " +
      "before editing: marimo only lets an agent overwrite code it has read, and the person may have changed cells since.",
    input: ReadCellsInput,
    annotations: { ...READ, title: "Read the notebook's cells" },
    async run(input, context) {
      const { url, notebook } = await env.resolver.resolve(input, context.signal);
      const all = await notebook.cells({ signal: context.signal, outputs: input.outputs ?? true });
      const wanted = input.cells;
      const cells = wanted === undefined ? all : all.filter((c) => wanted.some((t) => matches(c, t)));
      const missing = (wanted ?? []).filter((t) => !all.some((c) => matches(c, t))).map(describeTarget);
      const header = `${notebook.info.path ?? "(unsaved notebook)"} on ${url}: ${all.length} cell(s)` +
        (wanted === undefined ? "" : `, ${cells.length} shown`) +
        (missing.length === 0 ? "" : `; not found: ${missing.join(", ")}`);
      const text = [header, ...cells.map((c) => cellText(c, CELL_PREVIEW_BUDGET))].join("\n\n");
      return ok(text, { url, session: notebook.sessionId, file: notebook.info.path, cells: cells.map((c) => cellData(c, CELL_PREVIEW_BUDGET)), missing });
    },
  });
}

/** The `get_errors` tool. */
export function getErrorsTool(env: ToolEnv): ToolDefinition {
  return defineTool({
    name: "get_errors",
    description: "List the cells that are in error (raised, or blocked by a graph error such as a multiply-defined name or a cycle), with their messages and tracebacks.",
    input: NotebookInput,
    annotations: { ...READ, title: "Cells in error" },
    async run(input, context) {
      const { url, notebook } = await env.resolver.resolve(input, context.signal);
      const cells = await notebook.cells({ signal: context.signal, code: false });
      const bad = cells.filter((c) => c.errors.length > 0 || (c.status !== null && ERROR_STATUSES.has(c.status)));
      const entries = bad.map((c) => {
        const traceback = consolePreview(c.console, CELL_PREVIEW_BUDGET).stderr.text;
        return { id: c.id, name: c.name, status: c.status, errors: c.errors, stderr: traceback };
      });
      const text =
        bad.length === 0
          ? `No cell is in error (${cells.length} cell(s)).`
          : [`${bad.length} of ${cells.length} cell(s) in error:`, ...entries.map((e) => `${cellLine(e)}${e.stderr === "" ? "" : `\n${e.stderr.trimEnd()}`}`)].join("\n\n");
      return ok(text, { url, session: notebook.sessionId, file: notebook.info.path, cells: entries });
    },
  });
}

/** The `get_variables` tool. */
export function getVariablesTool(env: ToolEnv): ToolDefinition {
  return defineTool({
    name: "get_variables",
    description: "List the notebook's variables: name, type, a short repr, and the cell that defines each (cell-private _names are left out).",
    input: NotebookInput,
    annotations: { ...READ, title: "Notebook variables" },
    async run(input, context) {
      const { url, notebook } = await env.resolver.resolve(input, context.signal);
      const variables = await notebook.variables({ signal: context.signal });
      const lines = variables.map(
        (v) => `${v.name}: ${v.defined ? (v.type ?? "?") : "(not defined yet)"}${v.repr === undefined ? "" : ` = ${v.repr}`}  [cell ${v.cells.join(", ")}]`,
      );
      const listing = budgetText(lines.join("\n"), "the variable list", env.budget);
      return ok(`${variables.length} variable(s)\n${listing.text}`, { url, session: notebook.sessionId, file: notebook.info.path, variables });
    },
  });
}

/** The `get_graph` tool. */
export function getGraphTool(env: ToolEnv): ToolDefinition {
  return defineTool({
    name: "get_graph",
    description: "The notebook's dependency graph: for each cell the names it defines and reads, and the cells it depends on (parents) and feeds (children); plus multiply-defined names and cycles.",
    input: NotebookInput,
    annotations: { ...READ, title: "Dependency graph" },
    async run(input, context) {
      const { url, notebook } = await env.resolver.resolve(input, context.signal);
      const graph = await notebook.graph({ signal: context.signal });
      const lines = graph.cells.map((c) => {
        const name = c.name === null ? "" : ` (${c.name})`;
        if (!c.registered) return `cell ${c.id}${name}: not run in this kernel yet (no graph facts)`;
        return `cell ${c.id}${name}: defines [${c.defs.join(", ")}]; reads [${c.refs.join(", ")}]; parents [${c.parents.join(", ")}]; children [${c.children.join(", ")}]`;
      });
      if (graph.multiplyDefined.length > 0) lines.push(`multiply defined: ${graph.multiplyDefined.join(", ")}`);
      if (graph.cycles.length > 0) lines.push(`cycles: ${graph.cycles.map((c) => c.map(([a, b]) => `${a}→${b}`).join(" ")).join("; ")}`);
      const listing = budgetText(lines.join("\n"), "the graph", env.budget);
      return ok(listing.text, { url, session: notebook.sessionId, file: notebook.info.path, graph });
    },
  });
}

/** The `get_cell_output` tool. */
export function getCellOutputTool(env: ToolEnv): ToolDefinition {
  return defineTool({
    name: "get_cell_output",
    description:
      "One cell's last output (as text; an image output — a plot, mo.image — is attached as an image) and its console output.",
    input: CellOutputInput,
    annotations: { ...READ, title: "A cell's output" },
    async run(input, context) {
      const { url, notebook } = await env.resolver.resolve(input, context.signal);
      const all = await notebook.cells({ signal: context.signal, code: false });
      const cell = all.find((c) => matches(c, input.cell));
      if (cell === undefined) {
        return failed(`No cell '${describeTarget(input.cell)}' in the notebook. read_cells lists the cells.`, "cell_not_found");
      }
      const output = outputPreview(cell.output, env.budget);
      const console = consolePreview(cell.console, env.budget);
      const images: ToolImageContent[] = [];
      let note: string | undefined;
      if (cell.output !== undefined && cell.output !== null && output.image) {
        const attached = await imageContent(notebook, cell.output, env, context.signal);
        if (attached.image !== undefined) images.push(attached.image);
        note = attached.note;
      }
      const parts = [cellLine(cell)];
      if (cell.output === undefined) parts.push("(this marimo does not report outputs; it needs marimo >= 0.23.7)");
      else if (cell.output === null) parts.push("(no output)");
      else {
        parts.push(`output (${cell.output.mimetype}${images.length > 0 ? `, ${images[0]?.mimeType ?? ""} image attached` : ""}):`);
        if (output.text.text !== "") parts.push(output.text.text);
      }
      if (note !== undefined) parts.push(note);
      if (console.stdout.text !== "") parts.push("--- stdout ---", console.stdout.text.trimEnd());
      if (console.stderr.text !== "") parts.push("--- stderr ---", console.stderr.text.trimEnd());
      return ok(parts.join("\n"), {
        url,
        session: notebook.sessionId,
        file: notebook.info.path,
        cell: { id: cell.id, name: cell.name, status: cell.status, errors: cell.errors },
        output: cell.output === undefined || cell.output === null ? null : { mimetype: cell.output.mimetype, text: output.text.text, image: images[0]?.mimeType ?? null },
        stdout: console.stdout.text,
        stderr: console.stderr.text,
      }, images);
    },
  });
}
