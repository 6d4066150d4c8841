/**
 * The CLI's first import: stops with one line on stderr, and exit status 1, when this Node
 * is older than the CLI needs. It imports nothing, so it runs before anything that would
 * fail on an old Node (Node 20 lacks `module.enableCompileCache`, and the dependencies need
 * Node ≥ 22.12).
 *
 * @module
 */

/** The oldest Node the CLI runs on (`engines.node` of package.json). */
export const MIN_NODE = { major: 22, minor: 12 } as const;

/** True when `version` (like `20.20.2`, with or without a leading `v`) is at least {@link MIN_NODE}. */
export function isSupportedNode(version: string): boolean {
  const [major = 0, minor = 0] = version.replace(/^v/, "").split(".").map((part) => Number.parseInt(part, 10));
  return major > MIN_NODE.major || (major === MIN_NODE.major && minor >= MIN_NODE.minor);
}

/** The one line printed on an old Node. */
export function oldNodeMessage(version: string, execPath: string): string {
  return (
    `marimo-pair: needs Node.js >= ${MIN_NODE.major}.${MIN_NODE.minor}, but ${execPath} is Node.js ${version.replace(/^v/, "")}; ` +
    "install Node.js 22.12 or newer\n"
  );
}

if (!isSupportedNode(process.versions.node)) {
  process.stderr.write(oldNodeMessage(process.versions.node, process.execPath));
  process.exit(1);
}
