/**
 * The CLI's window on the outside world: output streams, environment, stdin and
 * Ctrl-C. Commands receive a {@link CliIo} instead of touching `process`, so unit
 * tests can run them in memory.
 *
 * @module
 */

/** A text sink that honours back-pressure. */
export interface CliOutput {
  /** Write text; resolves once the sink accepted it (waits for `drain` when needed). */
  write(text: string): Promise<void>;
}

/** Everything a command may use besides the network and the file system. */
export interface CliIo {
  /** Where results go. */
  readonly stdout: CliOutput;
  /** Where diagnostics, warnings and errors go. */
  readonly stderr: CliOutput;
  /** The environment (read-only view). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** True when stdin is a terminal (nothing piped in). */
  readonly stdinIsTTY: boolean;
  /** Read all of stdin as UTF-8. */
  readStdin(): Promise<string>;
  /** Call `handler` on Ctrl-C (SIGINT) instead of dying; returns a function that removes it. */
  onInterrupt(handler: () => void): () => void;
}

interface NodeWritable {
  write(chunk: string): boolean;
  once(event: "drain" | "error" | "close", listener: () => void): unknown;
}

/** Adapt a Node writable stream to {@link CliOutput}. */
export function nodeOutput(stream: NodeWritable): CliOutput {
  return {
    write(text) {
      if (text === "") return Promise.resolve();
      if (stream.write(text)) return Promise.resolve();
      return new Promise((resolve) => {
        // A closed pipe (e.g. `| head`) must not hang the command.
        stream.once("drain", resolve);
        stream.once("error", resolve);
        stream.once("close", resolve);
      });
    },
  };
}

/** Exit status when the reader of our output went away (128 + SIGPIPE), as a shell reports it. */
const BROKEN_PIPE_STATUS = 141;

/**
 * The real process: `process.stdout`, `process.stderr`, `process.env`, `process.stdin`.
 * When the reader of stdout goes away (`marimo-pair exec ... | head -1`), the process
 * ends the way a Unix tool ends on SIGPIPE; a running execution is then cut, which
 * interrupts the kernel.
 */
export function processIo(): CliIo {
  const onBrokenPipe = (error: NodeJS.ErrnoException): void => {
    if (error.code === "EPIPE") process.exit(BROKEN_PIPE_STATUS);
    throw error;
  };
  process.stdout.on("error", onBrokenPipe);
  process.stderr.on("error", onBrokenPipe);
  return {
    stdout: nodeOutput(process.stdout),
    stderr: nodeOutput(process.stderr),
    env: process.env,
    // Asked only when a command needs it: `process.stdin` builds a stream (several ms of a
    // short call), and `isatty` does not.
    get stdinIsTTY() {
      return (process.getBuiltinModule("node:tty") as typeof import("node:tty")).isatty(0);
    },
    async readStdin() {
      process.stdin.setEncoding("utf8");
      let text = "";
      for await (const chunk of process.stdin) text += String(chunk);
      return text;
    },
    onInterrupt(handler) {
      process.on("SIGINT", handler);
      return () => process.off("SIGINT", handler);
    },
  };
}
