/**
 * marimo's custom elements as text: a `<marimo-table>` as a compact table of its rows, any
 * other UI element (`<marimo-slider>`, …) as one line with its kind, label and value.
 * Everything else of the HTML is left for the tag stripper. Pure.
 *
 * @module
 */

/** Most rows of a table printed as text (the rest are counted). */
const MAX_ROWS = 20;
/** Widest cell of a table printed as text. */
const MAX_CELL = 40;

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/** Decode HTML character references. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (/^#x/i.test(name)) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return String.fromCodePoint(parseInt(name.slice(1), 10));
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function attributes(tag: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of tag.matchAll(/\s([a-z][a-z0-9-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)) {
    if (m[1] !== undefined) found.set(m[1].toLowerCase(), decodeEntities(m[2] ?? m[3] ?? ""));
  }
  return found;
}

function json(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function cell(value: unknown): string {
  const text = value === null || value === undefined ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);
  const line = text.replace(/\s+/g, " ");
  return line.length > MAX_CELL ? `${line.slice(0, MAX_CELL - 1)}…` : line;
}

/** Rows of objects as aligned columns. */
export function compactTable(rows: readonly Record<string, unknown>[], total?: number): string {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const shown = rows.slice(0, MAX_ROWS).map((r) => columns.map((c) => cell(r[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...shown.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ").trimEnd();
  const count = total ?? rows.length;
  const more = count > shown.length ? `\n… ${count - shown.length} more row(s)` : "";
  return `${[line(columns), ...shown.map(line)].join("\n")}${more}\n(${count} row(s) × ${columns.length} column(s))`;
}

function tableText(attrs: Map<string, string>): string {
  const total = Number(attrs.get("data-total-rows"));
  let data = json(attrs.get("data-data"));
  if (typeof data === "string") data = json(data) ?? data;
  const label = json(attrs.get("data-label"));
  const title = typeof label === "string" && label !== "" ? `${label}\n` : "";
  if (Array.isArray(data) && data.every((r) => typeof r === "object" && r !== null && !Array.isArray(r))) {
    return `${title}${compactTable(data as Record<string, unknown>[], Number.isFinite(total) ? total : undefined)}`;
  }
  return `${title}(a table of ${Number.isFinite(total) ? total : "?"} row(s); its data is not in the output)`;
}

function elementText(kind: string, attrs: Map<string, string>): string {
  const label = json(attrs.get("data-label"));
  const value = attrs.get("data-initial-value");
  const named = typeof label === "string" && label !== "" ? ` ${JSON.stringify(label.replace(/<[^>]*>/g, ""))}` : "";
  return `[${kind}${named}${value === undefined ? "" : `: ${value}`}]`;
}

/** Replace marimo's custom elements in `html` by their text (tables as tables, UI elements as one line). */
export function widgetsToText(html: string): string {
  return html
    .replace(/<marimo-table\b([^>]*)>[\s\S]*?<\/marimo-table>/gi, (_whole, attrs: string) => `\n${tableText(attributes(attrs))}\n`)
    .replace(/<marimo-(?!ui-element\b)([a-z-]+)\b([^>]*)>/gi, (whole, kind: string, attrs: string) => {
      const parsed = attributes(attrs);
      return parsed.has("data-initial-value") ? elementText(kind, parsed) : whole;
    });
}
