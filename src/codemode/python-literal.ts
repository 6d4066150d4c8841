/**
 * The one place where JavaScript values become Python source text. Every caller string
 * that reaches generated Python passes through {@link pyStr} (or {@link pyStrBlock}), so
 * nothing is ever interpolated raw.
 *
 * The encoding is deliberately conservative: the output is printable ASCII only.
 * Printable ASCII characters stand for themselves except `\`, `'` and `"`, which are
 * escaped; `\n`, `\r` and `\t` use their short escapes; every other code point uses
 * `\xXX`, `\uXXXX` or `\UXXXXXXXX`. Such a literal means the same thing whatever the
 * source encoding, editor or transport, and contains no quote, newline or backslash
 * sequence that could end it early.
 *
 * **Strings are read as code points.** A JavaScript string is a sequence of UTF-16 code
 * units; a well-formed surrogate pair is one code point (emitted as `\UXXXXXXXX`), and a
 * lone surrogate (`"\uD800"` on its own) becomes the same lone surrogate code point in
 * Python (`\ud800`, which Python accepts in `str` literals). So the Python `str` has
 * exactly the code points that iterating the JavaScript string with `for…of` yields, and
 * converting it back to UTF-16 (for example through `json.dumps`) gives the identical
 * JavaScript string.
 *
 * @module
 */
import { InvalidPlanError } from "./errors.js";

/** A JSON value, as `setUiValue` accepts it (plus `bigint` for integers beyond 2^53). @inline */
export type JsonValue = null | boolean | number | bigint | string | readonly JsonValue[] | { readonly [key: string]: JsonValue | undefined };

/** Deepest nesting of arrays and objects {@link pyValue} accepts (Python's parser has a limit near 200). */
export const MAX_VALUE_DEPTH = 64;

function hex(value: number, width: number): string {
  return value.toString(16).padStart(width, "0");
}

function escapeCodePoint(cp: number): string {
  switch (cp) {
    case 0x5c:
      return "\\\\";
    case 0x27:
      return "\\'";
    case 0x22:
      return '\\"';
    case 0x0a:
      return "\\n";
    case 0x0d:
      return "\\r";
    case 0x09:
      return "\\t";
    default:
      if (cp >= 0x20 && cp <= 0x7e) return String.fromCharCode(cp);
      if (cp <= 0xff) return `\\x${hex(cp, 2)}`;
      if (cp <= 0xffff) return `\\u${hex(cp, 4)}`;
      return `\\U${hex(cp, 8)}`;
  }
}

function escapeBody(text: string): string {
  let out = "";
  // for…of walks code points; a lone surrogate comes out as itself (one code unit).
  for (const ch of text) out += escapeCodePoint(ch.codePointAt(0) ?? 0);
  return out;
}

/**
 * Encode a string as a single-line Python `str` literal (printable ASCII, single quotes).
 *
 * @throws {TypeError} when `text` is not a string.
 * @example
 * ```ts
 * pyStr(`it's "ok"\n`); // 'it\'s \"ok\"\n'   (as Python source)
 * ```
 */
export function pyStr(text: string): string {
  if (typeof text !== "string") throw new TypeError(`expected a string, got ${typeof text}`);
  return `'${escapeBody(text)}'`;
}

/**
 * Encode a string as a Python expression that is easy to read when the text has several
 * lines: one literal per line of the text, concatenated implicitly inside parentheses.
 * Single-line text gives the same result as {@link pyStr}. The value is identical either way.
 *
 * @param indent - prefix of the continuation lines (spaces); the closing parenthesis gets
 *   `indent` minus four spaces.
 * @throws {TypeError} when `text` is not a string.
 */
export function pyStrBlock(text: string, indent = "    "): string {
  if (typeof text !== "string") throw new TypeError(`expected a string, got ${typeof text}`);
  const lines = text.split(/(?<=\n)/);
  if (lines.length <= 1) return pyStr(text);
  const closing = indent.slice(0, Math.max(0, indent.length - 4));
  return `(\n${lines.map((line) => `${indent}${pyStr(line)}`).join("\n")}\n${closing})`;
}

/** `True` / `False`. */
export function pyBool(value: boolean): string {
  return value ? "True" : "False";
}

/**
 * Encode a number as a Python `int` (integral values) or `float` literal.
 *
 * Integral numbers become `int` (`3`, `1000000000000000000000`); other finite numbers use
 * JavaScript's shortest round-trip form, which Python reads as the same double (`0.1`,
 * `1e-7`); `-0` becomes `-0.0`.
 *
 * @throws {InvalidPlanError} for `NaN` and infinities, which JSON cannot carry either.
 */
export function pyNumber(value: number | bigint): string {
  if (typeof value === "bigint") return value.toString();
  if (!Number.isFinite(value)) {
    throw new InvalidPlanError(`${String(value)} has no JSON representation; pass a finite number.`);
  }
  if (Object.is(value, -0)) return "-0.0";
  if (Number.isInteger(value)) return BigInt(value).toString();
  return String(value);
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function encodeValue(value: unknown, path: string, depth: number, seen: Set<object>): string {
  if (value === null) return "None";
  switch (typeof value) {
    case "boolean":
      return pyBool(value);
    case "number":
    case "bigint":
      try {
        return pyNumber(value);
      } catch {
        throw new InvalidPlanError(`${path} is ${String(value)}; only finite numbers are JSON values.`);
      }
    case "string":
      return pyStr(value);
    case "object":
      break;
    default:
      throw new InvalidPlanError(`${path} is ${typeof value}; only JSON values can be encoded.`);
  }
  if (depth >= MAX_VALUE_DEPTH) throw new InvalidPlanError(`${path} is nested deeper than ${MAX_VALUE_DEPTH} levels.`);
  if (seen.has(value)) throw new InvalidPlanError(`${path} refers to itself (a cycle).`);
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      const items = value.map((item: unknown, i) => encodeValue(item, `${path}[${i}]`, depth + 1, seen));
      return `[${items.join(", ")}]`;
    }
    if (!isPlainObject(value)) {
      throw new InvalidPlanError(`${path} is a ${value.constructor?.name ?? "non-plain"} object; only plain objects are JSON values.`);
    }
    const entries: string[] = [];
    for (const [key, item] of Object.entries(value)) {
      // Like JSON.stringify: an undefined property is left out.
      if (item === undefined) continue;
      entries.push(`${pyStr(key)}: ${encodeValue(item, `${path}.${key}`, depth + 1, seen)}`);
    }
    return `{${entries.join(", ")}}`;
  } finally {
    seen.delete(value);
  }
}

/**
 * Encode a JSON value as a Python literal: `null` → `None`, booleans → `True`/`False`,
 * numbers as {@link pyNumber}, strings as {@link pyStr}, arrays → lists, plain objects →
 * dicts (properties whose value is `undefined` are left out, as `JSON.stringify` does).
 *
 * @param path - names the value in error messages.
 * @throws {InvalidPlanError} for non-finite numbers, `undefined`, functions, symbols,
 *   non-plain objects (Date, Map, class instances), cycles, and nesting deeper than
 *   {@link MAX_VALUE_DEPTH}.
 */
export function pyValue(value: unknown, path = "value"): string {
  return encodeValue(value, path, 0, new Set());
}
