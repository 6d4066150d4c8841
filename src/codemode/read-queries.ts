/**
 * Python read queries: each prints one marked JSON document describing the notebook.
 * Only {@link cellsQuery} and {@link cellQuery} with code included count as reads for
 * marimo's staleness guard (they access each cell's `.code`).
 *
 * @module
 */
import { checkNonce } from "./envelope.js";
import { PY_EMIT } from "./python-prelude.js";
import { pyBool, pyStr } from "./python-literal.js";

const PY_SNAPSHOT = String.raw`

def _mp_output(out):
    try:
        import msgspec
        return msgspec.to_builtins(out)
    except Exception:
        data = out.data if isinstance(out.data, str) else str(out.data)
        return {"channel": str(getattr(out.channel, "value", out.channel)), "mimetype": str(out.mimetype), "data": data}


def _mp_snapshot(cell, with_code, with_outputs):
    cfg = getattr(cell, "config", None)
    snap = _mp_cell_state(cell)
    snap["config"] = {
        "hide_code": bool(getattr(cfg, "hide_code", False)),
        "disabled": bool(getattr(cfg, "disabled", False)),
        "column": getattr(cfg, "column", None),
        "expand_output": getattr(cfg, "expand_output", None),
    }
    if with_code:
        # Reading .code records a read for marimo's staleness guard.
        snap["code"] = cell.code or ""
    if with_outputs and hasattr(cell, "output"):
        out = cell.output
        snap["output"] = None if out is None else _mp_output(out)
        snap["console"] = [_mp_output(o) for o in cell.console_outputs]
    return snap


def _mp_find(ctx, kind, value):
    cells = ctx.cells
    if kind == "name":
        for i in range(len(cells)):
            if cells[i].name == value:
                return cells[i]
        return None
    try:
        cell = cells[value]
    except KeyError:
        return None
    if kind == "id" and _mp_cell_id(cell) != value:
        return None
    return cell
`;

const PY_VARIABLES = String.raw`

def _mp_variables(ctx):
    import reprlib
    short = reprlib.Repr()
    short.maxstring = 80
    short.maxother = 80
    short.maxlist = short.maxtuple = short.maxset = short.maxdict = 8
    scope = ctx.globals
    result = []
    for name, cell_ids in sorted(ctx.graph.definitions.items()):
        if name.startswith("_"):
            continue
        entry = {"name": name, "cells": sorted(str(c) for c in cell_ids), "defined": name in scope}
        if name in scope:
            value = scope[name]
            kind = type(value)
            module = getattr(kind, "__module__", "builtins")
            entry["type"] = kind.__qualname__ if module == "builtins" else module + "." + kind.__qualname__
            try:
                text = short.repr(value)
            except Exception as exc:
                text = "<repr failed: " + type(exc).__name__ + ">"
            entry["repr"] = text if len(text) <= 200 else text[:199] + "\u2026"
        result.append(entry)
    return result


def _mp_graph(ctx):
    graph = ctx.graph
    cells = ctx.cells
    out = []
    for i in range(len(cells)):
        cell = cells[i]
        cid = _mp_cell_id(cell)
        impl = graph.cells.get(cid)
        out.append({
            "id": cid,
            "name": getattr(cell, "name", None) or "",
            "registered": impl is not None,
            "defs": sorted(impl.defs) if impl is not None else [],
            "refs": sorted(impl.refs) if impl is not None else [],
            "parents": sorted(graph.parents.get(cid, ())),
            "children": sorted(graph.children.get(cid, ())),
        })
    cycles = [[[str(a), str(b)] for a, b in cycle] for cycle in graph.cycles]
    return {"cells": out, "multiply_defined": sorted(graph.get_multiply_defined()), "cycles": cycles}
`;

function query(nonce: string, helpers: string, expression: string): string {
  return [
    "# marimo-pair read query (generated). Caller values appear only as escaped literals.",
    "import marimo._code_mode as _mp_cm",
    PY_EMIT + helpers,
    "try:",
    "    _mp_ctx = _mp_cm.get_context()",
    `    _mp_doc = {"ok": True, "value": ${expression}}`,
    "except Exception as _mp_exc:",
    "    import traceback as _mp_tb",
    `    _mp_doc = {"ok": False, "type": type(_mp_exc).__name__, "message": str(_mp_exc), "traceback": "".join(_mp_tb.format_exception(type(_mp_exc), _mp_exc, _mp_exc.__traceback__))}`,
    `_mp_emit(${pyStr(checkNonce(nonce))}, _mp_doc)`,
    "",
  ].join("\n");
}

/** What {@link cellsQuery} and {@link cellQuery} include. */
export interface CellQueryOptions {
  /**
   * Include each cell's code. This is what marimo counts as reading the cell: afterwards the
   * cell can be edited without a staleness error (until someone else changes it).
   * @default true
   */
  code?: boolean | undefined;
  /**
   * Include each cell's last output and console output (marimo ≥ 0.23.7; a snapshot taken
   * when the query starts). Outputs can be large (images as data URLs).
   * @default true
   */
  outputs?: boolean | undefined;
}

/** Python listing every cell in notebook order (`value`: a list of cell snapshots). */
export function cellsQuery(nonce: string, options: CellQueryOptions = {}): string {
  const args = `${pyBool(options.code ?? true)}, ${pyBool(options.outputs ?? true)}`;
  return query(nonce, PY_SNAPSHOT, `[_mp_snapshot(_mp_ctx.cells[_mp_i], ${args}) for _mp_i in range(len(_mp_ctx.cells))]`);
}

/** Python reading one cell (`value`: a snapshot, or `None` when no cell matches). */
export function cellQuery(nonce: string, kind: "any" | "id" | "name", value: string, options: CellQueryOptions = {}): string {
  const args = `${pyBool(options.code ?? true)}, ${pyBool(options.outputs ?? true)}`;
  const find = `_mp_find(_mp_ctx, ${pyStr(kind)}, ${pyStr(value)})`;
  return query(nonce, PY_SNAPSHOT, `(lambda _mp_c: None if _mp_c is None else _mp_snapshot(_mp_c, ${args}))(${find})`);
}

/** Python describing the dependency graph (`value`: cells with defs/refs/parents/children). Not a read of code. */
export function graphQuery(nonce: string): string {
  return query(nonce, PY_VARIABLES, "_mp_graph(_mp_ctx)");
}

/** Python listing the variables cells define (`value`: name, cells, type, short repr). Not a read of code. */
export function variablesQuery(nonce: string): string {
  return query(nonce, PY_VARIABLES, "_mp_variables(_mp_ctx)");
}

/** Python listing installed packages (`value`: name and version; marimo ≥ 0.23.2). Not a read of code. */
export function packagesQuery(nonce: string): string {
  return query(nonce, "", `[{"name": _mp_p.name, "version": _mp_p.version} for _mp_p in _mp_ctx.packages.list()]`);
}
