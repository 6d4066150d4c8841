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

/** What every CLI command (and `--help`) loads. */
const CLI_RUN = /[\\/]src[\\/](cli[\\/](io|run|commands|spec|argv|exit-codes|usage)\.ts|cli[\\/]specs[\\/].*|package-version\.ts)$/;
/** The CLI's own modules on the way to an execute. */
const CLI_EXEC = /[\\/]src[\\/](cli[\\/](commands[\\/]exec|code-source|exec-log|report|guidance|target|target-options|connect)|http[\\/]node-http)\.ts$/;
/** The library's core: a session, an execute and its wire schemas (zod's core and `zod/mini`, not its chained API). */
const CORE = new RegExp(
  [
    String.raw`[\\/]src[\\/](version|sleep)\.ts$`,
    String.raw`[\\/]src[\\/]schemas[\\/](zod|parse|issues|execute|sessions)\.ts$`,
    String.raw`[\\/]src[\\/]http[\\/](base-url|keep-request|ky-loader|prepare-fetch|errors|body-deadline|client)\.ts$`,
    String.raw`[\\/]src[\\/]execute[\\/]`,
    String.raw`[\\/]src[\\/]session[\\/](client|notebook|select|workspace|handles|reload-retry|settle|event-stream|capabilities|skew-token|kernel-control|env-token|host-policy)\.ts$`,
    String.raw`[\\/]src[\\/]outputs[\\/](decode|html-entities|html-widgets|json-leaves|read-image)\.ts$`,
    String.raw`[\\/]node_modules[\\/]eventsource-parser[\\/]`,
    String.raw`[\\/]node_modules[\\/]zod[\\/]v4[\\/](core|mini|locales)[\\/](?!to-json-schema|json-schema|memoizer)`,
  ].join("|"),
);

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
    // A short CLI call pays for every file it loads (resolve, read, link): the modules of
    // `marimo-pair exec` come in three chunks instead of twenty. `--help` loads only `cli-run`.
    codeSplitting: {
      // Each group takes its modules' dependencies too, unless a group of higher priority
      // took them first: the errors stay out of the CLI chunks, the core out of `cli-exec`.
      groups: [
        { name: "errors", test: /[\\/]src[\\/](errors|hints)\.ts$/, priority: 4 },
        { name: "core", test: (id) => CORE.test(id), priority: 3 },
        { name: "cli-run", test: (id) => CLI_RUN.test(id), priority: 2 },
        { name: "cli-exec", test: (id) => CLI_EXEC.test(id), priority: 1 },
      ],
    },
  },
});
