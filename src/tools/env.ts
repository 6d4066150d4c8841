/**
 * What every tool of one toolset shares: the notebook resolver (and its binding), output
 * budgets and limits.
 *
 * @module
 */
import { encodeBase64 } from "./base64.js";
import type { OutputBudget } from "./budget.js";
import type { NotebookResolver } from "./target.js";
import type { UndoStack } from "./undo-stack.js";
import type { ToolImageContent } from "./types.js";
import type { ScreenshotSessions } from "./screenshot-sessions.js";
import type { NotebookSession } from "../session/notebook.js";
import { outputImage, type OutputLike } from "../outputs/decode.js";

/** Shared state of one toolset (one agent connection). */
export interface ToolEnv {
  /** Resolves calls to notebooks; holds the binding. */
  readonly resolver: NotebookResolver;
  /** Budget for each output channel. */
  readonly budget: OutputBudget;
  /** Default limit of `execute_code`, in ms. */
  readonly executeTimeoutMs: number;
  /** Largest image returned as image content, in bytes. */
  readonly maxImageBytes: number;
  /** The undo plans of the batches this connection applied (for `undo_last_batch`). */
  readonly undo: UndoStack;
  /** Most pixels of a screenshot returned as image content (larger ones are scaled down). */
  readonly maxImagePixels: number;
  /** The session objects that hold this toolset's screenshot browsers. */
  readonly screenshots: ScreenshotSessions;
}

/** An image of an output as tool content, or a note saying why it is not attached. */
export async function imageContent(
  notebook: NotebookSession,
  output: OutputLike,
  env: ToolEnv,
  signal: AbortSignal | undefined,
): Promise<{ image?: ToolImageContent; note?: string }> {
  const found = outputImage(output);
  if (found === undefined) return {};
  const image = await notebook.readImage(output, { signal });
  if (image === undefined) return {};
  if (image.bytes.length > env.maxImageBytes) {
    return { note: `The output is a ${image.mimetype} image of ${image.bytes.length} bytes, over the ${env.maxImageBytes}-byte limit; not attached.` };
  }
  return { image: { type: "image", data: encodeBase64(image.bytes), mimeType: image.mimetype } };
}
