/**
 * The top level of the CLI: global flags, command dispatch, usage errors. Loads a
 * command's implementation only when that command runs.
 *
 * @module
 */
import { packageVersion } from "../package-version.js";
import { parseCommandArgs, UsageError } from "./argv.js";
import { COMMANDS, findCommand } from "./commands.js";
import { ExitCode } from "./exit-codes.js";
import type { CliIo } from "./io.js";
import { reportUsage } from "./usage.js";

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.spec.name.length));
  const list = COMMANDS.map((c) => `  ${c.spec.name.padEnd(width)}  ${c.spec.summary}`).join("\n");
  return `Usage: marimo-pair <command> [options]

Pair with a live marimo notebook from the command line.

Commands:
${list}

Options:
  -h, --help       show help (also: marimo-pair <command> --help)
  -V, --version    print the version

Authentication: servers started with --no-token need nothing. Otherwise set the
MARIMO_TOKEN environment variable (preferred) or pass --token.

Examples:
  marimo-pair discover
  marimo-pair exec -c 'print(df.shape)'
  marimo-pair exec --file analysis.py < snippet.py
  marimo-pair sessions
  marimo-pair apply --file analysis.py ops.json
`;
}

/**
 * Run the CLI with `argv` (the arguments after the program name) and return the exit status.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2), processIo());
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    await io.stderr.write(mainHelp());
    return ExitCode.Usage;
  }
  if (first === "-h" || first === "--help") {
    await io.stdout.write(mainHelp());
    return ExitCode.Ok;
  }
  if (first === "-V" || first === "--version") {
    await io.stdout.write(`${await packageVersion("unknown")}\n`);
    return ExitCode.Ok;
  }
  try {
    if (first === "help") {
      const topic = rest[0] === undefined ? undefined : findCommand(rest[0]);
      if (rest[0] !== undefined && topic === undefined) throw new UsageError(`no command '${rest[0]}'`);
      await io.stdout.write(topic === undefined ? mainHelp() : topic.spec.help);
      return ExitCode.Ok;
    }
    const command = findCommand(first);
    if (command === undefined) {
      const names = COMMANDS.map((c) => c.spec.name).join(", ");
      throw new UsageError(
        first.startsWith("-") ? `unknown option '${first}'` : `unknown command '${first}' (commands: ${names})`,
      );
    }
    const args = parseCommandArgs(command.spec, rest);
    if (args.values["help"] === true) {
      await io.stdout.write(command.spec.help);
      return ExitCode.Ok;
    }
    const run = await command.load();
    return await run(args, io);
  } catch (error) {
    if (error instanceof UsageError) return reportUsage(io, error);
    throw error;
  }
}
