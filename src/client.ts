/**
 * `marimo-pair/client`: the client, sessions and streamed execution, without any
 * `node:` import, for any runtime with `fetch` and web streams.
 *
 * @module
 */
export { connect, MarimoClient, DEFAULT_CONNECT_TIMEOUT_MS } from "./session/client.js";
export type { ConnectOptions, ServerStatus } from "./session/client.js";
export { NotebookSession } from "./session/notebook.js";
export type { SignalOptions } from "./session/types.js";
export { OwnedSession, DEFAULT_OPEN_TIMEOUT_MS } from "./session/open.js";
export type { OpenSessionOptions, SessionRole } from "./session/open.js";
export type { KernelState, SessionInfo, SessionSelector } from "./session/types.js";
export type { MarimoCapabilities } from "./session/capabilities.js";
export type { MarimoFeatureId } from "./version.js";
export { ExecutionStream, DEFAULT_MAX_OUTPUT_BYTES } from "./execute/stream.js";
export type { ExecuteOptions, ExecuteResult } from "./execute/stream.js";
export type {
  DoneEvent,
  ExecuteEvent,
  ExecuteOutput,
  LegacyDoneError,
  StderrEvent,
  StdoutEvent,
} from "./execute/events.js";
export { isLoopbackHost } from "./http/base-url.js";
export type { DiscoveredServer, PidState, ServerOrigin } from "./discovery/types.js";
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
export type {
  HttpErrorDetails,
  MarimoPairErrorCode,
  MarimoPairErrorOptions,
  RequestTarget,
  SessionCandidate,
  TimerKind,
} from "./errors.js";
