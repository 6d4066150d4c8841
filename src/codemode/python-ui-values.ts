/**
 * Fixed Python helpers that let `setUiValue` set only values a person could set in the
 * browser: the element's domain (range and step of sliders and numbers, options of
 * dropdowns, radios and multiselects, booleans of checkboxes, shapes of lists), then the
 * element's own conversion on a copy. A refused value raises `_MpRefusal` before anything
 * is queued. Domains were read from marimo's `marimo/_plugins/ui/_impl/input.py`: the value
 * is what the front end sends (a slider with `steps` takes an index, a dropdown a list).
 *
 * @module
 */

/** The UI value helpers (Python). */
export const PY_UI_HELPERS = String.raw`def _mp_ui(ctx, name):
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


`;
