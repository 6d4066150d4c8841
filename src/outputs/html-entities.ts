/**
 * HTML character references to text: the one decoder behind `htmlToText` and the plain-text
 * tracebacks of `execute/traceback-html.ts`.
 *
 * @module
 */

const NAMED: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/**
 * `text` with its character references decoded (`&amp;`, `&#39;`, `&#x1F389;`, …), in one
 * pass (`&amp;lt;` becomes `&lt;`). Unknown names and numbers that are no code point are
 * left as they came.
 */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (!name.startsWith("#")) return NAMED[name.toLowerCase()] ?? whole;
    const code = /^#x/i.test(name) ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}
