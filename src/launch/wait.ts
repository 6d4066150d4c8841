/**
 * One start of marimo: spawn its process group, wait for its own registry entry and
 * `/health`, and turn an early exit into a typed error carrying marimo's stderr.
 *
 * @module
 */
import { connect } from "../session/client.js";
import { LaunchError, MarimoNotFoundError, isNotebookUnreadable, isPortInUse, type LaunchAttempt } from "./errors.js";
import type { LaunchPlan, RunnerKind } from "./plan.js";
import { entryUrl, findOwnEntry } from "./registry.js";
import { listeningPorts } from "./ports.js";
import { connectHost, serverUrl } from "../discovery/urls.js";
import { spawnTree, type ExitStatus, type ProcessTree } from "./process-tree.js";

/** A server started by `launchServer`. */
export interface LaunchedServer {
  /** Base URL (with any `--base-url` prefix), without a trailing slash. */
  url: string;
  /** `"<host>:<port>"`, as in marimo's registry. */
  serverId: string;
  /** pid of the marimo server process. */
  pid: number;
  /** The server's marimo version. */
  version: string;
  /** Which branch of the decision tree chose the program. */
  runner: RunnerKind;
  /** The command that was run. */
  argv: readonly string[];
  /** Notes about choices made (e.g. a PEP 723 notebook started without a sandbox). */
  notes: readonly string[];
  /** Resolves when the server process has exited (for whatever reason). */
  exited: Promise<ExitStatus>;
  /** The end of marimo's output so far. */
  logs(): string;
  /** End marimo and every process it started: SIGTERM, then SIGKILL after the grace period. Idempotent. */
  stop(): Promise<void>;
  /** The same as `stop()`, under the name every handle of the SDK shares. */
  close(): Promise<void>;
  /** The same as `stop()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** @internal Everything one start needs. */
export interface StartRequest {
  argv: string[];
  cwd: string;
  env: Record<string, string | undefined>;
  plan: LaunchPlan;
  /** The port passed to marimo. */
  port: number;
  /** The host passed to marimo. */
  host: string;
  /** The `--base-url` passed to marimo, `""` when none. */
  baseUrl: string;
  /** Where this server's registry entry will appear. */
  registryDir: string;
  /** Epoch ms after which the start is a timeout. */
  deadline: number;
  /** The whole allowance, for the message. */
  timeoutMs: number;
  graceMs: number;
  signal: AbortSignal | undefined;
}

const POLL_MS = 150;

function failure(tree: ProcessTree, status: ExitStatus, attempt: LaunchAttempt, plan: LaunchPlan): Error {
  const tail = tree.stderrTail();
  const details = { stderrTail: tail, attempt, exitCode: status.code };
  if (status.code === 127 || /Failed to spawn: `marimo`|No module named marimo/.test(tail)) {
    return new MarimoNotFoundError([plan.command.join(" ")], tail);
  }
  if (isPortInUse(tail)) return new LaunchError("port_in_use", "marimo could not listen: the port is already in use", details);
  if (isNotebookUnreadable(tail)) return new LaunchError("notebook_unreadable", "marimo could not open the notebook", details);
  const how = status.code === null ? `was killed by ${status.signal ?? "a signal"}` : `exited with code ${status.code}`;
  return new LaunchError("startup_crash", `marimo ${how} during startup`, details);
}

async function answersHealthy(url: string, signal: AbortSignal | undefined): Promise<boolean> {
  return connect(url, { timeoutMs: 2000, allowRemote: true })
    .health({ signal })
    .then((h) => h.status === "healthy")
    .catch(() => false);
}

const ENTRY_MISSING =
  "marimo's registry entry for this server is missing (a server that failed to start on the same port removed it): discovery will not list it.";

interface Found {
  url: string;
  serverId: string;
  pid: number;
  version: string;
  entryMissing: boolean;
}

/**
 * The launched server, once it answers: found by its registry entry (written by a process of
 * our group, so never another server on the same port), or — when that entry was removed by
 * another marimo that lost the port — by the port our group listens on (Linux).
 */
async function findServer(request: StartRequest, tree: ProcessTree, signal: AbortSignal | undefined): Promise<Found | undefined> {
  const own = await findOwnEntry(request.registryDir, tree.pid);
  const url = own === undefined ? undefined : entryUrl(own.entry);
  if (own !== undefined && url !== undefined) {
    if (!(await answersHealthy(url, signal))) return undefined;
    return { url: url.replace(/\/+$/, ""), serverId: own.entry.server_id, pid: own.entry.pid, version: own.entry.version, entryMissing: false };
  }
  const listener = (await listeningPorts(tree.pid)).find((l) => l.port === request.port);
  const direct = serverUrl(connectHost(request.host), request.port, request.baseUrl);
  if (listener === undefined || direct === undefined || !(await answersHealthy(direct, signal))) return undefined;
  // The registry writes before binding; give a late entry one more poll before falling back.
  if ((await findOwnEntry(request.registryDir, tree.pid)) !== undefined) return undefined;
  const version = await connect(direct, { timeoutMs: 2000, allowRemote: true })
    .version({ signal })
    .catch(() => undefined);
  if (version === undefined) return undefined;
  return { url: direct, serverId: `${request.host}:${request.port}`, pid: listener.pid, version, entryMissing: true };
}

/**
 * @internal Start marimo once and wait until it is up. On any failure the process group is
 * ended before the error is thrown.
 */
export async function startOnce(request: StartRequest): Promise<LaunchedServer> {
  const { argv, cwd, env, plan, signal } = request;
  const attempt: LaunchAttempt = { argv, cwd };
  let tree: ProcessTree;
  try {
    tree = await spawnTree(argv, { cwd, env });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "ENOENT" || code === "EACCES") throw new MarimoNotFoundError([argv[0] ?? ""], "", { cause: error });
    throw error;
  }
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopping ??= tree.stop(request.graceMs));
  try {
    for (;;) {
      if (signal?.aborted === true) throw signal.reason;
      if (!tree.running()) throw failure(tree, await tree.exited, attempt, plan);
      if (Date.now() > request.deadline) {
        throw new LaunchError("timeout", `marimo did not become ready within ${request.timeoutMs} ms`, {
          stderrTail: tree.stderrTail(),
          attempt,
          exitCode: null,
        });
      }
      const up = await findServer(request, tree, signal);
      if (up !== undefined && tree.running()) {
        const onAbort = () => void stop();
        signal?.addEventListener("abort", onAbort, { once: true });
        void tree.exited.then(() => signal?.removeEventListener("abort", onAbort));
        return {
          ...up,
          runner: plan.runner,
          argv,
          notes: up.entryMissing ? [...plan.notes, ENTRY_MISSING] : plan.notes,
          exited: tree.exited,
          logs: () => tree.outputTail(),
          stop,
          close: stop,
          [Symbol.asyncDispose]: stop,
        };
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  } catch (error) {
    await stop();
    throw error;
  }
}
