/**
 * Fixed Python helper code placed before generated batches and read queries. None of it is
 * built from caller input: generated code passes caller values to these helpers only as
 * escaped literals. Every name starts with `_mp_` so that it cannot clash with notebook
 * variables (the scratchpad discards them afterwards anyway).
 *
 * @module
 */
import { PY_SAFE_HELPERS } from "./python-safety.js";

/** Prints a result document between the nonce markers (see `envelope.ts`). */
export const PY_EMIT = String.raw`import json as _mp_json
import sys as _mp_sys


def _mp_emit(nonce, doc, keep=False):
    try:
        text = _mp_json.dumps(doc, ensure_ascii=True, separators=(",", ":"), allow_nan=False, default=str)
    except ValueError:
        # NaN or infinities somewhere in the data: JSON has no such numbers, send null.
        loose = _mp_json.dumps(doc, ensure_ascii=True, default=str)
        text = _mp_json.dumps(_mp_json.loads(loose, parse_constant=lambda _c: None), ensure_ascii=True, separators=(",", ":"))
    if keep:
        # Also keep the last results in the kernel, so a result whose output went astray
        # (some marimo versions deliver late output to the next request) can be fetched.
        import types
        store = _mp_sys.modules.get("_marimo_pair_results")
        if store is None:
            store = _mp_sys.modules["_marimo_pair_results"] = types.ModuleType("_marimo_pair_results")
            store.results = {}
        store.results[nonce] = text
        while len(store.results) > 16:
            store.results.pop(next(iter(store.results)))
    _mp_sys.stdout.write("\n<<<marimo-pair:" + nonce + ">>>\n" + text + "\n<<<end:" + nonce + ">>>\n")
    _mp_sys.stdout.flush()


def _mp_cell_id(cell):
    # marimo < 0.22 calls the id cell_id.
    return str(getattr(cell, "id", None) or getattr(cell, "cell_id"))


def _mp_cell_state(cell):
    status = getattr(cell, "status", None)
    return {
        "id": _mp_cell_id(cell),
        "name": getattr(cell, "name", None) or "",
        "status": None if status is None else str(status),
        "errors": [{"kind": e.kind, "message": e.msg} for e in getattr(cell, "errors", ())],
    }
`;

/** Resolves targets, checks names and UI values, classifies failures and reports a batch. */
export const PY_BATCH_HELPERS = String.raw`

`+PY_SAFE_HELPERS+String.raw`def _mp_syntax_culprit(sources):
    import ast
    for key, label, code in sources:
        try:
            compile(code, "<cell>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
        except SyntaxError as exc:
            return key, label, exc.lineno, exc.offset
        except Exception:
            continue
    return None, None, None, None


def _mp_label(ctx, cid):
    # How a caller knows an existing cell: its id, and its name when it has one.
    try:
        cells = ctx.cells
        for i in range(len(cells)):
            if _mp_cell_id(cells[i]) == cid:
                name = getattr(cells[i], "name", None) or ""
                return "cell " + cid + ("" if name in ("", "_", "__") else " (" + repr(name) + ")")
    except Exception:
        pass
    return "cell " + cid


def _mp_failure(exc, phase, sources, labels=None, ctx=None):
    import re
    import traceback
    if isinstance(exc, KeyError) and exc.args and isinstance(exc.args[0], str):
        message = exc.args[0]
    else:
        message = str(exc)
    info = {
        "kind": "error",
        "type": type(exc).__name__,
        "message": message,
        "phase": phase,
        "traceback": "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
    }
    stale_type = getattr(_mp_cm, "StaleCellError", None)
    if isinstance(exc, _MpRefusal):
        info["kind"] = exc.kind
        info["refusal"] = exc.info
    elif stale_type is not None and isinstance(exc, stale_type):
        info["kind"] = "stale"
        info["cell_id"] = str(exc.cell_id)
        info["stale_cells"] = sorted(str(c) for c in exc.stale_cells)
    elif isinstance(exc, SyntaxError):
        cell, label, line, column = _mp_syntax_culprit(sources)
        info["kind"] = "syntax"
        info["cell"] = cell
        info["cell_label"] = label
        info["line"] = exc.lineno if cell is None else line
        info["column"] = exc.offset if cell is None else column
    elif isinstance(exc, RuntimeError) and message.startswith("Multiply-defined names:"):
        info["kind"] = "multiply_defined"
        info["names"] = re.findall(r"^  - '([^']*)'", message, re.M)
        if not info["names"]:
            # marimo < 0.22.4 wrote the names as a Python list on the first line.
            import ast
            try:
                info["names"] = [str(n) for n in ast.literal_eval(message.split("\n")[0].split(":", 1)[1].strip())]
            except Exception:
                pass
    elif isinstance(exc, RuntimeError) and message.startswith("Cycles detected:"):
        info["kind"] = "cycles"
        # marimo names the cells of a cycle by id, and the ids of cells this batch would have
        # created never came to exist: name every cell as the caller knows it.
        ids = []
        for cid in re.findall(r"'([^']+)'", message.split("\n")[0]):
            if cid not in ids:
                ids.append(cid)
        info["cells"] = [(labels or {}).get(cid) or (_mp_label(ctx, cid) if ctx is not None else "cell " + cid) for cid in ids]
    elif isinstance(exc, LookupError):
        info["kind"] = "not_found"
    elif isinstance(exc, (ValueError, TypeError)):
        info["kind"] = "invalid"
    return info


def _mp_requirement_name(spec):
    try:
        from packaging.requirements import Requirement
        return Requirement(spec).name
    except Exception:
        import re
        match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", spec)
        return match.group(1) if match else None


def _mp_packages(ctx, ops):
    import re
    def norm(name):
        return re.sub(r"[-_.]+", "-", name).lower()
    try:
        listed = {norm(p.name): p.version for p in ctx.packages.list()}
    except Exception:
        listed = None
    result = []
    for action, spec in ops:
        name = _mp_requirement_name(spec)
        version = None if listed is None or name is None else listed.get(norm(name))
        result.append({"action": action, "spec": spec, "name": name, "version": version})
    return result, listed is not None


async def _mp_finish_runs(ctx, doc):
    # For marimo < 0.25.2, after the batch. (1) A cell no browser had run keeps its old code in
    # the kernel's cache of cells not yet run after the batch registered its new code, and the
    # next run of a dependent would register the old code again: retire it, as marimo 0.25.2
    # does. (2) In a batch that also changes cells marimo runs only the named cells its graph
    # holds and leaves the others stale: run those now in a run-only batch, where marimo
    # registers them (and never-run ancestors) as for any run.
    graph = ctx.graph
    pending = getattr(getattr(ctx, "_kernel", None), "_uninstantiated_execution_requests", None)
    if isinstance(pending, dict):
        for cid in doc["edited"]:
            if cid in graph.cells:
                pending.pop(cid, None)
    present = set(_mp_cell_id(c) for c in _mp_cells(ctx))
    left = [cid for cid in dict.fromkeys(doc["ran"]) if cid in present and cid not in graph.cells]
    if left:
        async with _mp_cm.get_context() as again:
            for cid in left:
                again.run_cell(cid)


def _mp_ran(ctx, ran):
    # The run targets marimo ran: registered in its graph, and not left stale or disabled.
    graph = ctx.graph
    result = []
    for cid in dict.fromkeys(ran):
        if cid not in graph.cells:
            continue
        try:
            status = ctx.cells[cid].status
        except Exception:
            status = None
        if status is not None and str(status) in ("stale", "disabled"):
            continue
        result.append(cid)
    return result


def _mp_report(ctx, doc, ui_names, package_ops):
    graph = ctx.graph
    watch = set(doc["created"].values()) | set(doc["edited"]) | set(doc["moved"]) | set(doc["ran"])
    roots = set(doc["ran"])
    for name in ui_names:
        roots |= set(graph.get_defining_cells(name))
    for cid in roots:
        if cid in graph.cells:
            watch.add(cid)
            watch |= set(graph.descendants(cid))
    watch -= set(doc["deleted"])
    cells = ctx.cells
    for i in range(len(cells)):
        cell = cells[i]
        if _mp_cell_id(cell) in watch:
            doc["cells"].append(_mp_cell_state(cell))
    if package_ops:
        doc["packages"], doc["packages_listed"] = _mp_packages(ctx, package_ops)
    doc["ran"] = _mp_ran(ctx, doc["ran"])
`;

/** Prints a kept batch result again (see `_mp_emit(..., keep=True)`); `NONCE` is replaced by a literal. */
export const PY_RECOVER = String.raw`# marimo-pair: fetch the kept result of an earlier batch (generated).
import sys as _mp_sys
_mp_nonce = NONCE
_mp_text = getattr(_mp_sys.modules.get("_marimo_pair_results"), "results", {}).pop(_mp_nonce, None)
if _mp_text is not None:
    _mp_sys.stdout.write("\n<<<marimo-pair:" + _mp_nonce + ">>>\n" + _mp_text + "\n<<<end:" + _mp_nonce + ">>>\n")
    _mp_sys.stdout.flush()
`;
