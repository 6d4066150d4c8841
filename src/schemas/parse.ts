/**
 * One place that turns a zod failure on server data into a {@link ProtocolError}.
 *
 * @module
 */
import type * as z from "./zod.js";
import { ProtocolError } from "../errors.js";
import { describeIssue } from "./issues.js";

const RAW_LIMIT = 2000;

function clip(raw: unknown): unknown {
  if (typeof raw === "string" && raw.length > RAW_LIMIT) return `${raw.slice(0, RAW_LIMIT)}… (${raw.length} chars)`;
  return raw;
}

/**
 * Validate server data against `schema`.
 *
 * @param what - names the data in the error message, e.g. `GET /api/sessions`.
 * @throws {ProtocolError} with the zod issues and the (clipped) raw value.
 */
export function parseWire<S extends z.ZodMiniType>(schema: S, raw: unknown, what: string): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const first = result.error.issues[0];
  const where = first === undefined ? "" : ` (${describeIssue(first, "<root>")})`;
  throw new ProtocolError(`${what}: unexpected response shape${where}.`, {
    issues: result.error.issues,
    raw: clip(raw),
  });
}

/**
 * Parse JSON text from the server.
 *
 * @throws {ProtocolError} when the text is not JSON.
 */
export function parseJsonText(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ProtocolError(`${what}: the body is not JSON.`, { raw: clip(text), cause });
  }
}
