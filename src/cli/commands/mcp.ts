/**
 * `marimo-pair mcp`: serve the marimo tools over MCP — stdio by default, streamable HTTP
 * on a loopback address with `--http`.
 *
 * @module
 */
import { budgetOf } from "../../tools/budget.js";
import { McpSdkMissingError } from "../../mcp-sdk.js";
import type { McpServeOptions } from "../../tools/mcp-server.js";
import type { NotebookTarget } from "../../tools/target.js";
import { flag, stringOption, UsageError } from "../argv.js";
import { ExitCode } from "../exit-codes.js";
import type { CliIo } from "../io.js";
import { reportFailure } from "../report.js";
import type { ParsedArgs } from "../spec.js";
import { readTargetOptions, tokenOf } from "../target-options.js";

function positiveInt(args: ParsedArgs, name: string, fallback: number, max = 2 ** 31 - 1): number {
  const raw = stringOption(args, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new UsageError(`--${name} needs a whole number from 1 to ${max}`, "mcp");
  return value;
}

/** Read the options of `marimo-pair mcp` into server options. */
export function mcpOptions(args: ParsedArgs, io: CliIo): McpServeOptions & { http: boolean; host?: string; port?: number } {
  const target = readTargetOptions(args, "mcp");
  let bind: NotebookTarget | undefined;
  if (target.url !== undefined || target.file !== undefined || target.session !== undefined) {
    bind = {};
    if (target.url !== undefined) bind.url = target.url;
    if (target.file !== undefined) bind.file = target.file;
    if (target.session !== undefined) bind.session = target.session;
  }
  const http = flag(args, "http");
  const host = stringOption(args, "host");
  const port = stringOption(args, "port");
  if (!http && (host !== undefined || port !== undefined)) throw new UsageError("--host and --port need --http", "mcp");
  const options: McpServeOptions & { http: boolean; host?: string; port?: number } = {
    http,
    bind,
    token: tokenOf(target, io.env),
    allowRemote: flag(args, "allow-remote"),
    env: io.env,
    budget: budgetOf(positiveInt(args, "max-output-chars", 12_000), positiveInt(args, "max-output-lines", 180)),
    executeTimeoutMs: positiveInt(args, "exec-timeout", 300, 86_400) * 1000,
  };
  if (host !== undefined) options.host = host;
  if (port !== undefined) {
    const n = Number(port);
    if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new UsageError("--port needs a port number (0-65535)", "mcp");
    options.port = n;
  }
  return options;
}

/** Run `marimo-pair mcp`. */
export async function runMcp(args: ParsedArgs, io: CliIo): Promise<number> {
  try {
    const options = mcpOptions(args, io);
    const { serveMcpHttp, serveMcpStdio } = await import("../../tools/mcp-server.js");
    if (!options.http) {
      const server = await serveMcpStdio(options);
      await server.closed;
      return ExitCode.Ok;
    }
    const server = await serveMcpHttp(options);
    await io.stderr.write(`marimo-pair mcp: serving MCP over streamable HTTP at ${server.url}\n`);
    await new Promise<void>((resolve) => {
      const stop = io.onInterrupt(() => {
        stop();
        resolve();
      });
    });
    await server.close();
    return ExitCode.Ok;
  } catch (error) {
    if (error instanceof McpSdkMissingError || error instanceof RangeError) {
      await io.stderr.write(`marimo-pair: ${error.message}\n`);
      return ExitCode.Failure;
    }
    return reportFailure(io, error, {});
  }
}
