/**
 * {@link launchServer} as the entries export it: it loads the launch code (process
 * management, port probing, `node:child_process`) on its first call, so that
 * `import("marimo-pair")` does not.
 *
 * @module
 */
import type { LaunchedServer, LaunchOptions } from "./launch.js";

/**
 * Start `marimo edit` for a notebook and wait until it answers.
 *
 * The program comes from this decision tree: an explicit `command`;
 * a project whose `pyproject.toml` lists marimo (its `uv run`, `pixi run` or `.venv`); a
 * notebook with a PEP 723 header gets marimo's sandbox; else `marimo` on PATH; else
 * `uvx marimo`. marimo always runs with `--no-token`, so it registers itself for discovery
 * and the SDK needs no token. Startup is over when marimo's registry entry (written by a
 * process of the launched group) exists and `/health` answers.
 *
 * Without `port`, the first free port from 2718 is chosen (never one this process handed to
 * another launch in the last minute) and passed to marimo; when another process takes it
 * before marimo binds it, the next one is tried (up to three starts).
 *
 * The server is ended with its kernels by `stop()` (or `close()`, or `await using`), by
 * `signal`, or when this Node process exits.
 *
 * @throws {MarimoNotFoundError} when no way to run marimo is found.
 * @throws {LaunchError} when marimo does not come up (`reason`: `port_in_use`,
 *   `notebook_unreadable`, `startup_crash`, `timeout`), with marimo's stderr tail.
 * @example
 * ```ts
 * await using server = await launchServer({ notebook: "analysis.py", headless: true });
 * await using client = connect(server.url);
 * const nb = await client.openSession({ file: "analysis.py" });
 * console.log((await nb.execute("1 + 1")).output);
 * // On leaving the scope, the client closes, then the server stops.
 * ```
 */
export async function launchServer(options: LaunchOptions = {}): Promise<LaunchedServer> {
  const { launchServer: launch } = await import("./launch.js");
  return launch(options);
}
