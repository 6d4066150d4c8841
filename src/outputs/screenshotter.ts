/**
 * {@link Screenshotter}: one headless browser per session object, showing the notebook as
 * a read-only kiosk viewer (`?kiosk=true&file=…`). marimo attaches a kiosk page to the
 * live session as an extra viewer: it never takes the person's session over, and it runs
 * nothing. The page stays open between calls (it follows the session live), so a warm
 * screenshot only waits for the output and captures it.
 *
 * @module
 */
import type { Browser, Request } from "playwright-core";
import { ErrorCode } from "../errors.js";
import type { SessionContext } from "../session/context.js";
import type { SessionInfo } from "../session/types.js";
import { firstLine, launchBrowser } from "./playwright.js";
import { ScreenshotError } from "./screenshot-errors.js";
import { listCells, nextPaint, type PageCell, pageText, parseSetCookies } from "./screenshot-page.js";
import { capturePng, type Viewer } from "./screenshot-capture.js";
import { abortable, type Deadline, remaining } from "./screenshot-deadline.js";
import {
  DEFAULT_SCREENSHOT_TIMEOUT_MS,
  DEFAULT_SCREENSHOT_WIDTH,
  type Screenshot,
  type ScreenshotOptions,
  type ScreenshotTarget,
} from "./screenshot-types.js";

const VIEWPORT_HEIGHT = 900;
/** How long a cell asked for may take to appear (one created a moment ago is still on its way). */
const APPEAR_MS = 3000;

/** @internal The screenshot machinery behind `nb.screenshot()`; one per session object. */
export class Screenshotter {
  readonly #ctx: SessionContext;
  readonly #session: () => SessionInfo;
  #browser: Promise<Browser> | undefined;
  readonly #viewers = new Map<number, Promise<Viewer>>();
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(ctx: SessionContext, session: () => SessionInfo) {
    this.#ctx = ctx;
    this.#session = session;
  }

  /** Capture cells (every cell with an output when `targets` is undefined), one after the other. */
  capture(targets: readonly ScreenshotTarget[] | undefined, options: ScreenshotOptions = {}): Promise<Screenshot[]> {
    const run = this.#queue.then(
      () => this.#capture(targets, options),
      () => this.#capture(targets, options),
    );
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Close the browser (and with it the kiosk pages). Later captures launch a new one. */
  async close(): Promise<void> {
    this.#closed = true;
    const browser = this.#browser;
    this.#browser = undefined;
    this.#viewers.clear();
    if (browser !== undefined) await browser.then((b) => b.close()).catch(() => undefined);
    this.#closed = false;
  }

  async #capture(targets: readonly ScreenshotTarget[] | undefined, options: ScreenshotOptions): Promise<Screenshot[]> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_SCREENSHOT_TIMEOUT_MS;
    const deadline: Deadline = { at: Date.now() + timeoutMs, timeoutMs, signal: options.signal };
    options.signal?.throwIfAborted();
    const scale = options.scale ?? 1;
    if (!(scale > 0) || !(timeoutMs > 0)) throw new RangeError("scale and timeoutMs must be positive numbers");
    const viewer = await this.#viewer(scale, options, deadline);
    let cells: PageCell[];
    try {
      cells = await this.#resolve(viewer, targets, deadline);
    } catch (error) {
      // The open page may be behind: the session was restarted, or a browser reload re-keyed it.
      if (!(error instanceof ScreenshotError && error.code === ErrorCode.CellNotFound)) throw error;
      await this.#reload(viewer, deadline);
      cells = await this.#resolve(viewer, targets, deadline);
    }
    const shots: Screenshot[] = [];
    for (const cell of cells) {
      shots.push(await capturePng(viewer, cell, options, deadline, (s) => this.#viewer(s, options, deadline)));
    }
    return shots;
  }

  /** The kiosk page at `scale`, opened on first use. */
  #viewer(scale: number, options: ScreenshotOptions, deadline: Deadline): Promise<Viewer> {
    let viewer = this.#viewers.get(scale);
    if (viewer === undefined) {
      viewer = this.#open(scale, options, deadline);
      this.#viewers.set(scale, viewer);
      viewer.catch(() => {
        if (this.#viewers.get(scale) === viewer) this.#viewers.delete(scale);
      });
    }
    return abortable(viewer, deadline).then(async (v) => {
      const width = options.width ?? DEFAULT_SCREENSHOT_WIDTH;
      if (v.page.viewportSize()?.width !== width) await v.page.setViewportSize({ width, height: VIEWPORT_HEIGHT });
      return v;
    });
  }

  #launch(options: ScreenshotOptions, deadline: Deadline): Promise<Browser> {
    if (this.#browser === undefined) {
      const launching = launchBrowser(options.executablePath, remaining(deadline)).then((l) => l.browser);
      this.#browser = launching;
      launching.catch(() => {
        if (this.#browser === launching) this.#browser = undefined;
      });
    }
    return this.#browser;
  }

  async #open(scale: number, options: ScreenshotOptions, deadline: Deadline): Promise<Viewer> {
    const browser = await this.#launch(options, deadline);
    const base = this.#ctx.http.baseUrl;
    const context = await browser.newContext({
      viewport: { width: options.width ?? DEFAULT_SCREENSHOT_WIDTH, height: VIEWPORT_HEIGHT },
      deviceScaleFactor: scale,
      reducedMotion: "reduce",
    });
    try {
      // A token server: marimo answers the client's authorised request with its session cookie
      // (a keyed hash, not the token); the page then authenticates with that cookie, as after login.
      const page0 = await this.#ctx.http.request("GET", "/", { accept: "text/html", signal: deadline.signal });
      const cookies = parseSetCookies(page0.headers.getSetCookie(), base);
      await page0.body?.cancel();
      if (cookies.length > 0) await context.addCookies(cookies);
      const page = await context.newPage();
      const viewer: Viewer = { context, page, pending: new Set<Request>(), lastActivity: Date.now() };
      const done = (r: Request) => {
        if (viewer.pending.delete(r)) viewer.lastActivity = Date.now();
      };
      page.on("request", (r) => {
        if (r.resourceType() === "eventsource" || r.resourceType() === "websocket") return;
        viewer.pending.add(r);
        viewer.lastActivity = Date.now();
      });
      page.on("requestfinished", done);
      page.on("requestfailed", done);
      const info = this.#session();
      const url = new URL(`${base.pathname.replace(/\/+$/, "")}/`, base);
      url.searchParams.set("kiosk", "true");
      const file = info.path ?? info.filename;
      if (file !== null) url.searchParams.set("file", file);
      await page.goto(url.href, { waitUntil: "domcontentloaded", timeout: remaining(deadline) });
      try {
        await abortable(page.waitForSelector("[data-cell-id]", { state: "attached", timeout: remaining(deadline) }), deadline);
      } catch (error) {
        if (deadline.signal?.aborted === true) throw error;
        const text = await page.evaluate(pageText).catch(() => "");
        throw new ScreenshotError(
          ErrorCode.ScreenshotFailed,
          `The notebook page showed no cells within ${deadline.timeoutMs} ms${text === "" ? "" : ` (it said: ${text})`}.`,
          { cause: error },
        );
      }
      return viewer;
    } catch (error) {
      await context.close().catch(() => undefined);
      if (error instanceof ScreenshotError || deadline.signal?.aborted === true || this.#closed) throw error;
      throw new ScreenshotError(ErrorCode.ScreenshotFailed, `Could not open the notebook page: ${firstLine(error)}`, { cause: error });
    }
  }

  /** Load the kiosk page again (it attaches to the session as it is now). */
  async #reload(viewer: Viewer, deadline: Deadline): Promise<void> {
    await abortable(viewer.page.reload({ waitUntil: "domcontentloaded", timeout: remaining(deadline) }), deadline);
    await abortable(viewer.page.waitForSelector("[data-cell-id]", { state: "attached", timeout: remaining(deadline) }), deadline).catch(() => undefined);
  }

  /** The page's cells for `targets` (or every cell with an output), in the order asked. */
  async #resolve(viewer: Viewer, targets: readonly ScreenshotTarget[] | undefined, deadline: Deadline): Promise<PageCell[]> {
    let cells = await viewer.page.evaluate(listCells);
    if (targets === undefined) return cells.filter((c) => c.hasOutput);
    const until = Math.min(deadline.at, Date.now() + APPEAR_MS);
    for (;;) {
      const found = targets.map((t) => matchCell(cells, t));
      const missing = found.findIndex((f) => f === undefined);
      if (missing < 0) return found as PageCell[];
      if (Date.now() >= until) {
        const wanted = describe(targets[missing]);
        throw new ScreenshotError(
          ErrorCode.CellNotFound,
          `No cell '${wanted}' in the notebook. Its cells: ${cells.map((c) => (c.name === null ? c.id : `${c.id} (${c.name})`)).join(", ")}.`,
          { cell: wanted, cellIds: cells.map((c) => c.id) },
        );
      }
      await abortable(viewer.page.evaluate(nextPaint), deadline);
      await new Promise((r) => setTimeout(r, 100));
      cells = await viewer.page.evaluate(listCells);
    }
  }
}

/** The cell a target names: by id first, then by a unique name. */
function matchCell(cells: readonly PageCell[], target: ScreenshotTarget | undefined): PageCell | undefined {
  if (target === undefined) return undefined;
  if (typeof target !== "string") return "id" in target ? cells.find((c) => c.id === target.id) : uniqueName(cells, target.name);
  return cells.find((c) => c.id === target) ?? uniqueName(cells, target);
}

function uniqueName(cells: readonly PageCell[], name: string): PageCell | undefined {
  const named = cells.filter((c) => c.name === name);
  if (named.length > 1) {
    throw new ScreenshotError(
      ErrorCode.CellNotFound,
      `Several cells are named '${name}' (${named.map((c) => c.id).join(", ")}): name one by its id.`,
      { cell: name, cellIds: named.map((c) => c.id) },
    );
  }
  return named[0];
}

function describe(target: ScreenshotTarget | undefined): string {
  if (target === undefined) return "";
  return typeof target === "string" ? target : "id" in target ? target.id : target.name;
}
