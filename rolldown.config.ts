/**
 * Bundles each public entry (and the CLI) into one ES module plus shared chunks, so loading
 * the package reads a handful of files instead of one per source module. Declarations still
 * come from `tsc` (see tsconfig.build.json); dependencies stay external.
 */
import { defineConfig } from "rolldown";

export default defineConfig({
  input: {
    index: "src/index.ts",
    client: "src/client.ts",
    codemode: "src/codemode.ts",
    tools: "src/tools.ts",
    "cli/main": "src/cli/main.ts",
  },
  platform: "node",
  // Dependencies, optional peers and Node builtins: everything not relative.
  external: /^[^./]/,
  output: {
    dir: "dist",
    format: "esm",
    entryFileNames: "[name].js",
    chunkFileNames: "chunks/[name]-[hash].js",
    sourcemap: true,
  },
});
