/**
 * marimo version parsing and comparison, and the releases that introduced the
 * features this SDK gates on. Pure.
 *
 * @module
 */

/** A parsed marimo version (`0.25.2`, `0.23.7.dev3`, `0.24.0rc1`). */
export interface MarimoVersion {
  major: number;
  minor: number;
  patch: number;
  /** Pre-release or dev suffix (`dev3`, `rc1`), `""` for a release. */
  suffix: string;
}

/** Parse a version string; `undefined` when it is not of the `X.Y[.Z]...` form. */
export function parseMarimoVersion(text: string): MarimoVersion | undefined {
  const m = /^\s*v?(\d+)\.(\d+)(?:\.(\d+))?(?:[.-]?([0-9A-Za-z.+-]*))?\s*$/.exec(text);
  if (m === null) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0), suffix: m[4] ?? "" };
}

// PEP 440 order of suffixes around a release: dev < a < b < rc < (release) < post.
const SUFFIX_RANK: Readonly<Record<string, number>> = { dev: 0, a: 1, alpha: 1, b: 2, beta: 2, c: 3, rc: 3, post: 5 };
const RELEASE_RANK = 4;

/** `[rank, number]` of a suffix such as `dev3`, `rc1`, `.post2`; local labels (`+abc`) are ignored. */
function suffixKey(suffix: string): [number, number] {
  const m = /^[._-]?([a-z]+)[._-]?(\d*)/i.exec(suffix.split("+")[0] ?? "");
  if (m === null) return [RELEASE_RANK, 0];
  const rank = SUFFIX_RANK[(m[1] ?? "").toLowerCase()];
  return rank === undefined ? [RELEASE_RANK, 0] : [rank, Number(m[2] || 0)];
}

/**
 * Compare two versions: negative when `a < b`, 0 when equal, positive when `a > b`.
 * Suffixes follow PEP 440 (`0.23.7.dev3 < 0.23.7rc1 < 0.23.7 < 0.23.7.post1`); unknown
 * suffixes and local labels count as the release. Unparseable versions sort after every
 * parseable one (treated as newest).
 */
export function compareMarimoVersions(a: string, b: string): number {
  const va = parseMarimoVersion(a);
  const vb = parseMarimoVersion(b);
  if (va === undefined || vb === undefined) return (va === undefined ? 1 : 0) - (vb === undefined ? 1 : 0);
  const diff = va.major - vb.major || va.minor - vb.minor || va.patch - vb.patch;
  if (diff !== 0) return diff;
  const [ra, na] = suffixKey(va.suffix);
  const [rb, nb] = suffixKey(vb.suffix);
  return ra - rb || na - nb;
}

/** True when `version` is at least `minimum`. */
export function isAtLeast(version: string, minimum: string): boolean {
  return compareMarimoVersions(version, minimum) >= 0;
}

/** The first marimo release with each feature this SDK uses. */
export const FEATURE_SINCE = {
  /** `/api/kernel/execute`, `/api/sessions`, the registry and `marimo._code_mode`. */
  execute: "0.21.0",
  /** `ctx.run_cell`, and cells no longer run automatically when created. */
  runCell: "0.21.1",
  /** `ctx.packages.add/remove` (before: `ctx.install_packages`, no removal). */
  packagesNamespace: "0.23.2",
  /** `GET /api/kernel/status`. */
  kernelStatus: "0.23.9",
  /** `skip_staleness_check`, `NotebookCell.output` and `.console_outputs`, the uniform `done` shape. */
  stalenessCheck: "0.23.7",
  /** `GET /sse` (browser-less sessions without a WebSocket). */
  sseSessions: "0.23.14",
} as const;
