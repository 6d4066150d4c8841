import type { CliIo } from "../../../src/cli/io.js";

/** An in-memory {@link CliIo} for unit tests. */
export interface MemoryIo extends CliIo {
  out(): string;
  err(): string;
  interrupt(): void;
}

export function memoryIo(options: { env?: Record<string, string>; stdin?: string; stdinIsTTY?: boolean } = {}): MemoryIo {
  let out = "";
  let err = "";
  const handlers = new Set<() => void>();
  return {
    stdout: { write: async (t) => void (out += t) },
    stderr: { write: async (t) => void (err += t) },
    env: options.env ?? {},
    stdinIsTTY: options.stdinIsTTY ?? options.stdin === undefined,
    readStdin: async () => options.stdin ?? "",
    onInterrupt(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    out: () => out,
    err: () => err,
    interrupt: () => handlers.forEach((h) => h()),
  };
}
