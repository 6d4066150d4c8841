/**
 * The minimal view of a notebook session that code mode needs: execute Python in the
 * scratchpad and tell the marimo version. `NotebookSession` satisfies it; tests and other
 * runtimes can supply their own.
 *
 * @module
 */

/** A console or completion event of an execution (a subset of the session's events). @inline */
export type CodeModeEvent =
  | { readonly type: "stdout" | "stderr"; readonly data: string }
  | { readonly type: "done"; readonly success: boolean };

/** Options code mode passes to {@link CodeModeExecutor.execute}. @inline */
export interface CodeModeExecuteOptions {
  /** Cancels the execution. */
  signal?: AbortSignal | undefined;
  /** Limit for the whole execution, in ms. */
  timeoutMs?: number | undefined;
  /** Limit for silence between events, in ms. */
  idleTimeoutMs?: number | undefined;
  /** Called with every event as it arrives. */
  onEvent?: ((event: CodeModeEvent) => void) | undefined;
}

/** The aggregate of an execution. @inline */
export interface CodeModeExecution {
  /** False when the code, or a cell it ran, raised. */
  success: boolean;
  /** Everything printed to stdout. */
  stdout: string;
  /** Everything printed to stderr. */
  stderr: string;
}

/** What code mode needs from a session. */
export interface CodeModeExecutor {
  /** Execute Python in the notebook's scratchpad. A Python exception must resolve with `success: false`. */
  execute(code: string, options?: CodeModeExecuteOptions): Promise<CodeModeExecution>;
  /** The server's marimo version (for example `0.25.2`). */
  marimoVersion(options?: { signal?: AbortSignal | undefined }): Promise<string>;
}

/** Options shared by `applyPlan` and the read functions. */
export interface CodeModeCallOptions {
  /** Cancels the call; it rejects with `signal.reason` (marimo interrupts the kernel). */
  signal?: AbortSignal | undefined;
  /** Limit for the whole execution, in ms. @default undefined (none) */
  timeoutMs?: number | undefined;
  /** Limit for silence between events, in ms. @default undefined (none) */
  idleTimeoutMs?: number | undefined;
  /**
   * The marimo version to generate code for, instead of asking the executor.
   * @default undefined (ask `executor.marimoVersion()`)
   */
  marimoVersion?: string | undefined;
  /**
   * @internal Fixed nonce for the result markers (tests only).
   * @default undefined (a fresh random nonce)
   */
  nonce?: string | undefined;
}

/** The version to generate code for. */
export async function versionFor(executor: CodeModeExecutor, options: CodeModeCallOptions): Promise<string> {
  return options.marimoVersion ?? (await executor.marimoVersion({ signal: options.signal }));
}
