/**
 * One way to show zod's validation issues, whoever reports them: the library's
 * `ProtocolError`, discovery's invalid-entry diagnostics, the CLI's `apply` and the tools'
 * `invalid_input` results all name a field the same way (`cells[0].code`).
 *
 * @module
 */

/** The parts of a zod issue a message shows. */
export interface IssueLike {
  /** Where in the value: object keys and array indices. */
  readonly path: readonly PropertyKey[];
  /** What is wrong there. */
  readonly message: string;
}

/** The path of a field: `a.b[0].c`; `""` for the whole value. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path
    .map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))
    .join("")
    .replace(/^\./, "");
}

/**
 * `path: message` for one issue.
 *
 * @param root - names the whole value when the issue is about it (empty path), e.g. `(input)`.
 */
export function describeIssue(issue: IssueLike, root: string): string {
  const path = issuePath(issue.path);
  return `${path === "" ? root : path}: ${issue.message}`;
}

/** Every issue on a line of its own, indented by two spaces (see {@link describeIssue}). */
export function formatIssues(issues: readonly IssueLike[], root: string): string {
  return issues.map((issue) => `  ${describeIssue(issue, root)}`).join("\n");
}
