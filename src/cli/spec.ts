/**
 * The shape of a command's description: its options (for parsing) and its help
 * text. Specs are plain data, so `--help` never loads a command's code.
 *
 * @module
 */

/** One option of a command. */
export interface OptionSpec {
  /** `string` options take the next argument verbatim (even one starting with `-`). */
  type: "string" | "boolean";
  /** One-letter alias, e.g. `c` for `-c`. */
  short?: string;
  /** A string option that may be given several times (all values land in {@link ParsedArgs.repeated}). */
  repeatable?: boolean;
}

/** A subcommand: name, one-line summary, options and help. */
export interface CommandSpec {
  /** The word after `marimo-pair`. */
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Options by long name. `help` (`-h`) is added to every command. */
  options: Record<string, OptionSpec>;
  /** How many positional arguments the command accepts. */
  maxPositionals: number;
  /** The full `--help` text. */
  help: string;
}

/** What {@link CommandSpec} parsing produced. */
export interface ParsedArgs {
  /** Option values by long name: a string, `true` for a boolean flag, absent when not given. */
  values: Record<string, string | true>;
  /** Positional arguments, in order. */
  positionals: string[];
  /** Every value of each `repeatable` option that was given, in order. */
  repeated?: Record<string, string[]>;
}

/** Options every command understands. */
export const COMMON_OPTIONS = {
  help: { type: "boolean", short: "h" },
} as const satisfies Record<string, OptionSpec>;

/** Options of the commands that talk to one notebook session. */
export const TARGET_OPTIONS = {
  url: { type: "string" },
  token: { type: "string" },
  file: { type: "string" },
  session: { type: "string" },
} as const satisfies Record<string, OptionSpec>;

/** Help lines for {@link TARGET_OPTIONS}, shared by the commands that use them. */
export const TARGET_HELP = `Choosing the notebook:
  --url URL        the marimo server, e.g. http://127.0.0.1:2718 (with its --base-url
                   prefix, if any). Without it, every running server found by discovery
                   is searched, and the notebook must be the only match on all of them.
  --file PATH      the notebook's session, by path (absolute, relative to the server's
                   directory, or a bare file name). Looked up on every call, so it
                   survives browser reloads. Preferred over --session.
  --session ID     the session with this id (ids change when a browser reloads).
                   Without --file and --session, exactly one notebook may be open (on
                   any server).
  --token TOKEN    the server's token, for servers started without --no-token. Prefer the
                   MARIMO_TOKEN environment variable: arguments are visible to other users
                   in \`ps\`.`;
