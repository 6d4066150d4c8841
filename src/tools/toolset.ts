/**
 * {@link createMarimoTools}: the agent tools over one notebook resolver. Create one toolset
 * per agent connection; a binding made by one toolset is invisible to every other.
 *
 * @module
 */
import { DEFAULT_OUTPUT_BUDGET, type OutputBudget } from "./budget.js";
import { applyOperationsTool, createCellTool, deleteCellTool, editCellTool, installPackagesTool, moveCellTool, removePackagesTool, runCellTool, setUiValueTool } from "./definitions/changes.js";
import { executeCodeTool } from "./definitions/execute.js";
import { undoLastBatchTool } from "./definitions/undo.js";
import { getCellOutputTool, getErrorsTool, getGraphTool, getVariablesTool, readCellsTool } from "./definitions/reads.js";
import { bindNotebookTool, discoverServersTool, listSessionsTool } from "./definitions/servers.js";
import { screenshotCellTool } from "./definitions/screenshot.js";
import { ScreenshotSessions } from "./screenshot-sessions.js";
import { failed } from "./define.js";
import type { ToolEnv } from "./env.js";
import { type NotebookTarget, NotebookResolver } from "./target.js";
import { UndoStack } from "./undo-stack.js";
import type { ToolCallContext, ToolDefinition, ToolResult } from "./types.js";

/** Options of {@link createMarimoTools}. */
export interface MarimoToolsOptions {
  /**
   * The notebook calls act on when they name none (`url` with `file` or `session`). The
   * agent can change it for this toolset with `bind_notebook`.
   * @default undefined (every call names its notebook, until bind_notebook)
   */
  bind?: NotebookTarget | undefined;
  /**
   * The token for servers started with one. Tools never take a token as input, so it never
   * reaches the model.
   * @default process.env.MARIMO_TOKEN
   */
  token?: string | undefined;
  /**
   * Allow server URLs whose host is not this machine (code would be sent there).
   * @default false
   */
  allowRemote?: boolean | undefined;
  /** Environment for discovery (where marimo's server registry is). @default process.env */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Budget for each output channel (stdout, stderr, value) of a result. @default DEFAULT_OUTPUT_BUDGET */
  budget?: Partial<OutputBudget> | undefined;
  /**
   * Default limit of `execute_code`, in ms; on expiry the execution is interrupted.
   * @default 300000 (5 minutes)
   */
  executeTimeoutMs?: number | undefined;
  /** Largest image attached to a result, in bytes (larger ones are described instead). @default 1048576 */
  maxImageBytes?: number | undefined;
  /**
   * Most pixels of a `screenshot_cell` image; larger outputs are captured at a smaller scale.
   * @default 1150000 (about what vision models take without resizing)
   */
  maxImagePixels?: number | undefined;
}

/** The default {@link MarimoToolsOptions.executeTimeoutMs}. */
export const DEFAULT_EXECUTE_TIMEOUT_MS = 300_000;

/** The default {@link MarimoToolsOptions.maxImageBytes}. */
export const DEFAULT_MAX_IMAGE_BYTES = 1024 * 1024;

/** The default {@link MarimoToolsOptions.maxImagePixels}. */
export const DEFAULT_MAX_IMAGE_PIXELS = 1_150_000;

/** The names of the tools, in the order they are listed. */
export const TOOL_NAMES = [
  "discover_servers",
  "list_sessions",
  "bind_notebook",
  "execute_code",
  "read_cells",
  "create_cell",
  "edit_cell",
  "run_cell",
  "delete_cell",
  "move_cell",
  "install_packages",
  "remove_packages",
  "set_ui_value",
  "apply_operations",
  "undo_last_batch",
  "get_errors",
  "get_variables",
  "get_graph",
  "get_cell_output",
  "screenshot_cell",
] as const;

/** The name of one of the tools. */
export type ToolName = (typeof TOOL_NAMES)[number];

/** The tools of one agent connection. */
export interface MarimoToolset {
  /** Every tool, in {@link TOOL_NAMES} order. */
  readonly tools: readonly ToolDefinition[];
  /** The tool named `name`. */
  get(name: string): ToolDefinition | undefined;
  /** Call a tool by name (an unknown name resolves with an error result). */
  call(name: string, input: unknown, context?: ToolCallContext): Promise<ToolResult>;
  /** The notebook this toolset is bound to, if any. */
  readonly binding: NotebookTarget | undefined;
  /**
   * End the calls in flight, close the connections of every server the tools reached and the
   * browsers `screenshot_cell` started. Resolves once they are closed; a later call connects again.
   */
  close(): Promise<void>;
}

/**
 * Create the marimo tools for one agent connection: discovery, execution, reads and
 * changes of live notebooks, each with a zod input schema, its JSON Schema and a handler.
 *
 * @example
 * ```ts
 * const toolset = createMarimoTools({ bind: { url: "http://127.0.0.1:2718", file: "analysis.py" } });
 * const result = await toolset.call("execute_code", { code: "df.shape" });
 * console.log(result.content[0]);
 * ```
 */
export function createMarimoTools(options: MarimoToolsOptions = {}): MarimoToolset {
  const resolver = new NotebookResolver({ token: options.token, allowRemote: options.allowRemote, env: options.env }, options.bind);
  const env: ToolEnv = {
    resolver,
    budget: { ...DEFAULT_OUTPUT_BUDGET, ...options.budget },
    executeTimeoutMs: options.executeTimeoutMs ?? DEFAULT_EXECUTE_TIMEOUT_MS,
    maxImageBytes: options.maxImageBytes ?? DEFAULT_MAX_IMAGE_BYTES,
    undo: new UndoStack(),
    maxImagePixels: options.maxImagePixels ?? DEFAULT_MAX_IMAGE_PIXELS,
    screenshots: new ScreenshotSessions(),
  };
  const builders: Record<ToolName, (env: ToolEnv) => ToolDefinition> = {
    discover_servers: discoverServersTool,
    list_sessions: listSessionsTool,
    bind_notebook: bindNotebookTool,
    execute_code: executeCodeTool,
    read_cells: readCellsTool,
    create_cell: createCellTool,
    edit_cell: editCellTool,
    run_cell: runCellTool,
    delete_cell: deleteCellTool,
    move_cell: moveCellTool,
    install_packages: installPackagesTool,
    remove_packages: removePackagesTool,
    set_ui_value: setUiValueTool,
    apply_operations: applyOperationsTool,
    undo_last_batch: undoLastBatchTool,
    get_errors: getErrorsTool,
    get_variables: getVariablesTool,
    get_graph: getGraphTool,
    get_cell_output: getCellOutputTool,
    screenshot_cell: screenshotCellTool,
  };
  const tools = TOOL_NAMES.map((name) => builders[name](env));
  const byName = new Map(tools.map((t) => [t.name, t]));
  return {
    tools,
    get: (name) => byName.get(name),
    call(name, input, context) {
      const tool = byName.get(name);
      if (tool === undefined) return Promise.resolve(failed(`No tool '${name}'. Tools: ${TOOL_NAMES.join(", ")}.`, "unknown_tool"));
      return tool.handler(input, context);
    },
    get binding() {
      return resolver.binding;
    },
    close: async () => {
      await Promise.all([resolver.close(), env.screenshots.close()]);
    },
  };
}
