/**
 * An expected failure the CLI explains itself (no server found, several to choose from):
 * printed as its message, exit status 1.
 *
 * @module
 */
import { ErrorCode, MarimoPairError } from "../errors.js";

/** A failure whose message already says what happened and what to do. */
export class CliFailure extends MarimoPairError {
  /**
   * @param code - which kind of failure it is: `server_not_found` unless given (no server, or
   *   none with the notebook), `ambiguous_session` when several servers could be meant.
   */
  constructor(message: string, code: ErrorCode = ErrorCode.ServerNotFound) {
    super(code, message);
  }
}
