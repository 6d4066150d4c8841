/**
 * `screenshot_cell`: a PNG of one cell's rendered output (a chart once it has drawn, a table,
 * a widget, an error), as image content scaled down to a pixel budget.
 *
 * @module
 */
import { z } from "zod";
import { ErrorCode } from "../../errors.js";
import { ScreenshotError } from "../../outputs/screenshot-errors.js";
import type { Screenshot } from "../../outputs/screenshot-types.js";
import { encodeBase64 } from "../base64.js";
import { defineTool, failed, ok } from "../define.js";
import type { ToolEnv } from "../env.js";
import { CellInputSchema } from "../inputs.js";
import { NotebookTargetSchema } from "../target.js";
import type { ToolDefinition } from "../types.js";

/** `screenshot_cell`. */
export const ScreenshotCellInput = NotebookTargetSchema.extend({
  cell: CellInputSchema,
  full_output: z.boolean().optional().describe("Capture the whole output, also what a person would scroll to inside it (default false)."),
});


/** The message of a screenshot failure, in the tools' terms. */
function inToolTerms(error: ScreenshotError): string {
  if (error.code === ErrorCode.BrowserNotFound && !error.message.startsWith("No browser at")) {
    return `${error.message.replace(/,? or point MARIMO_PAIR_CHROMIUM \(or the executablePath option\)/, "; or set MARIMO_PAIR_CHROMIUM in this tool server's environment")}`;
  }
  if (error.code === ErrorCode.CellNotFound) return `${error.message} read_cells lists the cells.`;
  if (error.code === ErrorCode.NoOutput) return `${error.message} (run_cell runs it; get_cell_output shows its console.)`;
  return error.message;
}

/** The `screenshot_cell` tool. */
export function screenshotCellTool(env: ToolEnv): ToolDefinition {
  return defineTool({
    name: "screenshot_cell",
    description:
      "See one cell's rendered output as the person sees it: a chart (Altair, Plotly, matplotlib) once it has drawn, a table, a " +
      "widget, or the error it raised, as a PNG image. Read-only: nothing runs and the person's browser is not disturbed. Needs a " +
      "local Chromium or Chrome. Large outputs are scaled down.",
    input: ScreenshotCellInput,
    annotations: { title: "Screenshot a cell's output", readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async run(input, context) {
      const { url, notebook: resolved } = await env.resolver.resolve(input, context.signal);
      const notebook = env.screenshots.keep(url, resolved);
      const target = input.cell;
      let maxPixels = env.maxImagePixels;
      let shot: Screenshot | undefined;
      try {
        context.progress("opening the notebook in a headless browser");
        for (let attempt = 0; attempt < 4; attempt++) {
          shot = await notebook.screenshot(target, { signal: context.signal, maxPixels, fullOutput: input.full_output === true });
          if (shot.bytes.length <= env.maxImageBytes) break;
          maxPixels = Math.floor((shot.width * shot.height) / 2);
        }
      } catch (error) {
        if (error instanceof ScreenshotError) return failed(inToolTerms(error), error.code, { cell: error.cell ?? null });
        throw error;
      }
      if (shot === undefined || shot.bytes.length > env.maxImageBytes) {
        return failed(`The screenshot stays over the ${env.maxImageBytes}-byte image limit even scaled down.`, "image_too_large");
      }
      const label = shot.name === null ? shot.cellId : `${shot.cellId} (${shot.name})`;
      const text = `Cell ${label}: its rendered output as a ${shot.width}×${shot.height} PNG.`;
      return ok(
        text,
        { url, session: notebook.sessionId, file: notebook.info.path, cell: { id: shot.cellId, name: shot.name }, width: shot.width, height: shot.height },
        [{ type: "image", data: encodeBase64(shot.bytes), mimeType: shot.mimeType }],
      );
    },
  });
}
