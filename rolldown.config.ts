/**
 * Bundles each public entry (and the CLI) into one ES module plus shared chunks, so loading
 * the package reads a handful of files instead of one per source module. Declarations still
 * come from `tsc` (see tsconfig.build.json).
 *
 * zod and eventsource-parser are bundled in (tree-shaken): loading zod's ~95 modules took
 * longer than everything else the package loads (import 75 → ~35 ms here; the CLI's `exec`
 * spends ~90 ms less CPU). The wire schemas use `zod/mini` (src/schemas/zod.ts); only the
 * agent tools' schemas use zod's chained API. zod keeps its schema registry on `globalThis`,
 * so schemas of this copy and of the caller's (or the MCP SDK's) copy interoperate. ky and undici stay external
 * and are loaded on first use; optional peers and Node builtins stay external.
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
  // Everything not relative except the bundled dependencies (see above).
  external: (id) => /^[^./]/.test(id) && !/^(zod|eventsource-parser)(\/|$)/.test(id),
  output: {
    dir: "dist",
    format: "esm",
    entryFileNames: "[name].js",
    chunkFileNames: "chunks/[name]-[hash].js",
    sourcemap: true,
    // The declarations carry the TSDoc and the source maps the sources; the JS itself is
    // leaner to load without the doc comments (466 → 363 KB read by `import("marimo-pair")`).
    comments: { legal: true, annotation: true, jsdoc: false },
  },
});
