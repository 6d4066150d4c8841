/**
 * {@link McpNotebookSession}: one notebook reached through marimo's own MCP server.
 *
 * @module
 */
import { DEFAULT_MAX_OUTPUT_BYTES } from "../../execute/stream.js";
import type { ExecuteEvent } from "../../execute/events.js";
import { ExecutionError, HttpError, type RequestTarget, SessionNotFoundError, TimeoutError } from "../../errors.js";
import { retryAfterReload } from "../../session/reload-retry.js";
import type { SessionInfo, SessionSelector } from "../../session/types.js";
import { parseWire } from "../../schemas/parse.js";
import { type McpExecuteResult, toExecuteResult } from "./result.js";
import { McpExecutionSchema } from "./wire.js";

/** marimo's fixed limit for one `execute_code` call (`EXECUTION_TIMEOUT` in `marimo/_server/scratchpad.py`). */
export const MARIMO_MCP_EXECUTION_LIMIT_MS = 30_000;

/**
 * The default {@link McpExecuteOptions.timeoutMs}: marimo answers within its 30 s limit once
 * the code starts, but first waits for the notebook's scratchpad to be free.
 */
export const DEFAULT_MCP_EXECUTE_TIMEOUT_MS = 120_000;

/** Options of {@link McpNotebookSession.execute}. */
export interface McpExecuteOptions {
  /**
   * Stops waiting; the call rejects with `signal.reason`. marimo is told the request was
   * cancelled but does **not** interrupt the kernel: the code may go on running.
   */
  signal?: AbortSignal | undefined;
  /**
   * How long to wait for marimo's answer, in ms ({@link TimeoutError} with `timer: "total"`).
   * The kernel is not interrupted. marimo itself gives up after 30 s of running.
   * @default 120000
   */
  timeoutMs?: number | undefined;
  /**
   * Most UTF-8 bytes of stdout plus stderr kept in the result; `truncated` is set when cut.
   * @default 8388608 (8 MiB)
   */
  maxOutputBytes?: number | undefined;
  /** Reject with {@link ExecutionError} when the code fails, instead of resolving with `success: false`. @default false */
  throwOnError?: boolean | undefined;
  /**
   * Called with the events of the result — all at once when marimo answers, because its MCP
   * server does not stream: stdout, stderr, then `done`.
   */
  onEvent?: ((event: ExecuteEvent) => void) | undefined;
}

/** What a session needs from its {@link MarimoMcpClient}. */
export interface McpSessionContext {
  /** The MCP endpoint (for messages). */
  readonly endpoint: string;
  /** The server's base URL. */
  readonly url: string;
  /** Call one of marimo's MCP tools; resolves with its structured result. */
  call(name: string, args: Record<string, unknown>, options: { signal?: AbortSignal | undefined; timeoutMs: number }): Promise<unknown>;
  /** The sessions marimo's MCP server lists. */
  listSessions(signal?: AbortSignal): Promise<SessionInfo[]>;
  /** Pick one session (throws the selection errors). */
  select(sessions: readonly SessionInfo[], selector: SessionSelector): SessionInfo;
  /** The server's marimo version (over HTTP: marimo's MCP server does not report it). */
  version(signal?: AbortSignal): Promise<string>;
}

const NOT_FOUND = /^Session '(.*)' not found\b/;
const TIMED_OUT = /timed out after ([\d.]+)\s*s/i;

/**
 * A notebook session reached through marimo's MCP server (`marimo edit --mcp code-mode`).
 * It runs code like `NotebookSession.execute` and returns the same `ExecuteResult`
 * fields, with these differences, all marimo's:
 *
 * - **no streaming**: marimo answers once the code finished; `onEvent` sees every event at the end;
 * - **a fixed 30 s limit**: after 30 s marimo stops waiting and this rejects with a
 *   {@link TimeoutError}, but **the kernel is not interrupted** — the code goes on running
 *   (neither does a `signal` or `timeoutMs` interrupt it);
 * - tracebacks arrive as highlighted HTML and are turned back into plain text here.
 *
 * It also satisfies code mode's executor, so `applyPlan` and the `read*` functions work
 * through it (within the 30 s limit).
 */
export class McpNotebookSession {
  readonly #ctx: McpSessionContext;
  readonly #selector: SessionSelector;
  #info: SessionInfo;

  /** @internal Use `client.session()`. */
  constructor(ctx: McpSessionContext, selector: SessionSelector, info: SessionInfo) {
    this.#ctx = ctx;
    this.#selector = selector;
    this.#info = info;
  }

  /** The session as last resolved. */
  get info(): SessionInfo {
    return this.#info;
  }

  /** The session id marimo's MCP server knows it by (changes when a browser reloads the notebook). */
  get sessionId(): string {
    return this.#info.sessionId;
  }

  /** The server's base URL. */
  get url(): string {
    return this.#ctx.url;
  }

  /** Look the session up again by its selector. */
  async refresh(options: { signal?: AbortSignal | undefined } = {}): Promise<SessionInfo> {
    this.#info = this.#ctx.select(await this.#ctx.listSessions(options.signal), this.#selector);
    return this.#info;
  }

  /** The server's marimo version (asked over HTTP once, then cached). */
  marimoVersion(options: { signal?: AbortSignal | undefined } = {}): Promise<string> {
    return this.#ctx.version(options.signal);
  }

  /**
   * Execute Python in the notebook's scratchpad through marimo's `execute_code` tool. A
   * Python exception is data (`success: false`, traceback in `stderr`) unless
   * `throwOnError` is set.
   *
   * @throws {TimeoutError} when marimo's 30 s limit or `timeoutMs` expires (the kernel is not interrupted).
   * @throws {SessionNotFoundError} when marimo no longer knows the session and it cannot be found again.
   * @throws {ExecutionError} when the code fails and `throwOnError` is set.
   * @example
   * ```ts
   * const r = await nb.execute("print('hi')\n1 + 1");
   * r.stdout; // "hi\n"
   * r.output; // { mimetype: "text/html", data: "<pre class='text-xs'>2</pre>" }
   * ```
   */
  async execute(code: string, options: McpExecuteOptions = {}): Promise<McpExecuteResult> {
    if (typeof code !== "string") throw new TypeError("code must be a string");
    // A browser reload re-keys the session; a session chosen by its id is not looked up again.
    const result = await retryAfterReload(this.#info, (info) => this.#executeOnce(info, code, options), {
      refresh: () => this.refresh({ signal: options.signal }),
      sameSession: (before, after) => after.sessionId === before.sessionId,
      enabled: this.#selector.sessionId === undefined,
    });
    if (options.onEvent !== undefined) {
      if (result.stdout !== "") options.onEvent({ type: "stdout", data: result.stdout });
      if (result.stderr !== "") options.onEvent({ type: "stderr", data: result.stderr });
      options.onEvent({ type: "done", success: result.success, output: result.output });
    }
    if (!result.success && options.throwOnError === true) throw new ExecutionError(result.stdout, result.stderr);
    return result;
  }

  async #executeOnce(info: SessionInfo, code: string, options: McpExecuteOptions): Promise<McpExecuteResult> {
    const target: RequestTarget = { method: "MCP execute_code", url: this.#ctx.endpoint };
    const raw = await this.#ctx.call(
      "execute_code",
      { session_id: info.sessionId, code },
      { signal: options.signal, timeoutMs: options.timeoutMs ?? DEFAULT_MCP_EXECUTE_TIMEOUT_MS },
    );
    const execution = parseWire(McpExecutionSchema, raw, "MCP execute_code result");
    const error = execution.error ?? null;
    if (error !== null) {
      if (NOT_FOUND.test(error)) {
        throw new SessionNotFoundError({ request: target, status: 200, detail: error }, info.sessionId);
      }
      const timedOut = TIMED_OUT.exec(error);
      if (timedOut !== null) {
        throw new TimeoutError(
          "total",
          Math.round(Number(timedOut[1]) * 1000) || MARIMO_MCP_EXECUTION_LIMIT_MS,
          target,
          "marimo's MCP server stopped waiting, but it does not interrupt the kernel: the code may still be running. " +
            "Use the HTTP transport (connect(...).session(...).execute) for long runs; it streams and interrupts.",
        );
      }
      throw new HttpError({ request: target, status: 200, detail: error });
    }
    return toExecuteResult(execution, options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES);
  }
}
