/**
 * `marimo-pair`: pair with a live marimo notebook — discover servers, pick a session,
 * execute Python with streamed output, change the notebook through a typed code-mode
 * builder, and read its cells.
 *
 * This entry is for Node. `marimo-pair/client` has the client alone (any fetch runtime)
 * and `marimo-pair/codemode` the builder alone (pure).
 *
 * @module
 */
export {
  AmbiguousSessionError,
  AuthError,
  ConnectionError,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_MAX_OUTPUT_BYTES,
  DEFAULT_OPEN_TIMEOUT_MS,
  ErrorCode,
  ExecutionError,
  ExecutionStream,
  HttpError,
  isLoopbackHost,
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
export { createNodeFetch } from "./http/node-fetch.js";
export type { NodeFetchOptions } from "./http/node-fetch.js";
export type {
  ConnectOptions,
  DiscoveredServer,
  DoneEvent,
  ExecuteEvent,
  ExecuteOptions,
  ExecuteOutput,
  ExecuteResult,
  HttpErrorDetails,
  KernelState,
  LegacyDoneError,
  MarimoCapabilities,
  MarimoFeatureId,
  MarimoPairErrorCode,
  MarimoPairErrorOptions,
  OpenSessionOptions,
  PidState,
  RequestTarget,
  ServerOrigin,
  ServerStatus,
  SessionCandidate,
  SessionInfo,
  SessionRole,
  SessionSelector,
  SignalOptions,
  StderrEvent,
  StdoutEvent,
  TimerKind,
} from "./client.js";
// Code mode: the builder, apply and typed reads (also alone in `marimo-pair/codemode`).
export {
  ancestors,
  ApplyFailedError,
  applyPlan,
  BatchFailedError,
  CellRef,
  cellQuery,
  cellsQuery,
  checkNonce,
  CODE_MODE_SINCE,
  codeMode,
  CodeModeBuilder,
  CodeModePlan,
  compareMarimoVersions,
  createNonce,
  definingCells,
  descendants,
  endMarker,
  EnvelopeFilter,
  EXPAND_OUTPUT_SINCE,
  extractEnvelope,
  FEATURE_SINCE,
  graphQuery,
  interpretBatch,
  InvalidPlanError,
  isAtLeast,
  MAX_VALUE_DEPTH,
  NotebookValidationError,
  packagesQuery,
  parseMarimoVersion,
  pyBool,
  pyNumber,
  pyStr,
  pyStrBlock,
  pyValue,
  readCell,
  readCells,
  readGraph,
  readPackages,
  readVariables,
  recoveryPython,
  renderPlan,
  SKIP_VALIDATION_SINCE,
  StaleCellsError,
  startMarker,
  variablesQuery,
} from "./codemode.js";
export type {
  ApplyFailureKind,
  ApplyOptions,
  ApplyResult,
  BatchFailureDetails,
  BatchPhase,
  CellConfigFields,
  CellError,
  CellOutput,
  CellQueryOptions,
  CellRunState,
  CellSnapshot,
  CellStatus,
  CellTarget,
  CodeModeCallOptions,
  CodeModeEvent,
  CodeModeExecuteOptions,
  CodeModeExecution,
  CodeModeExecutor,
  CodeModeOptions,
  CreateCellOperation,
  CreateCellOptions,
  DeleteCellOperation,
  EditCellOperation,
  EditCellOptions,
  ExtractedEnvelope,
  GraphCell,
  InterpretOptions,
  JsonValue,
  MarimoVersion,
  MoveCellOperation,
  MoveCellOptions,
  NotebookGraph,
  PackageChange,
  PackageInfo,
  PackagesOperation,
  PlanOperation,
  PlanOptions,
  ReadCellsOptions,
  RenderablePlan,
  ResolvedTarget,
  RunCellOperation,
  SetUiValueOperation,
  ToPythonOptions,
  ValidationDetails,
  ValidationReason,
  VariableInfo,
} from "./codemode.js";
// Discovery (Node only).
export {
  DEFAULT_PROBE_CONNECT_TIMEOUT_MS,
  DEFAULT_PROBE_TIMEOUT_MS,
  discoverServers,
  discoverServersDetailed,
  registryDirectories,
  registryDirectory,
} from "./discovery/index.js";
export type {
  CommandResult,
  CommandRunner,
  CommandRunOptions,
  DiagnosticSeverity,
  DiscoverOptions,
  DiscoveryDiagnostic,
  DiscoveryDiagnosticKind,
  DiscoveryResult,
  DiscoverySystem,
  EntryDiagnosticFields,
  EntryIssue,
  Environment,
  HealthProbeResult,
  InvalidEntryDiagnostic,
  InvalidEntryReason,
  NotMarimoDiagnostic,
  NotRespondingDiagnostic,
  PidReuseDiagnostic,
  ProbeFailureReason,
  RegistryDirectoriesOptions,
  RegistryDirectory,
  RegistryPathOptions,
  RegistryUnreadableDiagnostic,
  RemoveFailedDiagnostic,
  StaleEntryKeptDiagnostic,
  StaleEntryRemovedDiagnostic,
  WindowsHostRegistryUnavailableDiagnostic,
  WindowsHostUnreachableDiagnostic,
} from "./discovery/index.js";
// Lifecycle: launching marimo (Node only).
export { DEFAULT_LAUNCH_TIMEOUT_MS, launchServer } from "./launch/launch.js";
export type { LaunchedServer, LaunchOptions } from "./launch/launch.js";
export { LaunchError, MarimoNotFoundError } from "./launch/errors.js";
export type { LaunchAttempt, LaunchFailureReason } from "./launch/errors.js";
export { planLaunch } from "./launch/plan.js";
export type { LaunchPlan, LaunchPlanInput, LaunchProbe, RunnerKind } from "./launch/plan.js";
export type { ExitStatus } from "./launch/process-tree.js";
// Lifecycle: live events, interrupt/restart, rich outputs.
export { DEFAULT_EVENTS_IDLE_TIMEOUT_MS, DEFAULT_RECONNECT_TIMEOUT_MS } from "./session/events.js";
export type { EventsOptions } from "./session/events.js";
export type {
  CellEvent,
  CellEventOutput,
  CellEventStatus,
  ClosedEvent,
  CompletedRunEvent,
  DocumentChange,
  DocumentEvent,
  ExecutionEvent,
  InterruptedEvent,
  KernelReadyEvent,
  KernelStartupErrorEvent,
  NotebookEvent,
  NoticeEvent,
  OtherEvent,
} from "./session/event-types.js";
export { decodeDataUrl, htmlToText, MIMEBUNDLE, outputImage, outputText, unpackMimeBundle } from "./outputs/decode.js";
export type { InlineImage, OutputLike, VirtualFileImage } from "./outputs/decode.js";
export { saveImage } from "./outputs/save-image.js";
export type { SavedImage, SaveImageOptions } from "./outputs/save-image.js";
// marimo's own MCP server (`marimo edit --mcp code-mode`) as a transport; also in `marimo-pair/tools`.
export { connectMcp, DEFAULT_MCP_CONNECT_TIMEOUT_MS, MARIMO_MCP_PATH, MarimoMcpClient } from "./transports/marimo-mcp/client.js";
export type { McpConnectOptions } from "./transports/marimo-mcp/client.js";
export { DEFAULT_MCP_EXECUTE_TIMEOUT_MS, MARIMO_MCP_EXECUTION_LIMIT_MS, McpNotebookSession } from "./transports/marimo-mcp/session.js";
export type { McpExecuteOptions, McpSessionContext } from "./transports/marimo-mcp/session.js";
export type { McpExecuteResult } from "./transports/marimo-mcp/result.js";
export { McpSdkMissingError } from "./mcp-sdk.js";
