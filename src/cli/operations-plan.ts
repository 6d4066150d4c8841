/**
 * Turning `apply`'s JSON operations into a code-mode plan. The implementation lives in
 * `src/codemode/json-operations.ts` (the agent tools use it too); this module re-exports it.
 *
 * @module
 */
export { planFromOperations, type CreatedByOperation } from "../codemode/json-operations.js";
