/**
 * An expected failure the CLI explains itself (no server found, several to choose from):
 * printed as its message, exit status 1.
 *
 * @module
 */

/** A failure whose message already says what happened and what to do. */
export class CliFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliFailure";
  }
}
