/**
 * The one import of zod (import it as `* as z`): its tree-shakable `zod/mini` form, which builds the wire schemas
 * at a fraction of the cost of the chained API (every `import("marimo-pair")` and every CLI
 * call pays for it), with zod's English messages for the issues a caller reads.
 *
 * @module
 */
import { config } from "zod/mini";
import english from "zod/v4/locales/en.js";

config(english());

// Named re-exports (not a namespace object), so the bundle keeps only what is used.
export * from "zod/mini";
