/**
 * What a screenshot does inside marimo's notebook page: list the cells the page shows,
 * tell when a cell's output has finished rendering, and let a tall output show all of
 * itself. Each function here runs in the browser (playwright serialises it), so it uses
 * nothing from its surroundings.
 *
 * Facts of marimo 0.25's frontend these rely on: every cell is `[data-cell-id]` with
 * `data-cell-name` (`_` when unnamed); a cell with output has `#output-{id}`
 * (`.output-area`), which carries `marimo-output-loading` while the cell runs; a chart
 * first shows a spinner (`.animate-spin`, "Loading chart...") while its code loads, then
 * vega-embed draws into `.marks` (a canvas or an svg); UI elements (`marimo-*`) render
 * into open shadow roots, and `mo.ui.altair_chart`'s (`marimo-vega`) is empty until its
 * chart code has loaded.
 *
 * @module
 */

/** A cell as the page shows it. */
export interface PageCell {
  id: string;
  /** null when the cell has no name (marimo shows `_`). */
  name: string | null;
  /** Whether the cell has a rendered output element with content. */
  hasOutput: boolean;
}

/** In the page: the cells in notebook order. */
export function listCells(): PageCell[] {
  return Array.from(document.querySelectorAll("[data-cell-id]"), (cell) => {
    const id = cell.getAttribute("data-cell-id") ?? "";
    const rawName = cell.getAttribute("data-cell-name");
    const output = document.getElementById(`output-${id}`);
    const hasOutput = output !== null && (output.children.length > 0 || (output.textContent ?? "").trim() !== "");
    return { id, name: rawName === null || rawName === "" || rawName === "_" ? null : rawName, hasOutput };
  });
}

/** What {@link outputSettled} is asked. */
export interface SettledQuery {
  /** The cell's id. */
  id: string;
  /**
   * Whether a loading placeholder in the output counts as settled. While a chart's code
   * loads, marimo shows a spinner ("Loading chart...") in its place, and `mo.ui.altair_chart`
   * shows nothing. Waiting for them to go is bounded, because an output may show a spinner
   * on purpose, or a chart may fail to draw.
   */
  placeholders: boolean;
}

/**
 * In the page: whether a cell's output is settled — the cell is not running, no loading
 * placeholder stands in for content, every chart has drawn its marks, every image has
 * loaded, and the fonts are ready. Looks into the open shadow roots of marimo's UI
 * elements too. The spinner of `mo.status.spinner` and `mo.status.progress_bar`
 * (`marimo-progress`) is content, not loading.
 */
export function outputSettled({ id, placeholders }: SettledQuery): boolean {
  const output = document.getElementById(`output-${id}`);
  if (output === null) return true;
  if (output.classList.contains("marimo-output-loading")) return false;
  const roots: ParentNode[] = [output];
  for (let i = 0; i < roots.length; i++) {
    const root = roots[i]!;
    for (const element of Array.from(root.querySelectorAll("*"))) {
      const shadow = element.shadowRoot;
      if (shadow === null || element.localName === "marimo-progress") continue;
      if (!placeholders && element.localName === "marimo-vega" && shadow.querySelector(".marks") === null) return false;
      roots.push(shadow);
    }
    if (!placeholders && root.querySelector(".animate-spin") !== null) return false;
    for (const chart of Array.from(root.querySelectorAll(".vega-embed"))) {
      if (chart.querySelector(".marks") === null) return false;
    }
    for (const image of Array.from(root.querySelectorAll("img"))) {
      if (!image.complete) return false;
    }
  }
  return document.fonts.status === "loaded";
}

/** In the page: whether the cell shows something (an output element with content). */
export function hasOutput(id: string): boolean {
  const element = document.getElementById(`output-${id}`);
  return element !== null && (element.children.length > 0 || (element.textContent ?? "").trim() !== "");
}

/** In the page: resolve after two animation frames, so the last changes are painted. */
export function nextPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
}

/**
 * In the page: lift the height limits of an output and of the scroll areas inside it, so
 * the whole output is laid out; returns how many elements were changed (undone by
 * {@link restoreFullOutput}).
 */
export function expandFullOutput(id: string): number {
  const output = document.getElementById(`output-${id}`);
  if (output === null) return 0;
  let changed = 0;
  for (const element of [output, ...Array.from(output.querySelectorAll<HTMLElement>("*"))]) {
    const style = getComputedStyle(element);
    const scrolls = style.overflowY === "auto" || style.overflowY === "scroll";
    if (!scrolls && style.maxHeight === "none") continue;
    if (element.scrollHeight <= element.clientHeight && style.maxHeight === "none") continue;
    element.dataset["marimoPairStyle"] = element.getAttribute("style") ?? "";
    element.style.maxHeight = "none";
    element.style.overflowY = "visible";
    changed += 1;
  }
  return changed;
}

/** In the page: undo {@link expandFullOutput}. */
export function restoreFullOutput(id: string): void {
  const output = document.getElementById(`output-${id}`);
  if (output === null) return;
  for (const element of [output, ...Array.from(output.querySelectorAll<HTMLElement>("*"))]) {
    const saved = element.dataset["marimoPairStyle"];
    if (saved === undefined) continue;
    if (saved === "") element.removeAttribute("style");
    else element.setAttribute("style", saved);
    delete element.dataset["marimoPairStyle"];
  }
}

/** In the page: the text a person reads, shortened (for errors when the notebook did not load). */
export function pageText(): string {
  return (document.body?.innerText ?? "").replace(/\s+/g, " ").trim().slice(0, 300);
}

/** A cookie marimo set, in the shape playwright's `addCookies` takes. */
export interface PageCookie {
  name: string;
  value: string;
  domain: string;
  path: string;
  httpOnly: boolean;
  secure: boolean;
}

/**
 * The cookies of `Set-Cookie` headers, scoped to `baseUrl`'s host. marimo's session cookie
 * holds a keyed hash of the token, never the token itself.
 */
export function parseSetCookies(headers: readonly string[], baseUrl: URL): PageCookie[] {
  const cookies: PageCookie[] = [];
  for (const header of headers) {
    const [pair = "", ...attributes] = header.split(";");
    const eq = pair.indexOf("=");
    if (eq <= 0) continue;
    const cookie: PageCookie = {
      name: pair.slice(0, eq).trim(),
      value: pair.slice(eq + 1).trim(),
      domain: baseUrl.hostname,
      path: "/",
      httpOnly: false,
      secure: baseUrl.protocol === "https:",
    };
    for (const attribute of attributes) {
      const [key = "", value = ""] = attribute.split("=").map((s) => s.trim());
      if (key.toLowerCase() === "path" && value.startsWith("/")) cookie.path = value;
      if (key.toLowerCase() === "httponly") cookie.httpOnly = true;
    }
    cookies.push(cookie);
  }
  return cookies;
}
