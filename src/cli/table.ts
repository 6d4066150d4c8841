/**
 * Plain-text tables for people: left-aligned columns separated by two spaces, a header
 * row, no trailing spaces.
 *
 * @module
 */

/** Format `rows` under `headers`. Cells must not contain newlines (they are replaced by spaces). */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const clean = (cell: string): string => cell.replace(/[\r\n\t]+/g, " ");
  const all = [headers, ...rows].map((row) => headers.map((_, i) => clean(row[i] ?? "")));
  const widths = headers.map((_, i) => Math.max(...all.map((row) => (row[i] ?? "").length)));
  return all
    .map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  ").trimEnd())
    .join("\n")
    .concat("\n");
}
