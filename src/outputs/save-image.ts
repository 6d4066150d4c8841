/**
 * {@link saveImage}: write the image of an output to a file (Node).
 *
 * @module
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { NotebookSession } from "../session/notebook.js";
import { type InlineImage, outputImage, type OutputLike } from "./decode.js";

/** Options of {@link saveImage}. */
export interface SaveImageOptions {
  /** The session the output came from; needed when marimo serves the image as a virtual file (`mo.image`). */
  session?: Pick<NotebookSession, "readImage"> | undefined;
  /** Cancels the download of a virtual file. */
  signal?: AbortSignal | undefined;
}

/** What {@link saveImage} wrote. @inline */
export interface SavedImage extends InlineImage {
  /** The absolute path written. */
  path: string;
}

/**
 * Save the image of an output (an `image/*` data URL, a mimebundle's image, or an HTML
 * `<img>`) to `path`, creating its directory.
 *
 * @throws {TypeError} when the output holds no image, or when the image is a virtual file and no `session` was given.
 * @example
 * ```ts
 * const r = await nb.execute("mo.image(png_bytes)");
 * await saveImage(r.output, "out/chart.png", { session: nb });
 * ```
 */
export async function saveImage(output: OutputLike, path: string, options: SaveImageOptions = {}): Promise<SavedImage> {
  const found = outputImage(output);
  if (found === undefined) throw new TypeError(`The output (${output.mimetype}) holds no image.`);
  let image: InlineImage | undefined;
  if ("bytes" in found) image = found;
  else if (options.session === undefined) {
    throw new TypeError(`The image is served by marimo (${found.path}): pass { session } to download it.`);
  } else image = await options.session.readImage(output, { signal: options.signal });
  if (image === undefined) throw new TypeError(`The output (${output.mimetype}) holds no image.`);
  const target = resolve(path);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, image.bytes);
  return { ...image, path: target };
}
