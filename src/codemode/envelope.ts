/**
 * The result envelope: generated Python prints one JSON document between two marker lines
 * that carry a random per-call nonce, and this module finds it in the stdout and removes
 * it. Output of the notebook's cells cannot produce the markers by accident or by echoing
 * earlier output, because the nonce is new for every call. (Code running in the kernel can
 * read anything, including the nonce; the envelope is not a defence against that.)
 *
 * Format, exactly: `\n<<<marimo-pair:NONCE>>>\n` + one line of ASCII JSON + `\n<<<end:NONCE>>>\n`.
 *
 * @module
 */
import { InvalidPlanError } from "./errors.js";

const NONCE = /^[A-Za-z0-9_-]{8,128}$/;

/**
 * A fresh nonce: 32 hex digits from `crypto.getRandomValues` (Web Crypto; Node ≥ 20,
 * browsers, Deno, Bun).
 */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Check a caller-supplied nonce (8–128 characters of `A-Z a-z 0-9 _ -`).
 *
 * @throws {InvalidPlanError} when it does not have that form.
 */
export function checkNonce(nonce: string): string {
  if (typeof nonce !== "string" || !NONCE.test(nonce)) {
    throw new InvalidPlanError("nonce must be 8-128 characters of A-Z, a-z, 0-9, '_' or '-'.");
  }
  return nonce;
}

/** The marker line that opens the document (without line breaks). */
export function startMarker(nonce: string): string {
  return `<<<marimo-pair:${nonce}>>>`;
}

/** The marker line that closes the document (without line breaks). */
export function endMarker(nonce: string): string {
  return `<<<end:${nonce}>>>`;
}

/** What {@link extractEnvelope} found. */
export interface ExtractedEnvelope {
  /** The parsed JSON document, or `undefined` when no complete, parseable block was found. */
  document: unknown;
  /** The JSON text of the document, or `undefined`. */
  raw: string | undefined;
  /** The stdout without the block (and without the line break written before it). */
  stdout: string;
}

/**
 * Find the result document of `nonce` in `stdout` (the last complete block when, oddly,
 * there are several) and return it with the stdout that remains.
 */
export function extractEnvelope(stdout: string, nonce: string): ExtractedEnvelope {
  const start = `${startMarker(nonce)}\n`;
  const end = `\n${endMarker(nonce)}\n`;
  let from = stdout.lastIndexOf(start);
  while (from !== -1) {
    const bodyStart = from + start.length;
    const to = stdout.indexOf(end, bodyStart);
    if (to !== -1) {
      const raw = stdout.slice(bodyStart, to);
      let document: unknown;
      try {
        document = JSON.parse(raw);
      } catch {
        document = undefined;
      }
      if (document !== undefined) {
        const cut = from > 0 && stdout[from - 1] === "\n" ? from - 1 : from;
        return { document, raw, stdout: stdout.slice(0, cut) + stdout.slice(to + end.length) };
      }
    }
    from = from === 0 ? -1 : stdout.lastIndexOf(start, from - 1);
  }
  return { document: undefined, raw: undefined, stdout };
}

/**
 * A streaming filter for stdout chunks: passes user output through as it arrives and holds
 * back the envelope block (and any prefix that could be its start), so live consumers never
 * see it. Text after the block passes through too.
 */
export class EnvelopeFilter {
  readonly #open: string;
  readonly #close: string;
  #pending = "";
  #inBlock = false;
  #block = "";
  #raw: string | undefined;

  constructor(nonce: string) {
    this.#open = `\n${startMarker(nonce)}\n`;
    this.#close = `\n${endMarker(nonce)}\n`;
  }

  /** The JSON text of the last complete block seen so far, if any. */
  get raw(): string | undefined {
    return this.#raw;
  }

  /** Feed a chunk; returns the text that is safe to show now. */
  push(chunk: string): string {
    let out = "";
    let text = this.#pending + chunk;
    this.#pending = "";
    for (;;) {
      if (this.#inBlock) {
        const to = (this.#block + text).indexOf(this.#close);
        if (to === -1) {
          this.#block += text;
          return out;
        }
        const all = this.#block + text;
        this.#raw = all.slice(0, to);
        text = all.slice(to + this.#close.length);
        this.#block = "";
        this.#inBlock = false;
        continue;
      }
      const at = text.indexOf(this.#open);
      if (at !== -1) {
        out += text.slice(0, at);
        text = text.slice(at + this.#open.length);
        this.#inBlock = true;
        continue;
      }
      // Hold back the longest tail that is a prefix of the opening marker.
      const keep = this.#partialOpen(text);
      out += text.slice(0, text.length - keep);
      this.#pending = text.slice(text.length - keep);
      return out;
    }
  }

  /** End of stream: returns whatever is still held back (an unfinished block is user text after all). */
  end(): string {
    const rest = this.#inBlock ? this.#open + this.#block + this.#pending : this.#pending;
    this.#pending = "";
    this.#block = "";
    this.#inBlock = false;
    return rest;
  }

  #partialOpen(text: string): number {
    const max = Math.min(text.length, this.#open.length - 1);
    for (let n = max; n > 0; n--) {
      if (this.#open.startsWith(text.slice(text.length - n))) return n;
    }
    return 0;
  }
}
