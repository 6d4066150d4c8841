/**
 * Reading the image of an output, fetching it from the server when marimo serves it as a
 * virtual file (`mo.image(...)` renders `<img src="./@file/…">`).
 *
 * @module
 */
import type { SessionContext } from "../session/context.js";
import { type InlineImage, outputImage, type OutputLike } from "./decode.js";

/**
 * @internal Implementation of `nb.readImage()`.
 *
 * @returns the image bytes, or undefined when the output holds no image.
 */
export async function readOutputImage(
  ctx: SessionContext,
  output: OutputLike,
  signal: AbortSignal | undefined,
): Promise<InlineImage | undefined> {
  const image = outputImage(output);
  if (image === undefined || "bytes" in image) return image;
  const response = await ctx.http.request("GET", image.path, { accept: "*/*", signal });
  const bytes = new Uint8Array(await response.arrayBuffer());
  const type = response.headers.get("content-type")?.split(";")[0]?.trim();
  return { mimetype: type !== undefined && type.startsWith("image/") ? type : image.mimetype, bytes };
}
