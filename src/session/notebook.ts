/**
 * {@link NotebookSession}: one open notebook on a server — execute code in its
 * kernel, stream the output, read its kernel state.
 *
 * @module
 */
import { UnsupportedVersionError } from "../errors.js";
import { retryAfterReload } from "./reload-retry.js";
import { ExecutionStream, type ExecuteOptions, type ExecuteResult } from "../execute/stream.js";
import { FEATURE_SINCE, hasFeature, interruptsTwiceOnDrop, isAtLeast } from "../version.js";
import { KernelStatusResponseSchema } from "../schemas/sessions.js";
import type { SessionContext } from "./context.js";
import type { KernelState, SessionInfo, SessionSelector, SignalOptions } from "./types.js";
import { settledOrAborted, waitUntilNotRunning } from "./settle.js";
import type { EventsOptions } from "./events.js";
import { NotebookEvents } from "./event-stream.js";
import { HandleSet, type OpenHandle } from "./handles.js";
import { type MarimoCapabilities, readCapabilities } from "./capabilities.js";
import { interruptKernel, restartSession } from "./kernel-control.js";
import type { InlineImage, OutputLike } from "../outputs/decode.js";
import { readOutputImage } from "../outputs/read-image.js";
import type { Screenshotter } from "../outputs/screenshotter.js";
import type { Screenshot, ScreenshotOptions, ScreenshotTarget } from "../outputs/screenshot-types.js";
import type { ApplyOptions, ApplyResult } from "../codemode/apply.js";
import type { CodeModeBuilder } from "../codemode/builder.js";
import type { CodeModeCallOptions } from "../codemode/executor.js";
import type { NotebookGraph } from "../codemode/graph.js";
import type { CodeModeOptions } from "../codemode/operations.js";
import type { CodeModePlan } from "../codemode/plan.js";
import type { CellSnapshot, PackageInfo, ReadCellsOptions, VariableInfo } from "../codemode/reads.js";

// Code mode is loaded on its first use: a process that only executes (the CLI's `exec`)
// does not load the builder, the reads or their schemas.
const loadApply = () => import("../codemode/apply.js");
const loadPlan = () => import("../codemode/plan.js");
const loadReads = () => import("../codemode/reads.js");

/** `watchEvents`, with the event decoding and its schemas loaded when a watch starts. */
async function* watchLazily(...args: Parameters<WatchEvents>): ReturnType<WatchEvents> {
  const { watchEvents } = await import("./events.js");
  yield* watchEvents(...args);
}
type WatchEvents = typeof import("./events.js").watchEvents;

/** Headers that route an execute request to a session. */
function executeHeaders(info: SessionInfo): Record<string, string> {
  // The stable id survives browser reloads (marimo ≥ 0.25 accepts it on execute).
  return info.stableId === null ? { "Marimo-Session-Id": info.sessionId } : { "Marimo-Stable-Session-Id": info.stableId };
}

/**
 * An open notebook. Obtain one with `client.session(selector)` or `client.openSession({ file })`.
 *
 * A session selected by file (or as the only one) is looked up again when marimo no longer
 * knows its id — a browser reload re-keys the session — and the call is retried once. Nothing
 * ran in that case (marimo rejects an unknown id before executing anything).
 */
export class NotebookSession {
  readonly #ctx: SessionContext;
  readonly #selector: SessionSelector;
  #info: SessionInfo;
  readonly #handles = new HandleSet();
  #screenshotter: Screenshotter | undefined;

  /** @internal Use `client.session()`. */
  constructor(ctx: SessionContext, selector: SessionSelector, info: SessionInfo) {
    this.#ctx = ctx;
    this.#selector = selector;
    this.#info = info;
  }

  /** The session as last resolved. */
  get info(): SessionInfo {
    return this.#info;
  }

  /** The routing id as last resolved (it may change when a browser reloads the notebook). */
  get sessionId(): string {
    return this.#info.sessionId;
  }

  /** The server's base URL. */
  get url(): string {
    return this.#ctx.http.baseUrl.href.replace(/\/$/, "");
  }

  /** @internal The client context, for extensions of the session (code mode, events). */
  protected get context(): SessionContext {
    return this.#ctx;
  }

  /**
   * Track `handle` here and in the client until the returned function is called. After
   * `close()` (of this session or of the client), a new handle is closed at once.
   */
  #track(handle: OpenHandle): () => void {
    const here = this.#handles.add(handle);
    const inClient = this.#ctx.handles.add(handle);
    return () => {
      here();
      inClient();
    };
  }

  /**
   * End everything this session object has in flight: executions (which interrupts their
   * runs, as an abort does), event streams, and the wait after an interrupted run. Resolves
   * once their connections are closed. Work started afterwards through this object is
   * aborted at once. The session itself stays open on the server (see `OwnedSession.close()`
   * for a session this client holds open). The screenshot browser, if one was started,
   * is closed too. Idempotent.
   */
  async close(): Promise<void> {
    await this.#handles.closeAll();
    const screenshotter = this.#screenshotter;
    this.#screenshotter = undefined;
    await screenshotter?.close();
  }

  /** Same as `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Look the session up again by its selector. */
  async refresh(options: SignalOptions = {}): Promise<SessionInfo> {
    const sessions = await this.#ctx.listSessions(options.signal);
    // A session chosen by id keeps its identity through its stable id when the server has one.
    const selector: SessionSelector =
      this.#selector.sessionId !== undefined && this.#info.stableId !== null ? { sessionId: this.#info.stableId } : this.#selector;
    this.#info = this.#ctx.select(sessions, selector);
    return this.#info;
  }

  /** Run `send` for the current session; on an unknown id, re-resolve once and retry. */
  #routed<T>(send: (info: SessionInfo) => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    return retryAfterReload(this.#info, send, {
      refresh: () => this.refresh({ signal }),
      sameSession: (before, after) => after.sessionId === before.sessionId && after.stableId === before.stableId,
    });
  }

  /**
   * Execute Python in the notebook's kernel (its scratchpad: notebook variables are readable,
   * new top-level names are discarded) and stream what it prints.
   *
   * The request starts immediately. The POST is never retried once marimo accepted it.
   * After an execution on this session was cut short (abort, timeout, `break`) through this
   * client, the next one first waits (at most 8 s) until the interrupted run has ended, so the
   * output it still flushes is not reported as the next execution's.
   *
   * On marimo < 0.23.16, whose concurrent executes on one session receive each other's
   * output, executions on a session run one at a time in call order (across this client's
   * session objects); a stream nobody reads holds its place until it is aborted.
   *
   * @example
   * ```ts
   * const run = nb.stream("import time\nfor i in range(3):\n    print(i); time.sleep(1)");
   * for await (const ev of run) if (ev.type === "stdout") process.stdout.write(ev.data);
   * ```
   */
  stream(code: string, options: ExecuteOptions = {}): ExecutionStream {
    if (typeof code !== "string") throw new TypeError("code must be a string");
    const http = this.#ctx.http;
    const turn = this.#queueTurn();
    const stream = new ExecutionStream(
      http.target("POST", "/api/kernel/execute"),
      async (signal) => {
        await turn.wait(signal);
        const settling = this.#ctx.interrupted.get(this.#key());
        if (settling !== undefined) await settledOrAborted(settling, signal);
        return this.#routed(
          (info) =>
            http.request("POST", "/api/kernel/execute", {
              json: { code },
              headers: executeHeaders(info),
              accept: "text/event-stream",
              signal,
              sessionId: info.stableId ?? info.sessionId,
            }),
          signal,
        );
      },
      options,
      () => this.#afterInterrupt(),
      () => this.#interruptInstead(),
    );
    const untrack = this.#track({
      close: async () => {
        stream.abort(new DOMException("The session was closed.", "AbortError"));
        // Not before the connection is closed (after an interrupt that may take up to 10 s).
        await stream.closed;
      },
    });
    // Tracked until its connection is closed, so that close() waits for a draining stream too.
    void stream.closed.then(untrack);
    turn.release(stream.ended);
    return stream;
  }

  /**
   * A place in this session's execution queue (shared by the client's session objects). On
   * marimo without `separateExecutes` an execution waits until the ones queued before it
   * have ended; on newer marimo it starts at once.
   */
  #queueTurn(): { wait(signal: AbortSignal): Promise<void>; release(ended: Promise<void>): void } {
    const key = this.#key();
    const queue = this.#ctx.executions;
    const queued = queue.get(key);
    const before = queued ?? Promise.resolve();
    let release!: (ended: Promise<void>) => void;
    const mine = new Promise<Promise<void>>((resolve) => (release = resolve));
    // Everything before, then this one's own end.
    const tail = before.then(() => mine).then((ended) => ended);
    queue.set(key, tail);
    void tail.then(() => {
      if (queue.get(key) === tail) queue.delete(key);
    });
    return {
      wait: async (signal) => {
        // Nothing ahead of it: no need to know the version (no extra request).
        if (queued === undefined) return;
        const version = await this.#ctx.version(signal);
        if (!hasFeature(version, "separateExecutes")) await settledOrAborted(before, signal);
      },
      release,
    };
  }

  /** The key of this session in the client's shared state. */
  #key(): string {
    return this.#info.stableId ?? this.#info.sessionId;
  }

  /**
   * On marimo 0.23.14–0.25.0, which interrupts the kernel twice when an execute's connection
   * drops (the second interrupt can cut cleanup short or hang the kernel), stop a run cut
   * short with one interrupt of our own; the stream then reads on to marimo's `done` before
   * it closes. Elsewhere (or when the interrupt fails) the stream just closes the connection.
   */
  async #interruptInstead(): Promise<boolean> {
    const version = await this.#ctx.version().catch(() => undefined);
    if (version === undefined || !interruptsTwiceOnDrop(version)) return false;
    await this.interrupt();
    return true;
  }

  /** Remember to let an interrupted run end before the next execution on this session starts. */
  #afterInterrupt(): void {
    const key = this.#key();
    const stop = AbortSignal.any([this.#handles.signal, this.#ctx.handles.signal]);
    const settling = waitUntilNotRunning((signal) => this.status({ signal }), undefined, stop).then((state) => {
      if (this.#ctx.interrupted.get(key) === settling) this.#ctx.interrupted.delete(key);
      return state;
    });
    this.#ctx.interrupted.set(key, settling);
  }

  /**
   * @internal The wait for a run this client cut short on this session, while it lasts: it
   * resolves with the kernel state it ended on (`running` when its 8 s limit came first).
   */
  interruptedRun(): Promise<KernelState | undefined> | undefined {
    return this.#ctx.interrupted.get(this.#key());
  }

  /**
   * Execute Python and wait for the aggregate result. A Python exception is data
   * (`success: false`, traceback in `stderr`) unless `throwOnError` is set.
   *
   * @throws {ExecutionError} when the code fails and `throwOnError` is set.
   * @throws {StreamIncompleteError} when the stream ends before `done`.
   * @throws {TimeoutError} when `timeoutMs` or `idleTimeoutMs` expires.
   * @example
   * ```ts
   * const r = await nb.execute("1 + 1");
   * r.output; // { mimetype: "text/html", data: "<pre class='text-xs'>2</pre>" }
   * ```
   */
  execute(code: string, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    return this.stream(code, options).result();
  }

  /**
   * The kernel's state: `running` while a cell is queued or running, `idle`, or `stopped`
   * when the kernel process has exited.
   *
   * @throws {UnsupportedVersionError} on marimo < 0.23.9.
   */
  async status(options: SignalOptions = {}): Promise<KernelState> {
    const version = await this.#ctx.version(options.signal);
    if (!isAtLeast(version, FEATURE_SINCE.kernelStatus)) {
      throw new UnsupportedVersionError("Kernel status", version, FEATURE_SINCE.kernelStatus);
    }
    const body = await this.#routed(
      (info) =>
        this.#ctx.http.json("GET", "/api/kernel/status", KernelStatusResponseSchema, {
          headers: { "Marimo-Session-Id": info.sessionId },
          signal: options.signal,
          sessionId: info.sessionId,
        }),
      options.signal,
    );
    return body.state;
  }

  /**
   * Watch the notebook live: cell status, output and console changes, cells created, edited,
   * moved or deleted (by the person in the browser or by code), `kernel_ready`, alerts and
   * banners, completed runs. Unknown notifications come through as `{ type: "other", op, data }`.
   *
   * Attaching is read-only: the watcher joins the session as a viewer (marimo's kiosk mode),
   * so a person's browser keeps editing and an orphaned session is not taken over or renamed.
   * On (re)connection marimo first sends `kernel-ready` and replays the current cell states.
   * A stream that ends without a `close` event is reconnected; a `close` (e.g. 1000
   * `MARIMO_SHUTDOWN` after a restart) is yielded as a final `closed` event. `abort()`,
   * `close()`, aborting `signal`, leaving the loop, or closing this session or its client
   * ends the stream without an error, closes its connection and clears its timers.
   *
   * @throws {UnsupportedVersionError} on marimo < 0.23.14.
   * @throws {SessionOpenError} when marimo refuses the first connection (e.g. the session is gone).
   * @example
   * ```ts
   * const events = nb.events();
   * setTimeout(() => events.abort(), 60_000);
   * for await (const ev of events) {
   *   if (ev.type === "cell" && ev.status !== null) console.log(ev.cellId, ev.status);
   *   if (ev.type === "document") console.log(ev.source, ev.changes);
   * }
   * ```
   */
  events(options: EventsOptions = {}): NotebookEvents {
    let untrack: () => void = () => undefined;
    const events = new NotebookEvents(
      (signal) => watchLazily(this.#ctx, () => this.#info, { ...options, signal }),
      options.signal,
      () => untrack(),
    );
    untrack = this.#track(events);
    return events;
  }

  /**
   * Interrupt the kernel (like the stop button): a running cell or execution stops with
   * `KeyboardInterrupt`. Fetches marimo's skew token from the notebook page when needed.
   * When `status()` still says `running` seconds later, the kernel may be stuck: marimo
   * 0.25.2 can deadlock when the interrupt lands inside `print`, and only `restart()` recovers.
   *
   * @example
   * ```ts
   * const run = nb.execute("while True: pass");
   * await nb.interrupt();
   * (await run).success; // false
   * ```
   */
  async interrupt(options: SignalOptions = {}): Promise<void> {
    await this.#routed((info) => interruptKernel(this.#ctx, info, options.signal), options.signal);
  }

  /**
   * Restart: marimo closes the session and shuts its kernel down (variables are gone) and
   * resolves once marimo no longer lists it. Every connection to it is closed with
   * `MARIMO_SHUTDOWN`; a browser shows "kernel not found" until the person reloads the
   * page, which starts a fresh session with a new id. Without a browser, open a fresh one
   * with `client.openSession({ file })`; this object then finds it by file.
   */
  async restart(options: SignalOptions = {}): Promise<void> {
    await this.#routed((info) => restartSession(this.#ctx, info, options.signal), options.signal);
  }

  /**
   * The image of an output (from `execute()` or a cell event) as bytes: decoded from a data
   * URL, or downloaded when marimo serves it as a virtual file (as for `mo.image(...)`).
   *
   * @returns undefined when the output holds no image.
   */
  readImage(output: OutputLike, options: SignalOptions = {}): Promise<InlineImage | undefined> {
    return readOutputImage(this.#ctx, output, options.signal);
  }

  /**
   * What the server's marimo can do for this SDK: its version, each feature of the capability
   * table (see the README's compatibility table) and whether it works here, and marimo's own
   * `marimo._code_mode.capabilities()` (`null` on marimo < 0.24.0). Features a version lacks
   * are refused up front with {@link UnsupportedVersionError}, naming the first version that has them.
   *
   * @example
   * ```ts
   * const caps = await nb.capabilities();
   * if (!caps.features.sseSessions) console.log(`marimo ${caps.marimoVersion} has no live events`);
   * ```
   */
  async capabilities(options: SignalOptions = {}): Promise<MarimoCapabilities> {
    const version = await this.#ctx.version(options.signal);
    return readCapabilities(version, (code, execOptions) => this.execute(code, execOptions), options.signal);
  }

  /** The server's marimo version (cached by the client); code mode generates Python for it. */
  marimoVersion(options: SignalOptions = {}): Promise<string> {
    return this.#ctx.version(options.signal);
  }

  /**
   * Apply a code-mode plan: one batch, atomic — marimo validates it first (syntax,
   * multiply-defined names, cycles, cells changed since they were read) and applies
   * nothing if it refuses. Console output of the cells it runs streams through `onEvent`.
   * A cell that raises at run time is data in the result (`failed`, `cells`), not an error.
   *
   * @throws {StaleCellsError} when a cell changed since it was last read (nothing applied).
   * @throws {NotebookValidationError} for syntax errors, multiply-defined names or cycles (nothing applied).
   * @throws {ApplyFailedError} when marimo refused the batch for another reason.
   * @throws {UnsupportedVersionError} when the plan uses something the server's marimo lacks.
   * @example
   * ```ts
   * const plan = codeMode((b) => {
   *   const data = b.createCell("df = load()", { hideCode: false });
   *   b.runCell(data);
   *   return { data };
   * });
   * const result = await nb.apply(plan);
   * console.log(result.idOf(plan.value.data), result.cells);
   * ```
   */
  async apply(plan: CodeModePlan<unknown>, options: ApplyOptions = {}): Promise<ApplyResult> {
    const { applyPlan } = await loadApply();
    return applyPlan(this, plan, options);
  }

  /**
   * Build a plan and apply it in one call: `nb.edit(build)` is `nb.apply(codeMode(build))`.
   *
   * @example
   * ```ts
   * await nb.edit((b) => b.runCell(b.createCell("print('hi')")));
   * ```
   */
  async edit(build: (builder: CodeModeBuilder) => unknown, options: CodeModeOptions & ApplyOptions = {}): Promise<ApplyResult> {
    const { codeMode } = await loadPlan();
    const { skipValidation, skipStalenessCheck, ...applyOptions } = options;
    const planOptions: CodeModeOptions = {};
    if (skipValidation !== undefined) planOptions.skipValidation = skipValidation;
    if (skipStalenessCheck !== undefined) planOptions.skipStalenessCheck = skipStalenessCheck;
    return this.apply(codeMode(build, planOptions), applyOptions);
  }

  /**
   * The notebook's cells in order: id, name, code, config, status, errors, and (marimo ≥
   * 0.23.7) output and console. Reading the code counts as "read before write" for marimo's
   * staleness guard, so cells read here can be edited by the next plan.
   *
   * @example
   * ```ts
   * for (const cell of await nb.cells()) console.log(cell.id, cell.status, cell.code);
   * ```
   */
  async cells(options: ReadCellsOptions = {}): Promise<CellSnapshot[]> {
    const { readCells } = await loadReads();
    return readCells(this, options);
  }

  /** One cell by id or name (or `{ id }` / `{ name }`), or undefined. Counts as a read of its code. */
  async cell(target: string | { id: string } | { name: string }, options: ReadCellsOptions = {}): Promise<CellSnapshot | undefined> {
    const { readCell } = await loadReads();
    return readCell(this, target, options);
  }

  /** The dependency graph: defs and refs per cell (walk it with `ancestors` / `descendants`). Not a read of code. */
  async graph(options: CodeModeCallOptions = {}): Promise<NotebookGraph> {
    const { readGraph } = await loadReads();
    return readGraph(this, options);
  }

  /** The notebook's variables: name, type, short repr, defining cell. Not a read of code. */
  async variables(options: CodeModeCallOptions = {}): Promise<VariableInfo[]> {
    const { readVariables } = await loadReads();
    return readVariables(this, options);
  }

  /** The packages installed in the kernel's environment (name, version). */
  async packages(options: CodeModeCallOptions = {}): Promise<PackageInfo[]> {
    const { readPackages } = await loadReads();
    return readPackages(this, options);
  }
  /**
   * A PNG of one cell's rendered output, as a person sees it: a chart once it has drawn, a
   * table, a widget, or the error a cell raised. A local headless Chromium or Chrome (through
   * the optional package `playwright-core`; no browser is ever downloaded) opens the notebook
   * as a read-only kiosk viewer: the person's session is not taken over and no cell runs.
   * The browser starts on the first call and stays open for the next ones until `close()`.
   *
   * @param target the cell's id or name (or `{ id }` / `{ name }`).
   * @throws {ScreenshotError} `no_output` (the cell shows nothing), `cell_not_found`,
   *   `browser_not_found` (says how to install one), `playwright_missing`, `screenshot_failed`.
   * @example
   * ```ts
   * const shot = await nb.screenshot("chart", { scale: 2 });
   * await writeFile("chart.png", shot.bytes); // shot.width × shot.height pixels
   * ```
   */
  async screenshot(target: ScreenshotTarget, options: ScreenshotOptions = {}): Promise<Screenshot> {
    const [shot] = await this.screenshots([target], options);
    return shot as Screenshot;
  }

  /**
   * PNGs of several cells' outputs in one browser visit, in the order asked; without
   * `targets`, of every cell that shows an output, in notebook order. See {@link screenshot}.
   *
   * @throws {ScreenshotError} as {@link screenshot} does, for the first cell that fails.
   */
  async screenshots(targets?: readonly ScreenshotTarget[], options: ScreenshotOptions = {}): Promise<Screenshot[]> {
    if (this.#screenshotter === undefined) {
      // Loaded on first use: sessions that never take a screenshot do not load its code.
      const { Screenshotter } = await import("../outputs/screenshotter.js");
      this.#screenshotter ??= new Screenshotter(this.#ctx, () => this.#info);
    }
    return this.#screenshotter.capture(targets, options);
  }
}
