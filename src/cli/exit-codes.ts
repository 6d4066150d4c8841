/**
 * Exit statuses of the CLI.
 *
 * @module
 */

/** What `marimo-pair` exits with. */
export const ExitCode = {
  /** Everything worked. */
  Ok: 0,
  /** The code failed, the run did not complete, or the server/session could not be used. */
  Failure: 1,
  /** The command line was wrong. */
  Usage: 2,
  /** Ctrl-C. */
  Interrupted: 130,
} as const;

/** Union of the {@link ExitCode} values. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
