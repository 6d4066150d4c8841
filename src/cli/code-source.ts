/**
 * Where `exec` takes its code from: `-c CODE`, a file, `-` (stdin), or piped stdin.
 *
 * @module
 */
import { UsageError } from "./argv.js";
import type { CliIo } from "./io.js";

/** The chosen origin of the code. */
export type CodeSource =
  | { kind: "inline"; code: string }
  | { kind: "file"; path: string }
  | { kind: "stdin" };

/**
 * Decide where the code comes from. `-c` and a positional argument exclude each other;
 * with neither, stdin is used when it is not a terminal.
 *
 * @throws {UsageError} when the code is given twice or not at all.
 */
export function chooseCodeSource(
  inline: string | undefined,
  positional: string | undefined,
  stdinIsTTY: boolean | (() => boolean),
): CodeSource {
  if (inline !== undefined && positional !== undefined) {
    throw new UsageError(`give the code once: -c CODE, a FILE, or - for stdin (got -c and '${positional}')`, "exec");
  }
  if (inline !== undefined) return { kind: "inline", code: inline };
  if (positional === "-") return { kind: "stdin" };
  if (positional !== undefined) return { kind: "file", path: positional };
  if (!(typeof stdinIsTTY === "function" ? stdinIsTTY() : stdinIsTTY)) return { kind: "stdin" };
  throw new UsageError("no code given: pass -c CODE, a FILE, or - (or pipe the code on stdin)", "exec");
}

/**
 * Read the code from its source, unchanged (no trimming, no decoding beyond UTF-8).
 *
 * @throws {UsageError} when the file cannot be read.
 */
export async function readCode(source: CodeSource, io: CliIo): Promise<string> {
  switch (source.kind) {
    case "inline":
      return source.code;
    case "stdin":
      return io.readStdin();
    case "file":
      try {
        return await process.getBuiltinModule("node:fs/promises").readFile(source.path, "utf8");
      } catch (error) {
        const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
        throw new UsageError(`cannot read the code file '${source.path}' (${reason})`, "exec");
      }
  }
}
