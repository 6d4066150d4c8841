/**
 * The target options of a command (`--url`, `--token`, `--file`, `--session`), read from
 * its arguments, and the token and session selector they describe.
 *
 * @module
 */
import type { MarimoClient } from "../session/client.js";
import type { NotebookSession } from "../session/notebook.js";
import type { SessionSelector } from "../session/types.js";
import { stringOption, UsageError } from "./argv.js";
import type { CliIo } from "./io.js";
import type { ParsedArgs } from "./spec.js";

/** The target options of a command. */
export interface TargetOptions {
  /** `--url`. */
  url: string | undefined;
  /** `--token` (MARIMO_TOKEN is read separately, see {@link tokenOf}). */
  token: string | undefined;
  /** `--file`. */
  file: string | undefined;
  /** `--session`. */
  session: string | undefined;
}

/**
 * Read the target options of `command`.
 *
 * @throws {UsageError} when `--file` and `--session` are both given, or a value is empty.
 */
export function readTargetOptions(args: ParsedArgs, command: string): TargetOptions {
  const options: TargetOptions = {
    url: stringOption(args, "url"),
    token: stringOption(args, "token"),
    file: stringOption(args, "file"),
    session: stringOption(args, "session"),
  };
  if (options.file !== undefined && options.session !== undefined) {
    throw new UsageError("--file and --session exclude each other: select the notebook one way", command);
  }
  for (const name of ["url", "file", "session"] as const) {
    if (options[name] === "") throw new UsageError(`--${name} needs a non-empty value`, command);
  }
  return options;
}

/** The token to send: `--token` when given, else `MARIMO_TOKEN`; empty means none. */
export function tokenOf(options: Pick<TargetOptions, "token">, env: CliIo["env"]): string | undefined {
  const token = options.token ?? env["MARIMO_TOKEN"];
  return token === undefined || token === "" ? undefined : token;
}

/** The session selector the options describe. */
export function selectorOf(options: Pick<TargetOptions, "file" | "session">): SessionSelector {
  if (options.session !== undefined) return { sessionId: options.session };
  if (options.file !== undefined) return { file: options.file };
  return {};
}

/** A notebook session and the server it lives on. */
export interface ResolvedNotebook {
  /** The server's base URL. */
  url: string;
  /** The client of that server. */
  client: MarimoClient;
  /** The selected session. */
  notebook: NotebookSession;
  /** True when this command opened the session (`marimo-pair open`). */
  opened: boolean;
}
