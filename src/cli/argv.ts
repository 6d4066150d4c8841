/**
 * Argument parsing over Node's `util.parseArgs`, with the strictness done here so a
 * string option always takes the next argument verbatim (Python code may start with
 * `-`) and mistakes get messages that name the command.
 *
 * @module
 */
import { ErrorCode, MarimoPairError } from "../errors.js";
import { COMMON_OPTIONS, type CommandSpec, type OptionSpec, type ParsedArgs } from "./spec.js";

/** A mistake on the command line; the CLI prints it with a pointer to `--help` and exits 2. */
export class UsageError extends MarimoPairError {
  /** The command whose usage was wrong, or undefined for the top level. */
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    super(ErrorCode.UsageError, message);
    this.command = command;
  }
}

function display(name: string, spec: OptionSpec | undefined, raw: string): string {
  return raw.startsWith("--") || spec === undefined ? `--${name}` : raw;
}

/**
 * Parse `argv` (the arguments after the command name) against `spec`.
 *
 * @throws {UsageError} for an unknown option, a missing value, a value given to a flag,
 * or too many positional arguments.
 */
export function parseCommandArgs(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const options: Record<string, OptionSpec> = { ...spec.options, ...COMMON_OPTIONS };
  // Through getBuiltinModule: an ESM import of node:util reads all its exports (~6 ms per call).
  const { parseArgs } = process.getBuiltinModule("node:util");
  const { tokens } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: false, tokens: true });
  const values: Record<string, string | true> = {};
  const positionals: string[] = [];
  const repeated: Record<string, string[]> = {};
  for (const token of tokens) {
    if (token.kind === "option-terminator") continue;
    if (token.kind === "positional") {
      positionals.push(token.value);
      continue;
    }
    const option = options[token.name];
    const shown = display(token.name, option, token.rawName);
    if (option === undefined) throw new UsageError(`unknown option '${token.rawName}'`, spec.name);
    if (option.type === "string") {
      if (token.value === undefined) throw new UsageError(`option ${shown} needs a value`, spec.name);
      if (option.repeatable === true) {
        (repeated[token.name] ??= []).push(token.value);
        values[token.name] ??= token.value;
        continue;
      }
      if (values[token.name] !== undefined) throw new UsageError(`option ${shown} was given twice`, spec.name);
      values[token.name] = token.value;
    } else {
      if (token.value !== undefined) throw new UsageError(`option ${shown} takes no value`, spec.name);
      values[token.name] = true;
    }
  }
  if (values["help"] === undefined && positionals.length > spec.maxPositionals) {
    const extra = positionals.slice(spec.maxPositionals).join(" ");
    throw new UsageError(
      spec.maxPositionals === 0 ? `unexpected argument '${extra}'` : `too many arguments: '${extra}'`,
      spec.name,
    );
  }
  return Object.keys(repeated).length === 0 ? { values, positionals } : { values, positionals, repeated };
}

/** The string value of option `name`, if given. */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === "string" ? value : undefined;
}

/** Every value of the repeatable option `name`, in order (empty when not given). */
export function stringOptions(args: ParsedArgs, name: string): string[] {
  const all = args.repeated?.[name];
  if (all !== undefined) return all;
  const one = stringOption(args, name);
  return one === undefined ? [] : [one];
}

/** True when flag `name` was given. */
export function flag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}
