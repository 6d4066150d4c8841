/**
 * Typed reads of a notebook through generated queries: cells, one cell, the dependency
 * graph, variables, packages.
 *
 * **Reads and marimo's staleness guard.** marimo (≥ 0.23.7) refuses to edit a cell's code
 * unless its current code was read by an agent of the kernel. {@link readCells} and
 * {@link readCell} read the code (and so count as reads) unless `code: false` is passed;
 * {@link readGraph}, {@link readVariables} and {@link readPackages} do not. Cells a plan
 * created or edited count as read afterwards.
 *
 * @module
 */
import type * as z from "../schemas/zod.js";
import { ExecutionError, ProtocolError, UnsupportedVersionError } from "../errors.js";
import {
  type CellOutputData,
  type CellSnapshotData,
  CellSnapshotListSchema,
  GraphSchema,
  MaybeCellSnapshotSchema,
  PackageListSchema,
  readDocumentSchema,
  VariableListSchema,
} from "../schemas/codemode-reads.js";
import { parseWire } from "../schemas/parse.js";
import type { CellError, CellStatus } from "./apply.js";
import { createNonce, EnvelopeFilter, extractEnvelope } from "./envelope.js";
import { type CodeModeCallOptions, type CodeModeExecutor, versionFor } from "./executor.js";
import type { NotebookGraph } from "./graph.js";
import { type CellQueryOptions, cellQuery, cellsQuery, graphQuery, packagesQuery, variablesQuery } from "./read-queries.js";
import { InvalidPlanError } from "./errors.js";
import { FEATURE_SINCE, isAtLeast } from "../version.js";

/** One output of a cell (`data` is text for most mimetypes). @inline */
export interface CellOutput {
  /** `output`, `stdout`, `stderr`, `marimo-error`, `media`, … */
  channel: string;
  /** e.g. `text/html`, `text/plain`, `image/png`. */
  mimetype: string;
  /** The content: text for most mimetypes, error objects for `marimo-error`. */
  data: unknown;
  /** When it was produced (seconds since the epoch), when known. */
  timestamp?: number;
}

/** One cell as read from the running notebook. */
export interface CellSnapshot {
  /** The cell id. */
  id: string;
  /** The name, `null` when unnamed (marimo's `_` and `__` count as unnamed). */
  name: string | null;
  /** The code; present unless the read was made with `code: false`. */
  code?: string;
  /** The cell's configuration. */
  config: { hideCode: boolean; disabled: boolean; column: number | null; expandOutput: boolean | null };
  /** Status; `null` for an empty cell, or on marimo < 0.22.5. */
  status: CellStatus | null;
  /** Graph and runtime errors. */
  errors: CellError[];
  /** Last output; `undefined` on marimo < 0.23.7 or with `outputs: false`, `null` when none. */
  output?: CellOutput | null;
  /** Buffered console output of the last run; `undefined` like `output`. */
  console?: CellOutput[];
}

/** A variable defined by the notebook's cells. */
export interface VariableInfo {
  /** The name. */
  name: string;
  /** Cells that define it (more than one means a multiply-defined name). */
  cells: string[];
  /** False when no cell defining it has run successfully (no value in the kernel). */
  defined: boolean;
  /** The value's type, module-qualified unless builtin (`int`, `pandas.core.frame.DataFrame`). */
  type?: string;
  /** A short, truncated repr of the value (at most 200 characters). */
  repr?: string;
}

/** An installed package. @inline */
export interface PackageInfo {
  /** The distribution name. */
  name: string;
  /** The installed version. */
  version: string;
}

/** Options of {@link readCells} and {@link readCell}. @inline */
export interface ReadCellsOptions extends CodeModeCallOptions, CellQueryOptions {}

function unnamed(name: string): string | null {
  return name === "" || name === "_" || name === "__" ? null : name;
}

async function runQuery<S extends z.ZodMiniType>(
  executor: CodeModeExecutor,
  build: (nonce: string) => string,
  schema: S,
  what: string,
  options: CodeModeCallOptions,
): Promise<z.output<S>> {
  const nonce = options.nonce ?? createNonce();
  const code = build(nonce);
  const filter = new EnvelopeFilter(nonce);
  const execution = await executor.execute(code, {
    signal: options.signal,
    timeoutMs: options.timeoutMs,
    idleTimeoutMs: options.idleTimeoutMs,
    onEvent: (event) => {
      if (event.type === "stdout") filter.push(event.data);
    },
  });
  const extracted = extractEnvelope(execution.stdout, nonce);
  let raw: unknown = extracted.document;
  if (raw === undefined && filter.raw !== undefined) raw = JSON.parse(filter.raw);
  if (raw === undefined) {
    if (!execution.success) throw new ExecutionError(extracted.stdout, execution.stderr);
    throw new ProtocolError(`${what}: the query printed no result document.`, { raw: execution.stdout.slice(-2000) });
  }
  const doc = parseWire(readDocumentSchema(schema), raw, what);
  if (!doc.ok) {
    const failed = doc as { type: string; message: string; traceback: string };
    throw new ExecutionError(extracted.stdout, failed.traceback || `${failed.type}: ${failed.message}`);
  }
  return (doc as { value: z.output<S> }).value;
}

function toOutput(o: CellOutputData): CellOutput {
  const out: CellOutput = { channel: o.channel, mimetype: o.mimetype, data: o.data };
  if (o.timestamp !== undefined) out.timestamp = o.timestamp;
  return out;
}

function toSnapshot(c: CellSnapshotData): CellSnapshot {
  const snap: CellSnapshot = {
    id: c.id,
    name: unnamed(c.name),
    config: { hideCode: c.config.hide_code, disabled: c.config.disabled, column: c.config.column, expandOutput: c.config.expand_output },
    status: c.status,
    errors: c.errors.map((e) => ({ kind: e.kind, message: e.message })),
  };
  if (c.code !== undefined) snap.code = c.code;
  if (c.output !== undefined) snap.output = c.output === null ? null : toOutput(c.output);
  if (c.console !== undefined) snap.console = c.console.map(toOutput);
  return snap;
}

/**
 * Every cell of the notebook in order: id, name, code, config, status, errors, and (marimo
 * ≥ 0.23.7) last output and console output. Reading code counts as a read for marimo's
 * staleness guard.
 *
 * @example
 * ```ts
 * const cells = await readCells(nb);
 * for (const c of cells) console.log(c.id, c.status, c.code?.split("\n")[0]);
 * ```
 */
export async function readCells(executor: CodeModeExecutor, options: ReadCellsOptions = {}): Promise<CellSnapshot[]> {
  const cells = await runQuery(executor, (n) => cellsQuery(n, options), CellSnapshotListSchema, "cells query", options);
  return cells.map(toSnapshot);
}

/**
 * One cell, by id or name (a string is resolved like marimo does: id first, then name), or
 * `undefined` when no cell matches.
 *
 * @throws {InvalidPlanError} for an empty or malformed target.
 * @throws {UnsupportedVersionError} on marimo < 0.22.0 when a name (or a string that is no
 *   cell id) matches nothing: those releases do not know the names the notebook file gives.
 */
export async function readCell(
  executor: CodeModeExecutor,
  target: string | { id: string } | { name: string },
  options: ReadCellsOptions = {},
): Promise<CellSnapshot | undefined> {
  let kind: "any" | "id" | "name";
  let value: unknown;
  if (typeof target === "string") [kind, value] = ["any", target];
  else if (typeof target === "object" && target !== null && "id" in target) [kind, value] = ["id", target.id];
  else if (typeof target === "object" && target !== null && "name" in target) [kind, value] = ["name", target.name];
  else throw new InvalidPlanError("readCell: the target must be a cell id or name, { id } or { name }.");
  if (typeof value !== "string" || value === "") throw new InvalidPlanError("readCell: the target must be a non-empty string.");
  const cell = await runQuery(
    executor,
    (n) => cellQuery(n, kind, value as string, options),
    MaybeCellSnapshotSchema,
    "cell query",
    options,
  );
  if (cell === null && kind !== "id") {
    // Before 0.22.0 the kernel never learns the names the notebook file gives its cells:
    // "no such cell" could be wrong.
    const version = await versionFor(executor, options);
    if (!isAtLeast(version, FEATURE_SINCE.fileCellNames)) {
      throw new UnsupportedVersionError("Reading a cell by name", version, FEATURE_SINCE.fileCellNames);
    }
  }
  return cell === null ? undefined : toSnapshot(cell);
}

/** The dependency graph: defs, refs, parents and children per cell (use `ancestors`/`descendants` to walk it). */
export async function readGraph(executor: CodeModeExecutor, options: CodeModeCallOptions = {}): Promise<NotebookGraph> {
  const g = await runQuery(executor, graphQuery, GraphSchema, "graph query", options);
  return {
    cells: g.cells.map((c) => ({ id: c.id, name: unnamed(c.name), registered: c.registered, defs: c.defs, refs: c.refs, parents: c.parents, children: c.children })),
    multiplyDefined: g.multiply_defined,
    cycles: g.cycles,
  };
}

/** The variables the cells define (names starting with `_` are cell-private and left out), sorted by name. */
export async function readVariables(executor: CodeModeExecutor, options: CodeModeCallOptions = {}): Promise<VariableInfo[]> {
  const vars = await runQuery(executor, variablesQuery, VariableListSchema, "variables query", options);
  return vars.map((v) => {
    const info: VariableInfo = { name: v.name, cells: v.cells, defined: v.defined };
    if (v.type !== undefined) info.type = v.type;
    if (v.repr !== undefined) info.repr = v.repr;
    return info;
  });
}

/**
 * The packages installed in the kernel's environment, as the notebook's package manager
 * lists them (empty without a package manager).
 *
 * @throws {UnsupportedVersionError} on marimo < 0.23.2.
 */
export async function readPackages(executor: CodeModeExecutor, options: CodeModeCallOptions = {}): Promise<PackageInfo[]> {
  const version = await versionFor(executor, options);
  if (!isAtLeast(version, FEATURE_SINCE.packagesNamespace)) {
    throw new UnsupportedVersionError("Listing packages", version, FEATURE_SINCE.packagesNamespace);
  }
  const packages = await runQuery(executor, packagesQuery, PackageListSchema, "packages query", options);
  return packages.map((p) => ({ name: p.name, version: p.version }));
}
