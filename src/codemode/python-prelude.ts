/**
 * Fixed Python helper code placed before generated batches and read queries. None of it is
 * built from caller input: generated code passes caller values to these helpers only as
 * escaped literals. Every name starts with `_mp_` so that it cannot clash with notebook
 * variables (the scratchpad discards them afterwards anyway).
 *
 * @module
 */

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

/** Resolves targets, looks up UI elements, classifies failures and reports a batch. */
export const PY_BATCH_HELPERS = String.raw`

class _MpRefusal(Exception):
    # A refusal decided by these helpers inside the batch; raised before marimo applies
    # anything, so the whole batch is discarded. "info" reaches the result document.
    def __init__(self, kind, message, **info):
        super().__init__(message)
        self.kind = kind
        self.info = info


def _mp_cells(ctx):
    # The notebook's cells in order. The document's own cells are read where marimo has
    # them, so that reading code here does not count as the agent having read it.
    doc = getattr(ctx, "_document", None)
    if doc is not None and hasattr(doc, "cells"):
        return list(doc.cells)
    cells = ctx.cells
    return [cells[i] for i in range(len(cells))]


def _mp_name(cell):
    name = getattr(cell, "name", None) or ""
    return "" if name in ("_", "__") else name


def _mp_config(cell):
    config = getattr(cell, "config", None)
    return {
        "hide_code": bool(getattr(config, "hide_code", False)),
        "disabled": bool(getattr(config, "disabled", False)),
        "column": getattr(config, "column", None),
        "expand_output": bool(getattr(config, "expand_output", False)),
    }


def _mp_begin(ctx):
    # What the notebook looked like when the batch started (nothing is applied before exit).
    cells = _mp_cells(ctx)
    return {
        "cells": {_mp_cell_id(c): (i, c) for i, c in enumerate(cells)},
        "order": [_mp_cell_id(c) for c in cells],
        "pending": {},
        "renamed": set(),
        "gone": set(),
        "created": set(),
        "before": {},
        "ui_before": {},
    }


def _mp_had_run(ctx, cid):
    try:
        status = ctx.cells[cid].status
    except Exception:
        return False
    return status is not None and str(status) in ("idle", "exception", "interrupted")


def _mp_touch(ctx, st, cid):
    # Remember a cell's state before the batch, the first time an operation touches it.
    found = st["cells"].get(cid)
    if found is None or cid in st["before"]:
        return
    index, cell = found
    st["before"][cid] = {
        "id": cid,
        "index": index,
        "code": getattr(cell, "code", ""),
        "name": _mp_name(cell),
        "config": _mp_config(cell),
        "had_run": _mp_had_run(ctx, cid),
    }


def _mp_target(ctx, st, kind, value):
    # Resolve a target to exactly one cell id the way marimo does (id first, then name,
    # then names given earlier in this batch), refusing a name that several cells hold.
    if kind != "name" and (value in st["cells"] or value in st["created"]):
        return value
    if kind == "id":
        raise _MpRefusal("cell_not_found", "No cell has the id " + repr(value) + ".", target=value, by="id")
    matches = [cid for cid, (_i, cell) in st["cells"].items() if _mp_name(cell) == value and cid not in st["renamed"]]
    pending = st["pending"].get(value)
    if pending is not None and pending not in matches:
        matches.append(pending)
    if len(matches) > 1:
        raise _MpRefusal("ambiguous_cell", "Several cells are named " + repr(value) + ".", target=value, cell_ids=sorted(matches))
    if not matches:
        raise _MpRefusal("cell_not_found", "No cell has the id or name " + repr(value) + ".", target=value, by=kind)
    return matches[0]


def _mp_claim(st, name, own, allow):
    # A name must not be held by another cell, unless the caller allowed duplicates.
    if name is None or name == "":
        return
    if not allow:
        holders = [
            cid for cid, (_i, cell) in st["cells"].items()
            if _mp_name(cell) == name and cid != own and cid not in st["renamed"] and cid not in st["gone"]
        ]
        pending = st["pending"].get(name)
        if pending is not None and pending != own and pending not in st["gone"] and pending not in holders:
            holders.append(pending)
        if holders:
            raise _MpRefusal("duplicate_name", "The name " + repr(name) + " is already taken.", name=name, holder_ids=holders)
    st["pending"][name] = own


def _mp_created(st, cid, name):
    st["created"].add(cid)
    if name:
        st["pending"][name] = cid


def _mp_renamed(st, cid, name):
    if name is None:
        return
    st["renamed"].add(cid)
    if name:
        st["pending"][name] = cid


def _mp_expect(ctx, st, kind, value, label, expected):
    # Refuse the batch unless the cell is as expected (an undo checks what its batch left).
    try:
        cid = _mp_target(ctx, st, kind, value)
    except _MpRefusal as exc:
        if exc.kind != "cell_not_found":
            raise
        raise _MpRefusal("cell_changed", "The cell " + repr(label) + " is gone.", cell_id=value, target=label, fields=["deleted"])
    found = st["cells"].get(cid)
    if found is None:
        raise _MpRefusal("cell_changed", "The cell " + repr(label) + " is not in the notebook yet.", cell_id=cid, target=label, fields=["deleted"])
    index, cell = found
    actual = {"code": getattr(cell, "code", ""), "name": _mp_name(cell), "index": index}
    actual.update(_mp_config(cell))
    differ = [key for key, value in expected.items() if actual.get(key) != value]
    if differ:
        raise _MpRefusal("cell_changed", "The cell " + repr(label) + " changed.", cell_id=cid, target=label, fields=differ)
    # The code was compared, so it counts as read (an undo may then restore it).
    ctx.cells[cid].code


def _mp_ui(ctx, name):
    scope = ctx.globals
    if name not in scope:
        raise _MpRefusal("unknown_variable", "No notebook variable is named " + repr(name) + ".", variable=name)
    element = scope[name]
    if not hasattr(element, "_id") or not hasattr(element, "_convert_value"):
        raise _MpRefusal("not_ui_element", "The notebook variable " + repr(name) + " is not a UI element.", variable=name, type_name=type(element).__name__)
    return element


def _mp_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _mp_on_step(value, start, step):
    if step is None or step == 0 or start is None:
        return True
    n = (value - start) / step
    return abs(n - round(n)) <= 1e-9 * max(1.0, abs(n))


def _mp_ui_domain(element, value):
    # The values a person could give the element in the browser: returns (domain, problem),
    # problem None when the value is one of them. The value is what the front end sends.
    kind = type(element).__name__
    if kind in ("checkbox", "switch"):
        return "true or false", None if isinstance(value, bool) else "not a boolean"
    if kind in ("slider", "range_slider", "number"):
        steps = getattr(element, "steps", None)
        if steps:
            start, stop, step = 0, len(steps) - 1, 1
            domain = "an index 0.." + str(stop) + " into the steps " + repr(list(steps))
        else:
            start, stop, step = getattr(element, "start", None), getattr(element, "stop", None), getattr(element, "step", None)
            domain = "a number"
            if start is not None or stop is not None:
                domain += " in [" + ("" if start is None else repr(start)) + ", " + ("" if stop is None else repr(stop)) + "]"
            if step is not None:
                domain += " in steps of " + repr(step) + ("" if start is None else " from " + repr(start))
        def check(v):
            if not _mp_number(v):
                return "not a number"
            if v != v or v in (float("inf"), float("-inf")):
                return "not a finite number"
            if start is not None and v < start:
                return "below " + repr(start)
            if stop is not None and v > stop:
                return "above " + repr(stop)
            if steps and v != int(v):
                return "not a whole step index"
            if not _mp_on_step(v, start, step):
                return "not on a step"
            return None
        if kind == "range_slider":
            domain = "a list [low, high] of " + domain + ", low <= high"
            if not isinstance(value, list) or len(value) != 2:
                return domain, "not a list of two numbers"
            problem = check(value[0]) or check(value[1])
            if problem is None and value[0] > value[1]:
                problem = "low is above high"
            return domain, problem
        if kind == "number" and value is None:
            return domain + ", or null (empty)", None
        return domain, check(value)
    options = getattr(element, "options", None)
    if kind == "radio" and isinstance(options, dict):
        names = list(options.keys())
        domain = "one of " + repr(names) + " or null"
        return domain, None if value is None or (isinstance(value, str) and value in options) else "not an option"
    if kind == "dropdown" and isinstance(options, dict):
        names = list(options.keys())
        domain = "a list holding one of " + repr(names) + ", or an empty list when nothing may be selected"
        if not isinstance(value, list) or len(value) > 1 or not all(isinstance(v, str) for v in value):
            return domain, "not a list of at most one option name"
        if value and value[0] not in options:
            return domain, "not an option"
        if not value and not getattr(element, "_component_args", {}).get("allow-select-none", True):
            return domain, "this dropdown needs a selection"
        return domain, None
    if kind == "multiselect" and isinstance(options, dict):
        names = list(options.keys())
        most = getattr(element, "_component_args", {}).get("max-selections")
        domain = "a list of distinct options among " + repr(names) + ("" if most is None else ", at most " + str(most))
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return domain, "not a list of option names"
        if any(v not in options for v in value):
            return domain, "not an option"
        if len(set(value)) != len(value):
            return domain, "an option repeated"
        if most is not None and len(value) > most:
            return domain, "too many options"
        return domain, None
    if kind in ("text", "text_area", "code_editor"):
        most = getattr(element, "_component_args", {}).get("max-length")
        domain = "a string" + ("" if most is None else " of at most " + str(most) + " characters")
        if not isinstance(value, str):
            return domain, "not a string"
        if most is not None and len(value) > most:
            return domain, "too long"
        return domain, None
    return "a value the " + kind + " element accepts", None


def _mp_ui_set(ctx, st, name, value):
    # Set a UI element's value only if a person could have set it; remember its old value.
    import copy
    element = _mp_ui(ctx, name)
    kind = type(element).__name__
    given = value
    if kind == "dropdown" and isinstance(value, str):
        value = [value]
    domain, problem = _mp_ui_domain(element, value)
    if problem is None:
        try:
            # Convert on a copy: some elements remember what they converted.
            copy.copy(element)._convert_value(copy.deepcopy(value))
        except Exception as exc:
            problem = type(exc).__name__ + ": " + str(exc)
    if problem is not None:
        raise _MpRefusal("ui_value_rejected", "The value is refused by " + repr(name) + ".", variable=name, element=kind, domain=domain, value=given, problem=problem)
    if name not in st["ui_before"]:
        old = getattr(element, "_value_frontend", None)
        try:
            _mp_json.dumps(old, allow_nan=False)
            st["ui_before"][name] = {"value": old}
        except Exception:
            st["ui_before"][name] = {"value": None, "unsupported": type(old).__name__}
    ctx.set_ui_value(element, value)


def _mp_after(ctx, st, doc):
    # What an undo needs: the touched cells before and after the batch, and the order.
    cells = _mp_cells(ctx)
    touched = set(doc["created"].values()) | set(doc["edited"]) | set(doc["moved"])
    after = []
    for i, cell in enumerate(cells):
        cid = _mp_cell_id(cell)
        if cid in touched:
            after.append({"id": cid, "index": i, "code": getattr(cell, "code", ""), "name": _mp_name(cell), "config": _mp_config(cell)})
    doc["undo"] = {
        "before": list(st["before"].values()),
        "after": after,
        "order_before": st["order"],
        "order_after": [_mp_cell_id(c) for c in cells],
        "ui_before": st["ui_before"],
    }


def _mp_syntax_culprit(sources):
    import ast
    for label, code in sources:
        try:
            compile(code, "<cell>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
        except SyntaxError as exc:
            return label, exc.lineno, exc.offset
        except Exception:
            continue
    return None, None, None


def _mp_failure(exc, phase, sources):
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
        cell, line, column = _mp_syntax_culprit(sources)
        info["kind"] = "syntax"
        info["cell"] = cell
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
