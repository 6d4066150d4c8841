/**
 * Interrupting and restarting a session's kernel (`POST /api/kernel/interrupt`,
 * `POST /api/kernel/restart_session`), both skew-protected.
 *
 * @module
 */
import * as z from "../schemas/zod.js";
import { TimeoutError } from "../errors.js";
import type { SessionContext } from "./context.js";
import type { SessionInfo } from "./types.js";
import { postProtected } from "./skew-token.js";

/** `{"success": true}` of marimo's control endpoints. */
const SuccessSchema = z.lazy(() => z.looseObject({ success: z.optional(z.boolean()) }));

/** How long `restart()` waits for marimo to drop the closed session from its list. */
const RESTART_SETTLE_MS = 15_000;

/** @internal Implementation of `nb.interrupt()`. */
export async function interruptKernel(ctx: SessionContext, info: SessionInfo, signal: AbortSignal | undefined): Promise<void> {
  await postProtected(ctx.http, "/api/kernel/interrupt", SuccessSchema, {
    headers: { "Marimo-Session-Id": info.sessionId },
    signal,
    sessionId: info.sessionId,
  });
}

/** @internal Implementation of `nb.restart()`: close the session, then wait until marimo no longer lists it. */
export async function restartSession(ctx: SessionContext, info: SessionInfo, signal: AbortSignal | undefined): Promise<void> {
  await postProtected(ctx.http, "/api/kernel/restart_session", SuccessSchema, {
    headers: { "Marimo-Session-Id": info.sessionId },
    signal,
    sessionId: info.sessionId,
  });
  const deadline = Date.now() + RESTART_SETTLE_MS;
  for (;;) {
    const sessions = await ctx.listSessions(signal);
    const stillThere = sessions.some(
      (s) => s.sessionId === info.sessionId || (info.stableId !== null && s.stableId === info.stableId),
    );
    if (!stillThere) return;
    if (Date.now() > deadline) {
      throw new TimeoutError("total", RESTART_SETTLE_MS, ctx.http.target("GET", "/api/sessions"), "marimo still lists the restarted session.");
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
