/**
 * How a command reaches its notebook: the target options (`--url`, `--token`, `--file`,
 * `--session`) go to the core resolver (`locateSession`, behind `findSession`), which
 * searches every discovered server, or only `--url`. This module only renders: the warning
 * the host policy asks for, and usage errors in flag terms.
 *
 * @module
 */
import type { MarimoClient } from "../session/client.js";
import { checkHost } from "../session/host-policy.js";
import { connectCli } from "./connect.js";
import { UsageError } from "./argv.js";
import type { FailureContext } from "./guidance.js";
import type { CliIo } from "./io.js";
import { type ResolvedNotebook, selectorOf, type TargetOptions, tokenOf } from "./target-options.js";

/**
 * Apply the host policy to a URL the user named with `--url`: a host other than this
 * machine (or, under WSL, the Windows host) is allowed, because the user chose it, but
 * warned about on stderr, because code and the token go there.
 *
 * @throws {UsageError} for a malformed URL.
 */
export async function checkUrl(url: string, options: TargetOptions, io: CliIo, command: string): Promise<void> {
  let verdict;
  try {
    verdict = await checkHost(url, "allow", io.env);
  } catch {
    throw new UsageError(`--url '${url}' is not an absolute URL (expected e.g. http://127.0.0.1:2718)`, command);
  }
  if (verdict.kind === "remote") {
    await io.stderr.write(
      `marimo-pair: warning: '${verdict.host}' is not this machine; your code` +
        `${tokenOf(options, io.env) === undefined ? "" : " and token"} will be sent there. Make sure you trust it.\n`,
    );
  }
}

/**
 * Connect to a URL the user named, after {@link checkUrl}.
 *
 * @throws {UsageError} for a malformed URL.
 */
export async function connectToUrl(url: string, options: TargetOptions, io: CliIo, command: string): Promise<MarimoClient> {
  await checkUrl(url, options, io, command);
  try {
    return connectCli(url, { token: tokenOf(options, io.env), allowRemote: true });
  } catch (error) {
    if (error instanceof TypeError) throw new UsageError(`--url: ${error.message}`, command);
    throw error;
  }
}

/** How {@link resolveNotebook} selects. */
export interface ResolveHow {
  /** Open a served notebook nobody has open (`marimo-pair open`). */
  open?: boolean;
  /**
   * With `--url` and `--session`, skip listing the server's sessions: the first request goes
   * to the named id, and only when marimo does not know it are the sessions listed (to
   * resolve a stable id, or to fail with the list). For commands whose first call is such a
   * request (`exec`); the session's file stays unknown until then.
   */
  named?: boolean;
}

/**
 * Select the notebook the options describe: on `--url`, or on any discovered server. With
 * `how.open`, a served notebook nobody has open is opened (`marimo-pair open`). `context.url`
 * is set as soon as the server is known, so a failure can name it.
 *
 * @throws the core's selection and connection errors, and {@link UsageError}.
 */
export async function resolveNotebook(
  options: TargetOptions,
  io: CliIo,
  command: string,
  context: FailureContext,
  how: ResolveHow = {},
): Promise<ResolvedNotebook> {
  const selector = { ...selectorOf(options), ...(how.open === true ? { open: true } : {}) };
  let client: MarimoClient | undefined;
  if (options.url !== undefined) {
    client = await connectToUrl(options.url, options, io, command);
    context.url = client.url;
    if (how.named === true && options.session !== undefined && how.open !== true) {
      const info = { sessionId: options.session, stableId: null, filename: null, path: null };
      return { url: client.url, client, notebook: client.sessionOf(info, { sessionId: options.session }), opened: false };
    }
  }
  const { locateSession } = await import("../session/find.js");
  const known = client;
  const token = tokenOf(options, io.env);
  const found = await locateSession(selector, {
    // Every server is reached over the CLI's lean transport (see ./connect.ts).
    ...(known === undefined
      ? { client: (url: string) => connectCli(url, { token, allowRemote: true }) }
      : { urls: [known.url], discover: false, client: () => known }),
    token,
    allowRemote: true,
    env: io.env,
  });
  context.url = found.url;
  return { url: found.url, client: found.client, notebook: found.session, opened: found.opened };
}
