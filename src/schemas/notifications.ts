/**
 * Wire schemas of the session stream (`GET {base}/sse`): kernel messages and the close event.
 *
 * @module
 */
import { z } from "zod";

/** An unnamed `/sse` event: the WebSocket frame `{op, data}`. */
export const KernelMessageSchema = z.looseObject({
  op: z.string(),
  data: z.looseObject({}).optional(),
});
/** A kernel message from `/sse`. */
export type KernelMessage = z.infer<typeof KernelMessageSchema>;

/** The `close` event of `/sse`, mirroring a WebSocket close frame. */
export const CloseEventSchema = z.looseObject({ code: z.number().int(), reason: z.string() });
/** The payload of a `close` event. */
export type CloseEventPayload = z.infer<typeof CloseEventSchema>;

/** The fields of `kernel-ready` this SDK reads. */
export const KernelReadySchema = z.looseObject({
  cell_ids: z.array(z.string()),
  resumed: z.boolean().optional(),
  kiosk: z.boolean().optional(),
  consumer_capabilities: z.looseObject({ edit: z.boolean(), interact: z.boolean() }).optional(),
  stable_session_id: z.string().optional(),
});
/** The parts of `kernel-ready` this SDK reads. */
export type KernelReady = z.infer<typeof KernelReadySchema>;
