/**
 * Maps failed HTTP exchanges onto the SDK's typed errors.
 *
 * @module
 */
import type { isKyError, isNetworkError, isTimeoutError } from "ky";
import {
  AuthError,
  ConnectionError,
  HttpError,
  type HttpErrorDetails,
  type RequestTarget,
  ServerFlagsRequiredError,
  SessionNotFoundError,
  TimeoutError,
} from "../errors.js";
import type { HttpResponse } from "./response.js";

/** Bodies of error responses are read up to this many characters. */
const ERROR_BODY_LIMIT = 64 * 1024;

/** Extract marimo's explanation from an error body (`detail`, else `error`, else the text). */
export function detailOf(text: string): string {
  const trimmed = text.slice(0, ERROR_BODY_LIMIT).trim();
  try {
    const body: unknown = JSON.parse(trimmed);
    if (typeof body === "object" && body !== null) {
      const record = body as Record<string, unknown>;
      for (const key of ["detail", "error"]) {
        const value = record[key];
        if (typeof value === "string") return value;
        if (value !== undefined) return JSON.stringify(value);
      }
    }
  } catch {
    /* not JSON: fall through */
  }
  // An HTML error page or other text: keep a short, single-line excerpt.
  return trimmed.replace(/\s+/g, " ").slice(0, 300);
}

async function readBounded(response: HttpResponse): Promise<string> {
  if (response.body === null) return "";
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  try {
    while (text.length < ERROR_BODY_LIMIT) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return text;
}

/** Build the typed error for a non-2xx response. Consumes (a bounded part of) the body. */
export async function errorFromResponse(
  response: HttpResponse,
  request: RequestTarget,
  sessionId: string | undefined,
): Promise<HttpError> {
  let detail = detailOf(await readBounded(response).catch(() => ""));
  if (detail === "" && response.status >= 300 && response.status < 400) detail = "a redirect, which is not followed";
  const details: HttpErrorDetails = { request, status: response.status, detail };
  if (response.status === 401) return new AuthError(details);
  // marimo < 0.22: "Session listing requires --no-token and --no-skew-protection".
  if (response.status === 403 && /requires .*--no-skew-protection/.test(detail)) {
    return new ServerFlagsRequiredError(details, detail.match(/--no-[a-z-]+/g) ?? ["--no-skew-protection"]);
  }
  const unknownSession = /^Invalid (?:stable )?session id: (.*)$/.exec(detail);
  if (unknownSession !== null) return new SessionNotFoundError(details, unknownSession[1] ?? sessionId ?? "");
  return new HttpError(details);
}

/** ky's error guards (ky is loaded lazily, so they are passed in). */
export interface KyGuards {
  isKyError: typeof isKyError;
  isNetworkError: typeof isNetworkError;
  isTimeoutError: typeof isTimeoutError;
}

/**
 * Map a rejected fetch onto the SDK's errors. The caller's own abort is passed
 * through as `signal.reason`.
 */
export function errorFromFailure(
  error: unknown,
  request: RequestTarget,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  guards?: KyGuards,
): unknown {
  if (signal?.aborted === true) return signal.reason;
  if (guards === undefined) {
    return error instanceof TypeError ? new ConnectionError(request, causeText(error.cause ?? error), { cause: error }) : error;
  }
  const { isKyError, isNetworkError, isTimeoutError } = guards;
  // ky's errors hold the Request, whose headers carry the token: keep only their cause.
  if (isTimeoutError(error)) return new TimeoutError("headers", timeoutMs, request, "No response from the server.");
  if (isNetworkError(error)) return new ConnectionError(request, causeText(error.cause), { cause: error.cause });
  if (isKyError(error)) return new ConnectionError(request, error.message, { cause: error.cause });
  if (error instanceof TypeError) return new ConnectionError(request, causeText(error.cause ?? error), { cause: error });
  return error;
}

function causeText(cause: unknown): string {
  if (typeof cause === "object" && cause !== null) {
    const c = cause as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof c.code === "string") return c.code;
    if (c.cause !== undefined) return causeText(c.cause);
    if (typeof c.message === "string") return c.message;
  }
  return String(cause);
}
