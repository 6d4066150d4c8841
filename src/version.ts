/**
 * marimo version parsing and comparison, and the capability table: for each feature the
 * SDK gates on, the first marimo release that has it (measured against real servers of
 * every release from 0.21.1 on) and what the SDK does on older ones. The table drives the
 * version gates, `nb.capabilities()` and the README's compatibility table. Pure: no
 * imports, no I/O (the setup and compat scripts load it directly).
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

/** The features of marimo this SDK gates on, by id. */
export type MarimoFeatureId =
  | "execute"
  | "runCell"
  | "cellStatus"
  | "codeModeSaves"
  | "packagesNamespace"
  | "stalenessCheck"
  | "kernelStatus"
  | "sseSessions"
  | "separateExecutes"
  | "skewFreeSessionList"
  | "codeModeCapabilities"
  | "skipValidationArg"
  | "expandOutput"
  | "stableSessionIds"
  | "runRegistersCells"
  | "consoleBeforeDone"
  | "fileCellNames"
  | "batchRegistersCells"
  | "executionEvents"
  | "mcpOutputMimetype"
  | "singleInterrupt";

/** One row of the capability table. */
export interface MarimoFeature {
  /** The first marimo release that has it. */
  readonly since: string;
  /** What it is, in the SDK's terms. */
  readonly feature: string;
  /** What the SDK does when the server's marimo is older. */
  readonly before: string;
}

/**
 * The capability table. Rows are in the order of their `since`; the README's
 * compatibility table is generated from it (`node scripts/compat-table.ts`).
 */
export const MARIMO_FEATURES: { readonly [K in MarimoFeatureId]: MarimoFeature } = {
  execute: {
    since: "0.21.0",
    feature: "`execute()`/`stream()` (`POST /api/kernel/execute`), `GET /api/sessions`, the server registry, `marimo._code_mode`",
    before: "nothing works; the oldest supported release is 0.21.1",
  },
  runCell: {
    since: "0.21.1",
    feature: "code mode: `ctx.run_cell`, and cells created without running",
    before: "`UnsupportedVersionError` from every code-mode plan",
  },
  fileCellNames: {
    since: "0.22.0",
    feature: "the names of cells defined in the notebook file, in `nb.cells()` and reads by name (code mode reads marimo's notebook document)",
    before:
      "their `name` is `null` (the kernel never sees the file's names; names given through code mode are known), and a read by a name that matches nothing throws `UnsupportedVersionError`",
  },
  skewFreeSessionList: {
    since: "0.22.3",
    feature: "`GET /api/sessions` on a server with a token or skew protection",
    before:
      "`ServerFlagsRequiredError` naming the flags to restart marimo with; a session named by id (`client.session({ sessionId })`, `--session`, the tools' `session`) is used without the listing; `launchServer()` starts such a marimo without skew protection",
  },
  runRegistersCells: {
    since: "0.22.5",
    feature: "code mode runs cells of a notebook no browser has run (marimo registers them before an execute)",
    before: "`UnsupportedVersionError` from plans that run cells (0.22.0 fails with `KeyError`; 0.21.x happens to run them, yet is refused too)",
  },
  cellStatus: {
    since: "0.22.5",
    feature: "`nb.cells()` reports each cell's run status",
    before: "`status` is `null` (marimo keeps none)",
  },
  codeModeSaves: {
    since: "0.23.4",
    feature: "code-mode changes are saved to the notebook file",
    before: "`UnsupportedVersionError` from plans that change cells (the file would silently miss them)",
  },
  consoleBeforeDone: {
    since: "0.23.3",
    feature: "all of an execute's stdout/stderr arrives before its `done` (marimo flushes the console before the cell goes idle)",
    before:
      "marimo's server waits only 50 ms after the code ends for console output still in flight: megabytes written shortly before the end can miss the result (stdout comes back short or empty) and turn up in the next execute's output; the SDK cannot see it happen",
  },
  packagesNamespace: {
    since: "0.23.2",
    feature: "`ctx.packages.add/remove`, `nb.packages()`",
    before: "adding uses `ctx.install_packages`; removing and listing throw `UnsupportedVersionError`",
  },
  stalenessCheck: {
    since: "0.23.7",
    feature: "the staleness guard (`StaleCellsError` when a cell changed since it was read), cell output and console in `nb.cells()`",
    before: "`UnsupportedVersionError` from plans that edit, move or delete existing cells unless `skipStalenessCheck` is set",
  },
  separateExecutes: {
    since: "0.23.16",
    feature: "concurrent executes on one session keep their outputs apart",
    before: "the SDK runs one execute per session at a time (client-side queue)",
  },
  kernelStatus: {
    since: "0.23.9",
    feature: "`nb.status()` (`GET /api/kernel/status`)",
    before: "`UnsupportedVersionError`; after an aborted execute the next one waits without it",
  },
  sseSessions: {
    since: "0.23.14",
    feature: "`nb.events()` and `openSession` over `GET /sse`",
    before: "`openSession` uses the WebSocket; `events()` throws `UnsupportedVersionError`",
  },
  skipValidationArg: {
    since: "0.22.0",
    feature: "`get_context(skip_validation=...)` for `skipValidation`",
    before: "the SDK spells it `check=False`",
  },
  stableSessionIds: {
    since: "0.25.0",
    feature: "`SessionInfo.stableId` (`Marimo-Stable-Session-Id`): a session keeps its identity through a browser reload",
    before: "`stableId` is `null`; a session selected by file is looked up again after a reload",
  },
  singleInterrupt: {
    since: "0.25.1",
    feature: "an aborted execute interrupts its run once",
    before:
      "from 0.23.14 marimo sends the kernel two interrupts milliseconds apart for one aborted execute (0.21.1–0.23.13 send one): an `except KeyboardInterrupt:` or `finally:` block is interrupted again, and a second interrupt landing in marimo's own bookkeeping can hold the kernel up to 5 s or hang it until a restart; the SDK stops an aborted execute with one interrupt of its own (`POST /api/kernel/interrupt`) and reads on to marimo's `done` before it closes the connection (at most 10 s), so marimo never sees it drop while the run goes on; a stream aborted before anyone read from it, or whose run outlasts those 10 s, is closed all the same and gets marimo's two interrupts",
  },
  expandOutput: {
    since: "0.25.1",
    feature: "the `expandOutput` cell option",
    before: "`UnsupportedVersionError` from plans that set it",
  },
  codeModeCapabilities: {
    since: "0.24.0",
    feature: "marimo's own `cm.capabilities()` in `nb.capabilities()`",
    before: "`marimoCapabilities` is `null`",
  },
  executionEvents: {
    since: "0.25.2",
    feature: "`execution` events in `nb.events()` (each cell run planned, running, completed) and the `outcome` of `completed_run`",
    before: "no `execution` events arrive, and `completed_run.outcome` is `null`",
  },
  mcpOutputMimetype: {
    since: "0.25.2",
    feature: "marimo's MCP server names the mimetype of `execute_code`'s output (`output_mimetype`)",
    before:
      "the transport for marimo's MCP server labels output that starts with a tag `text/html` and anything else `text/plain` (marimo sends the HTML or the plain text of the output, without saying which)",
  },
  batchRegistersCells: {
    since: "0.25.2",
    feature:
      "a code-mode batch that also changes cells runs every cell it names, registering those no browser has run (and their ancestors) first",
    before:
      "marimo runs only the named cells its graph already holds and leaves the others `stale`, and keeps an edited never-run cell's old code for the next run to register again; the SDK drops that old code and runs the cells left over right after, in a second, run-only batch in the same execute (after the batch's UI values are set)",
  },
};

/** The first marimo release with each feature this SDK uses (the `since` column of the capability table). */
export const FEATURE_SINCE: { readonly [K in MarimoFeatureId]: string } = Object.fromEntries(
  Object.entries(MARIMO_FEATURES).map(([id, row]) => [id, row.since]),
) as { readonly [K in MarimoFeatureId]: string };

/**
 * The first marimo release that interrupts an aborted execute twice (when its connection
 * drops); `singleInterrupt` is the first that does it once again.
 */
const DOUBLE_INTERRUPT_SINCE = "0.23.14";

/** Whether marimo `version` interrupts the kernel twice when an execute's connection drops. */
export function interruptsTwiceOnDrop(version: string): boolean {
  return isAtLeast(version, DOUBLE_INTERRUPT_SINCE) && !hasFeature(version, "singleInterrupt");
}

/** The oldest marimo release the SDK supports. */
export const OLDEST_SUPPORTED = "0.21.1";

/**
 * The releases `npm run test:compat` runs the integration suite against: the newest patch of
 * every minor since {@link OLDEST_SUPPORTED}, plus the releases where features start. The
 * last one is the release the project pins (`.venv`).
 */
export const TESTED_RELEASES: readonly string[] = ["0.21.1", "0.22.5", "0.23.7", "0.23.14", "0.23.16", "0.24.2", "0.25.2"];

/** Whether `version` has `feature`. */
export function hasFeature(version: string, feature: MarimoFeatureId): boolean {
  return isAtLeast(version, MARIMO_FEATURES[feature].since);
}

/** Every feature of the table, and whether `version` has it. */
export function featuresOf(version: string): { [K in MarimoFeatureId]: boolean } {
  return Object.fromEntries(
    (Object.keys(MARIMO_FEATURES) as MarimoFeatureId[]).map((id) => [id, hasFeature(version, id)]),
  ) as { [K in MarimoFeatureId]: boolean };
}

/** The README's compatibility table (Markdown), generated from {@link MARIMO_FEATURES}. */
export function compatibilityTableMarkdown(): string {
  const rows = (Object.entries(MARIMO_FEATURES) as [MarimoFeatureId, MarimoFeature][])
    .sort(([, a], [, b]) => compareMarimoVersions(a.since, b.since))
    .map(([id, row]) => `| ${row.since} | \`${id}\` | ${row.feature} | ${row.before} |`);
  return ["| since | id | feature | on older marimo |", "|---|---|---|---|", ...rows].join("\n");
}
