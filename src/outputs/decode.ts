/**
 * Turning marimo outputs into something a program can use: images as bytes, HTML and
 * markdown as text, mimebundles unpacked. Pure (no I/O); works on an `ExecuteOutput`
 * (`execute()`'s value) and on a cell output from `nb.events()` alike.
 *
 * @module
 */
import { decodeEntities } from "./html-entities.js";
import { widgetsToText } from "./html-widgets.js";
import { jsonOutputText } from "./json-leaves.js";

/** Anything with a mimetype and data: an `ExecuteOutput` or a `CellEventOutput`. @inline */
export interface OutputLike {
  /** e.g. `image/png`, `text/html`, `text/markdown`, `application/vnd.marimo+mimebundle`. */
  mimetype: string;
  /** The data: text, or for cell outputs also a list (errors) or an object (mimebundles). */
  data: unknown;
}

/** An image whose bytes are in the output itself. */
export interface InlineImage {
  mimetype: string;
  bytes: Uint8Array;
}

/** An image that marimo serves as a virtual file (e.g. `mo.image(...)`); fetch it with `nb.readImage()`. */
export interface VirtualFileImage {
  mimetype: string;
  /** The path under the server's base URL, like `/@file/73-12590-abc.png`. */
  path: string;
}

/** The mimetype marimo uses for an output holding several representations. */
export const MIMEBUNDLE = "application/vnd.marimo+mimebundle";

const EXTENSION_TYPES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  svg: "image/svg+xml",
  bmp: "image/bmp",
  avif: "image/avif",
};

/**
 * Decode a `data:` URL (base64 or percent-encoded).
 *
 * @returns the mimetype and bytes, or undefined when `url` is not a data URL.
 */
export function decodeDataUrl(url: string): InlineImage | undefined {
  const m = /^data:([^;,]*)((?:;[^;,]*)*?)(;base64)?,(.*)$/s.exec(url.trim());
  if (m === null) return undefined;
  const mimetype = m[1] === undefined || m[1] === "" ? "text/plain" : m[1].toLowerCase();
  const payload = m[4] ?? "";
  if (m[3] !== undefined) {
    const clean = payload.replace(/\s+/g, "");
    return { mimetype, bytes: Uint8Array.from(atob(clean), (c) => c.charCodeAt(0)) };
  }
  return { mimetype, bytes: new TextEncoder().encode(decodeURIComponent(payload)) };
}

function looksLikeHtml(text: string): boolean {
  return /^\s*<[a-z!]/i.test(text);
}

/**
 * The representations of a mimebundle output, by mimetype. A cell output carries an object,
 * a stored one a JSON string; `execute()` may already have picked one value (then it comes
 * back under `text/html` or `text/plain`). Any other output is a one-entry bundle.
 */
export function unpackMimeBundle(output: OutputLike): Record<string, unknown> {
  const { mimetype, data } = output;
  if (mimetype !== MIMEBUNDLE) return { [mimetype]: data };
  if (typeof data === "object" && data !== null && !Array.isArray(data)) return { ...(data as Record<string, unknown>) };
  if (typeof data === "string") {
    try {
      const parsed: unknown = JSON.parse(data);
      if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      /* an already-extracted value */
    }
    return { [looksLikeHtml(data) ? "text/html" : "text/plain"]: data };
  }
  return {};
}

function imageFrom(mimetype: string, data: unknown): InlineImage | VirtualFileImage | undefined {
  if (typeof data !== "string") return undefined;
  if (mimetype.startsWith("image/")) {
    const decoded = decodeDataUrl(data);
    if (decoded !== undefined) return { mimetype: decoded.mimetype.startsWith("image/") ? decoded.mimetype : mimetype, bytes: decoded.bytes };
    if (mimetype === "image/svg+xml" && data.trimStart().startsWith("<")) return { mimetype, bytes: new TextEncoder().encode(data) };
    // A bare base64 payload (some formatters send one).
    if (/^[A-Za-z0-9+/=\s]+$/.test(data)) return decodeDataUrl(`data:${mimetype};base64,${data}`);
    return undefined;
  }
  if (mimetype === "text/html" || mimetype === "text/markdown") {
    const src = /<img\b[^>]*?\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(data);
    const url = src?.[1] ?? src?.[2];
    if (url === undefined) return undefined;
    const inline = decodeDataUrl(url);
    if (inline !== undefined) return inline;
    const file = /^\.?\/?(@file\/[^?#"']+)/.exec(url);
    if (file?.[1] === undefined) return undefined;
    const ext = /\.([a-z0-9]+)$/i.exec(file[1])?.[1]?.toLowerCase() ?? "";
    return { mimetype: EXTENSION_TYPES[ext] ?? "application/octet-stream", path: `/${file[1]}` };
  }
  return undefined;
}

/**
 * The image of an output: an `image/*` output (a data URL), the image of a mimebundle, or
 * the first `<img>` of an HTML output — inline bytes when they are in the output, a
 * virtual-file path when marimo serves them (as for `mo.image(...)`).
 *
 * @returns undefined when the output holds no image.
 * @example
 * ```ts
 * const image = outputImage((await nb.execute("fig")).output);
 * if (image !== undefined && "bytes" in image) console.log(image.mimetype, image.bytes.length);
 * ```
 */
export function outputImage(output: OutputLike): InlineImage | VirtualFileImage | undefined {
  const bundle = unpackMimeBundle(output);
  const order = Object.keys(bundle).sort((a, b) => Number(b.startsWith("image/")) - Number(a.startsWith("image/")));
  for (const mimetype of order) {
    const image = imageFrom(mimetype, bundle[mimetype]);
    if (image !== undefined) return image;
  }
  return undefined;
}

/**
 * Plain text of an HTML fragment: tags removed, block ends as line breaks, entities decoded;
 * marimo's tables as compact tables and its UI elements as one line each.
 */
export function htmlToText(html: string): string {
  const text = widgetsToText(html)
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, "")
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/(p|div|h[1-6]|li|tr|pre|blockquote|table|ul|ol|section)\s*>/gi, "\n")
    .replace(/<[^>]*>/g, "");
  return decodeEntities(text)
    .split("\n")
    .map((line) => line.replace(/[ \t]+$/g, ""))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

function nestedText(mimetype: string, data: string): string {
  if (mimetype.startsWith("image/")) return `[${mimetype} image]`;
  return outputText({ mimetype, data }).trim();
}

/**
 * The text a person would read in an output: `text/plain` as is; HTML and markdown (which
 * marimo sends rendered as HTML) as plain text, with marimo's tables as compact tables; JSON
 * (a dict, list or tuple value) printed the way Python prints it, with marimo's typed leaves
 * decoded (`text/plain+float:1.5` → `1.5`, big ints, NaN and infinities, tuples, sets); marimo
 * errors as their messages; a mimebundle through its best text representation. Images give `""`.
 *
 * @example
 * ```ts
 * outputText({ mimetype: "application/json", data: '{"East": "text/plain+float:66209.56"}' }); // "{'East': 66209.56}"
 * ```
 */
export function outputText(output: OutputLike): string {
  const bundle = unpackMimeBundle(output);
  for (const mimetype of ["text/plain", "text/markdown", "text/html", "application/json", "application/vnd.marimo+error"]) {
    const data = bundle[mimetype];
    if (data === undefined) continue;
    if (mimetype === "application/vnd.marimo+error" && Array.isArray(data)) {
      return data.map((e) => (typeof e === "object" && e !== null ? String((e as Record<string, unknown>)["msg"] ?? "") : String(e))).join("\n");
    }
    if (mimetype === "application/json") return jsonOutputText(data, nestedText);
    if (typeof data !== "string") return JSON.stringify(data, null, 2);
    if (mimetype === "text/plain") return data;
    return htmlToText(data);
  }
  return "";
}
