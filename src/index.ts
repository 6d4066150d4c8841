/**
 * `marimo-pair`: pair with a live marimo notebook — discover servers, pick a session,
 * execute Python with streamed output, change the notebook through a typed code-mode
 * builder, and read its cells.
 *
 * This entry is for Node. `marimo-pair/client` has the client alone (any fetch runtime);
 * `marimo-pair/codemode` has the builder alone (pure), with `applyPlan`, the typed reads and
 * their result types; `marimo-pair/tools` has the agent tools, the MCP server and the client
 * for marimo's own MCP server.
 *
 * @module
 */
export {
  AmbiguousSessionError,
  AuthError,
  ConnectionError,
  ErrorCode,
  ExecutionError,
  ExecutionStream,
  HttpError,
  isMarimoPairError,
  MarimoClient,
  MarimoPairError,
  NoSessionError,
  NotebookSession,
  OwnedSession,
  ProtocolError,
  RemoteNotAllowedError,
  SessionNotFoundError,
  SessionOpenError,
  StreamIncompleteError,
  TimeoutError,
  UnsupportedVersionError,
  ServerFlagsRequiredError,
} from "./client.js";
export { connect } from "./session/connect-node.js";
export type {
  ConnectOptions,
  DiscoveredServer,
  ExecuteEvent,
  ExecuteOptions,
  ExecuteOutput,
  ExecuteResult,
  MarimoCapabilities,
  OpenSessionOptions,
  SessionInfo,
  SessionSelector,
  SignalOptions,
} from "./client.js";
// Code mode: the builder and what applying a plan returns (the rest is in `marimo-pair/codemode`).
export {
  ApplyFailedError,
  BatchFailedError,
  CellRef,
  codeMode,
  CodeModeBuilder,
  CodeModePlan,
  InvalidPlanError,
  NotebookValidationError,
  StaleCellsError,
} from "./codemode.js";
export type { ApplyResult, CellSnapshot, CellTarget } from "./codemode.js";
// Safe edits: refusals checked in the kernel, the expectCell check, and the JSON of a result.
export {
  AmbiguousCellError,
  CellChangedError,
  CellNotFoundError,
  DuplicateNameError,
  NotUiElementError,
  UiValueRejectedError,
  UnknownVariableError,
} from "./codemode.js";
// Discovery (Node only).
export { discoverServers, discoverServersDetailed } from "./discovery/public.js";
export type { DiscoverOptions, DiscoveryResult } from "./discovery/discover.js";
export type { DiscoveryDiagnostic } from "./discovery/diagnostics.js";
// Launching marimo (Node only).
export { launchServer } from "./launch/public.js";
export type { LaunchedServer, LaunchOptions } from "./launch/launch.js";
export { LaunchError, MarimoNotFoundError } from "./launch/errors.js";
// Live events of a session.
export type { EventsOptions } from "./session/events.js";
export type { NotebookEvent } from "./session/event-types.js";
// Outputs a person looks at.
export { outputImage, outputText } from "./outputs/decode.js";
export type { InlineImage, VirtualFileImage } from "./outputs/decode.js";
export type { NotebookEvents } from "./session/event-stream.js";
export { saveImage } from "./outputs/save-image.js";
export type { SaveImageOptions } from "./outputs/save-image.js";
// Finding a notebook across every server, and opening it on demand (Node only).
export { findSession } from "./session/find.js";
export type { FindSessionOptions, FindSessionSelector } from "./session/find.js";
export { NoServerError } from "./errors.js";
// Screenshots of rendered outputs (a local headless Chromium, through the optional playwright-core).
export { ScreenshotError } from "./outputs/screenshot-errors.js";
export type { Screenshot, ScreenshotOptions } from "./outputs/screenshot-types.js";
