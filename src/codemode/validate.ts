/**
 * Checks of single builder arguments: cell names, variable names, package specifiers,
 * config fields. They mirror what marimo would refuse, so mistakes surface while building.
 *
 * @module
 */
import { InvalidPlanError } from "./errors.js";

/** Python's hard keywords (`keyword.kwlist`); soft keywords such as `match` are valid names. */
const PYTHON_KEYWORDS: ReadonlySet<string> = new Set([
  "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
  "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
  "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
]);

const IDENTIFIER = /^[\p{XID_Start}_][\p{XID_Continue}]*$/u;

/** True when `name` is a Python identifier that is not a keyword (ignoring NFKC questions). */
export function isPythonIdentifier(name: string): boolean {
  return IDENTIFIER.test(name) && !PYTHON_KEYWORDS.has(name);
}

/**
 * Check a cell name the way marimo does: a non-keyword identifier in NFKC form, and not
 * `_` or `__` (marimo's markers of unnamed cells).
 *
 * @throws {InvalidPlanError} when the name is invalid.
 */
export function checkCellName(name: unknown, what: string): string {
  if (typeof name !== "string") throw new InvalidPlanError(`${what} must be a string, got ${typeof name}.`);
  if (name === "_" || name === "__") throw new InvalidPlanError(`${what} '${name}' is reserved by marimo for unnamed cells.`);
  if (name.normalize("NFKC") !== name) throw new InvalidPlanError(`${what} must be in NFKC form (marimo refuses other names).`);
  if (!isPythonIdentifier(name)) {
    throw new InvalidPlanError(`${what} must be a Python identifier that is not a keyword, such as 'load_data'; got ${JSON.stringify(name)}.`);
  }
  return name;
}

/**
 * Check the notebook variable named by `setUiValue`.
 *
 * @throws {InvalidPlanError} when it is not a non-keyword identifier in NFKC form.
 */
export function checkVariableName(name: unknown): string {
  if (typeof name !== "string" || !isPythonIdentifier(name) || name.normalize("NFKC") !== name) {
    // Python folds identifiers to NFKC, so another form could never name a defined variable.
    throw new InvalidPlanError(`setUiValue: the variable name must be a Python identifier in NFKC form, got ${JSON.stringify(name)}.`);
  }
  return name;
}

// Control characters (C0, DEL, C1) and line/paragraph separators never belong in a specifier.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;

/**
 * Check a pip-style package specifier (`pandas`, `numpy>=1.26`, `pkg[extra]==1.0`,
 * `name @ https://…`). marimo splits specifiers on whitespace and hands the parts to the
 * package manager's command line, so a part starting with `-` would be read as an option
 * (`--index-url …`, `-e path`): such specifiers are refused, as are empty ones and control
 * characters.
 *
 * @throws {InvalidPlanError} when the specifier is unsafe or empty.
 */
export function checkPackageSpec(spec: unknown, what: string): string {
  if (typeof spec !== "string") throw new InvalidPlanError(`${what} must be a string, got ${typeof spec}.`);
  if (spec.trim() === "") throw new InvalidPlanError(`${what} is empty.`);
  if (CONTROL.test(spec)) throw new InvalidPlanError(`${what} contains a control character or line break.`);
  if (spec.split(/\s+/u).some((part) => part.startsWith("-"))) {
    throw new InvalidPlanError(
      `${what} ${JSON.stringify(spec)} contains a part starting with '-', which the package manager would read as an option.`,
    );
  }
  return spec;
}

/**
 * Check an optional boolean option.
 *
 * @throws {InvalidPlanError} when present and not a boolean.
 */
export function checkBoolean(value: unknown, what: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "boolean") throw new InvalidPlanError(`${what} must be a boolean, got ${typeof value}.`);
  return value;
}

/**
 * Check an optional column index.
 *
 * @throws {InvalidPlanError} when present and not an integer ≥ 0.
 */
export function checkColumn(value: unknown, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidPlanError(`${what} must be an integer >= 0, got ${String(value)}.`);
  }
  return value;
}

/**
 * Check cell code.
 *
 * @throws {InvalidPlanError} when it is not a string.
 */
export function checkCode(value: unknown, what: string): string {
  if (typeof value !== "string") throw new InvalidPlanError(`${what} must be a string, got ${typeof value}.`);
  return value;
}
