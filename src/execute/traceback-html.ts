/**
 * Plain text from the HTML tracebacks that marimo 0.22.4 – 0.23.1 send on an execute's stderr.
 *
 * Those releases write a failing execute's traceback as Pygments-highlighted HTML
 * (`marimo/_messaging/tracebacks.py`, `write_traceback`: the code-mode branch passes the
 * traceback through `_highlight_traceback`); 0.23.2 went back to plain text for requests of
 * `/api/kernel/execute`. The SSE event carries only the text, not marimo's
 * `application/vnd.marimo+traceback` mimetype, so the shape itself is recognised: exactly
 * what `_highlight_traceback` builds, `<span class="codehilite"><div class="highlight"><pre>…
 * </pre></div></span>`, as one event.
 *
 * @module
 */
import { decodeEntities } from "../outputs/html-entities.js";

/** The whole of one `_highlight_traceback` result; group 1 is the `<pre>` body. */
const HIGHLIGHTED = /^<span class="codehilite"><div class="highlight"><pre>([\s\S]*)<\/pre><\/div>\s*<\/span>\s*$/;

/**
 * The plain text of a traceback that marimo highlighted as HTML, or `undefined` when `data`
 * is not one (then it is passed on unchanged). Pygments escapes every `<` of the traceback,
 * so any `<…>` left in the `<pre>` body is markup.
 */
export function highlightedTracebackText(data: string): string | undefined {
  if (!data.startsWith('<span class="codehilite">')) return undefined;
  const m = HIGHLIGHTED.exec(data);
  if (m === null) return undefined;
  return decodeEntities((m[1] ?? "").replace(/<[^>]*>/g, ""));
}
