#!/usr/bin/env node
/**
 * The `marimo-pair` executable: runs the CLI on this process's arguments and streams.
 *
 * @module
 */
import "./node-check.js";
import * as nodeModule from "node:module";

// Node keeps the compiled code of the CLI and its dependencies on disk (in the OS's temporary
// directory) for the next call; the CLI itself is imported only after that is switched on.
nodeModule.enableCompileCache?.();
const [{ processIo }, { runCli }] = await Promise.all([import("./io.js"), import("./run.js")]);

try {
  process.exitCode = await runCli(process.argv.slice(2), processIo());
} catch (error) {
  // Commands report expected failures themselves; this is the last resort.
  process.stderr.write(`marimo-pair: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
