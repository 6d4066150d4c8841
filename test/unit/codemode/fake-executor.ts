/**
 * A scripted executor: answers each execution with a result document (or raw output) built
 * from the nonce found in the generated code, streaming stdout in small chunks.
 */
import type { CodeModeExecutor } from "../../../src/codemode.js";
import type { CodeModeExecuteOptions, CodeModeExecution } from "../../../src/codemode/executor.js";
import { endMarker, startMarker } from "../../../src/codemode/envelope.js";

/** What one scripted execution prints. */
export interface Scripted {
  /** The document to print between the markers (omit to print none). */
  document?: unknown;
  /** User stdout before the document. */
  before?: string;
  /** stderr. */
  stderr?: string;
  /** done.success. */
  success?: boolean;
}

/** The nonce a generated program prints its markers with. */
export function nonceOf(code: string): string {
  const match = /_mp_emit\('([A-Za-z0-9_-]+)'|_mp_nonce = '([A-Za-z0-9_-]+)'/.exec(code);
  const nonce = match?.[1] ?? match?.[2];
  if (nonce === undefined) throw new Error("no nonce in the generated code");
  return nonce;
}

/** An executor answering with `script(code)`; records the code it was given. */
export function fakeExecutor(script: (code: string) => Scripted, version = "0.25.2"): CodeModeExecutor & { codes: string[] } {
  const codes: string[] = [];
  return {
    codes,
    async marimoVersion() {
      return version;
    },
    async execute(code: string, options: CodeModeExecuteOptions = {}): Promise<CodeModeExecution> {
      codes.push(code);
      const answer = script(code);
      const nonce = nonceOf(code);
      const block =
        answer.document === undefined ? "" : `\n${startMarker(nonce)}\n${JSON.stringify(answer.document)}\n${endMarker(nonce)}\n`;
      const stdout = (answer.before ?? "") + block;
      for (let i = 0; i < stdout.length; i += 5) options.onEvent?.({ type: "stdout", data: stdout.slice(i, i + 5) });
      if (answer.stderr) options.onEvent?.({ type: "stderr", data: answer.stderr });
      const success = answer.success ?? true;
      options.onEvent?.({ type: "done", success });
      return { success, stdout, stderr: answer.stderr ?? "" };
    },
  };
}

/** A successful batch document with defaults. */
export function okDocument(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ok: true, created: {}, edited: [], deleted: [], moved: [], ran: [], ui: [], packages: [], cells: [], ...extra };
}

/** A failed batch document. */
export function failedDocument(error: Record<string, unknown>): Record<string, unknown> {
  return okDocument({ ok: false, error: { type: "RuntimeError", message: "m", phase: "apply", traceback: "tb", ...error } });
}
