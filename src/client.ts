/**
 * `marimo-pair/client`: the client, sessions and streamed execution, without any
 * `node:` import, for any runtime with `fetch` and web streams.
 *
 * @module
 */
export { connect, MarimoClient } from "./session/client.js";
export type { ConnectOptions, ServerStatus } from "./session/client.js";
export { NotebookSession } from "./session/notebook.js";
export type { SignalOptions } from "./session/types.js";
export { OwnedSession } from "./session/open.js";
export type { OpenSessionOptions, SessionRole } from "./session/open.js";
export type { KernelState, SessionInfo, SessionSelector } from "./session/types.js";
export { ExecutionStream } from "./execute/stream.js";
export type { MarimoCapabilities } from "./session/capabilities.js";
export type { ExecuteOptions, ExecuteResult } from "./execute/stream.js";
export type {
  DoneEvent,
  ExecuteEvent,
  ExecuteOutput,
  StderrEvent,
  StdoutEvent,
} from "./execute/events.js";
export type { DiscoveredServer } from "./discovery/types.js";
export {
  AmbiguousSessionError,
  AuthError,
  ConnectionError,
  ErrorCode,
  ExecutionError,
  HttpError,
  isMarimoPairError,
  MarimoPairError,
  NoSessionError,
  ProtocolError,
  RemoteNotAllowedError,
  SessionNotFoundError,
  SessionOpenError,
  StreamIncompleteError,
  TimeoutError,
  UnsupportedVersionError,
  ServerFlagsRequiredError,
} from "./errors.js";
export type { SessionCandidate, TimerKind } from "./errors.js";
