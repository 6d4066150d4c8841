/**
 * Wire schemas of the session stream (`GET {base}/sse`): kernel messages and the close event.
 *
 * @module
 */
import * as z from "./zod.js";

/** An unnamed `/sse` event: the WebSocket frame `{op, data}`. */
export const KernelMessageSchema = z.lazy(() => z.looseObject({
  op: z.string(),
  data: z.optional(z.looseObject({})),
}));
/** A kernel message from `/sse`. */
export type KernelMessage = z.infer<typeof KernelMessageSchema>;

/** The `close` event of `/sse`, mirroring a WebSocket close frame. */
export const CloseEventSchema = z.lazy(() => z.looseObject({ code: z.int(), reason: z.string() }));
/** The payload of a `close` event. */
export type CloseEventPayload = z.infer<typeof CloseEventSchema>;

/** The fields of `kernel-ready` this SDK reads. */
export const KernelReadySchema = z.lazy(() => z.looseObject({
  cell_ids: z.array(z.string()),
  resumed: z.optional(z.boolean()),
  kiosk: z.optional(z.boolean()),
  consumer_capabilities: z.optional(z.looseObject({ edit: z.boolean(), interact: z.boolean() })),
  stable_session_id: z.optional(z.string()),
}));
/** The parts of `kernel-ready` this SDK reads. */
export type KernelReady = z.infer<typeof KernelReadySchema>;
