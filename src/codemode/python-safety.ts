/**
 * Fixed Python helpers of the safe-edit checks, placed in every batch (see
 * `python-prelude.ts`): one cell per target (ambiguous and missing names refused), unique
 * names, `expectCell`, UI values a person could set, and the capture an undo is built from.
 * They run inside the kernel in the same batch as the changes and raise `_MpRefusal` before
 * marimo applies anything. None of this text is built from caller input.
 *
 * @module
 */
import { PY_UI_HELPERS } from "./python-ui-values.js";

/** The safe-edit helpers (Python). */
export const PY_SAFE_HELPERS = String.raw`class _MpRefusal(Exception):
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


`+PY_UI_HELPERS+String.raw`def _mp_after(ctx, st, doc):
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


`;
