/**
 * How a command reaches its notebook: the target options (`--url`, `--token`, `--file`,
 * `--session`), the non-local host warning, the token, and session selection — by URL,
 * or through discovery when no URL is given.
 *
 * @module
 */
import { isLoopbackHost } from "../http/base-url.js";
import type { MarimoClient } from "../session/client.js";
import { connectCli } from "./connect.js";
import { UsageError } from "./argv.js";
import type { FailureContext } from "./guidance.js";
import type { CliIo } from "./io.js";
import { type ResolvedNotebook, selectorOf, type TargetOptions, tokenOf } from "./target-options.js";

/**
 * True for hosts that stay on this machine: loopback names and addresses, and the
 * bind-all addresses `0.0.0.0` and `::` (which reach this machine when dialled), plus
 * any host in `alsoLocal` (the WSL gateway to the Windows host).
 */
export function isLocalHost(hostname: string, alsoLocal: readonly string[] = []): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return isLoopbackHost(host) || host === "0.0.0.0" || host === "::" || alsoLocal.includes(host);
}

async function isWindowsHost(hostname: string, io: CliIo): Promise<boolean> {
  const { windowsHostAddress } = await import("./wsl-gateway.js");
  const gateway = await windowsHostAddress(io.env);
  return gateway !== undefined && isLocalHost(hostname, [gateway]);
}

/**
 * Connect to a URL the user named. A non-local host is allowed (the user chose it) but
 * warned about on stderr, because code and the token go there. Under WSL the Windows host
 * (the default gateway) counts as local.
 *
 * @throws {UsageError} for a malformed URL.
 */
export async function connectToUrl(url: string, options: TargetOptions, io: CliIo, command: string): Promise<MarimoClient> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--url '${url}' is not an absolute URL (expected e.g. http://127.0.0.1:2718)`, command);
  }
  if (!isLocalHost(parsed.hostname) && !(await isWindowsHost(parsed.hostname, io))) {
    await io.stderr.write(
      `marimo-pair: warning: '${parsed.hostname}' is not this machine; your code` +
        `${tokenOf(options, io.env) === undefined ? "" : " and token"} will be sent there. Make sure you trust it.\n`,
    );
  }
  try {
    return connectCli(url, { token: tokenOf(options, io.env), allowRemote: true });
  } catch (error) {
    if (error instanceof TypeError) throw new UsageError(`--url: ${error.message}`, command);
    throw error;
  }
}


/**
 * Select the notebook the options describe: on `--url`, or on the one discovered server
 * (or the one discovered server holding `--file`). `context.url` is set as soon as the
 * server is known, so a failure can name it.
 *
 * @throws the library's selection and connection errors, and {@link UsageError}.
 */
export async function resolveNotebook(
  options: TargetOptions,
  io: CliIo,
  command: string,
  context: FailureContext,
): Promise<ResolvedNotebook> {
  const selector = selectorOf(options);
  if (options.url !== undefined) {
    const client = await connectToUrl(options.url, options, io, command);
    context.url = client.url;
    return { url: client.url, client, notebook: await client.session(selector) };
  }
  const { notebookFromDiscovery } = await import("./discovered.js");
  return notebookFromDiscovery(selector, options, io, context);
}
