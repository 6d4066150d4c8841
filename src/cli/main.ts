#!/usr/bin/env node
/**
 * The `marimo-pair` executable: runs the CLI on this process's arguments and streams.
 *
 * @module
 */
import { processIo } from "./io.js";
import { runCli } from "./run.js";

try {
  process.exitCode = await runCli(process.argv.slice(2), processIo());
} catch (error) {
  // Commands report expected failures themselves; this is the last resort.
  process.stderr.write(`marimo-pair: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
