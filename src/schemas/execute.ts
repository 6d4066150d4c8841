/**
 * Wire schemas of the `POST {base}/api/kernel/execute` SSE stream.
 *
 * @module
 */
import * as z from "./zod.js";

/** Payload of `stdout` and `stderr` events. */
export const ConsolePayloadSchema = z.looseObject({ data: z.string() });
/** Payload of a `stdout`/`stderr` event. */
export type ConsolePayload = z.infer<typeof ConsolePayloadSchema>;

/** `{mimetype, data}` of a `done` event. */
export const OutputSchema = z.looseObject({ mimetype: z.string(), data: z.string() });
/** The final output of an execution. */
export type OutputPayload = z.infer<typeof OutputSchema>;

/** The `done` payload of marimo ≥ 0.23.7: always `{success, output}`. */
export const DonePayloadSchema = z.looseObject({
  success: z.boolean(),
  output: z.optional(OutputSchema),
  /** Before 0.23.7 a failure carried `{type, msg, exception_type?}` instead of an output. */
  error: z.optional(
    z.looseObject({
      type: z.string(),
      msg: z.string(),
      exception_type: z.optional(z.nullable(z.string())),
    }),
  ),
});
/** A `done` payload, in either shape. */
export type DonePayload = z.infer<typeof DonePayloadSchema>;
