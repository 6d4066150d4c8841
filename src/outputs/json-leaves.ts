/**
 * marimo's JSON outputs (a dict, list or tuple as the value) carry typed leaves as strings:
 * `text/plain+float:66209.56`, `text/plain+bigint:…`, `text/plain+tuple:[…]`, a nested
 * output as `text/html:<…>`. This module decodes them and prints the structure the way
 * Python would, so a person (or a model) reads `{'East': 66209.56}`. Pure.
 *
 * @module
 */

/** Longest structure printed on one line before it is spread over several. */
const ONE_LINE = 100;

const PREFIX = "text/plain+";

/** A decoded leaf: text printed as is (a number, True, a tuple), or a string to quote. */
type Leaf = { raw: string } | { str: string };

function pyQuote(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const body = text
    .replace(/\\/g, "\\\\")
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r")
    .replace(/\t/g, "\\t")
    .replaceAll(quote, `\\${quote}`);
  return `${quote}${body}${quote}`;
}

/** A plain JSON value (no typed leaves: the payload of a tuple or set) as Python prints it. */
function plainPy(value: unknown): string {
  if (typeof value === "string") return pyQuote(value);
  if (Array.isArray(value)) return `[${value.map(plainPy).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pyQuote(k)}: ${plainPy(v)}`).join(", ")}}`;
  }
  return value === null ? "None" : value === true ? "True" : value === false ? "False" : String(value);
}

function listText(items: readonly unknown[], open: string, close: string): string {
  const parts = items.map(plainPy);
  if (open === "(" && parts.length === 1) return `(${parts[0] ?? ""},)`;
  return `${open}${parts.join(", ")}${close}`;
}

function typedLeaf(value: string, render: NestedRenderer): Leaf {
  if (value.startsWith(PREFIX)) {
    const colon = value.indexOf(":", PREFIX.length);
    if (colon === -1) return { str: value };
    const kind = value.slice(PREFIX.length, colon);
    const body = value.slice(colon + 1);
    switch (kind) {
      case "float":
      case "int":
      case "bigint":
        return { raw: body };
      case "bool":
        return { raw: body === "True" || body === "true" ? "True" : "False" };
      case "none":
        return { raw: "None" };
      case "str":
        return { str: body };
      case "tuple":
      case "set":
      case "frozenset": {
        let items: unknown;
        try {
          items = JSON.parse(body);
        } catch {
          return { raw: body };
        }
        if (!Array.isArray(items)) return { raw: body };
        if (kind === "tuple") return { raw: listText(items, "(", ")") };
        if (items.length === 0) return { raw: kind === "set" ? "set()" : "frozenset()" };
        const set = listText(items, "{", "}");
        return { raw: kind === "set" ? set : `frozenset(${set})` };
      }
      default:
        return { raw: body };
    }
  }
  if (value.startsWith("text/plain:")) {
    const body = value.slice("text/plain:".length);
    try {
      return { raw: pyText(JSON.parse(body), 0) };
    } catch {
      return { raw: body };
    }
  }
  // A nested output: "<mimetype>:<data>", e.g. a DataFrame inside a dict.
  const nested = /^([a-z]+\/[A-Za-z0-9.+_-]+):/.exec(value);
  if (nested?.[1] !== undefined) return { raw: render(nested[1], value.slice(nested[1].length + 1)) };
  return { str: value };
}

/** Renders a nested output (`text/html`, …) as text. */
export type NestedRenderer = (mimetype: string, data: string) => string;

function leafText(value: string, render: NestedRenderer): string {
  const leaf = typedLeaf(value, render);
  return "raw" in leaf ? leaf.raw : pyQuote(leaf.str);
}

function spread(parts: readonly string[], open: string, close: string, indent: number): string {
  const flat = `${open}${parts.join(", ")}${close}`;
  if (flat.length <= ONE_LINE && !flat.includes("\n")) return flat;
  const pad = "  ".repeat(indent + 1);
  const lines = parts.map((p) => `${pad}${p.replace(/\n(?! )/g, `\n${pad}  `)}`);
  return `${open}\n${lines.join(",\n")}\n${"  ".repeat(indent)}${close}`;
}

const plain: NestedRenderer = (_mimetype, data) => data;

/** Print a decoded JSON value the way Python prints the structure. */
export function pyText(value: unknown, indent = 0, render: NestedRenderer = plain): string {
  if (value === null) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return leafText(value, render);
  if (Array.isArray(value)) return spread(value.map((v) => pyText(v, indent + 1, render)), "[", "]", indent);
  if (typeof value === "object") {
    const parts = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${leafText(k, render)}: ${pyText(v, indent + 1, render)}`);
    return spread(parts, "{", "}", indent);
  }
  return String(value);
}

/**
 * The text of marimo's `application/json` output data (a JSON string, or already parsed):
 * typed leaves decoded, printed like Python. Data that is not JSON is returned as is.
 */
export function jsonOutputText(data: unknown, render: NestedRenderer = plain): string {
  let value = data;
  if (typeof data === "string") {
    try {
      value = JSON.parse(data);
    } catch {
      return data;
    }
  }
  return pyText(value, 0, render);
}
