/**
 * The liveness probe of discovery: `GET {url}/health` must answer with marimo's
 * `{"status": "healthy"}`. A probe never throws; every outcome is a value, so that many
 * probes can run side by side and be judged together.
 *
 * @module
 */
import type { KyInstance } from "ky";
import { keepingRequests } from "./keep-request.js";
import { loadKy } from "./ky-loader.js";
import type { Agent } from "undici";
import { HealthResponseSchema } from "../schemas/sessions.js";

/** Default limit for one probe (connect, headers and body), in ms. */
export const DEFAULT_PROBE_TIMEOUT_MS = 2000;
/** Default limit for opening the TCP connection of a probe, in ms (Node's own fetch only). */
export const DEFAULT_PROBE_CONNECT_TIMEOUT_MS = 1000;
/** A health body is read up to this many bytes; marimo's is 20. */
const BODY_LIMIT = 4096;

/** Why nothing answered. @inline */
export type ProbeFailureReason =
  /** The port is closed (connection refused). */
  | "refused"
  /** The TCP connection could not be opened in time (a firewall that drops packets, a host that is down). */
  | "connect_timeout"
  /** Connected, but no complete answer within the probe timeout. */
  | "timeout"
  /** The connection was reset or closed early. */
  | "reset"
  /** No route to the host or network. */
  | "no_route"
  /** The host name could not be resolved. */
  | "dns"
  /** Anything else (the `detail` says what). */
  | "other";

/** The outcome of one health probe. @inline */
export type HealthProbeResult =
  /** A marimo answered `{"status": "healthy"}`. */
  | { outcome: "healthy"; url: string; status: number }
  /** Something answered, but not like marimo (wrong status or body). */
  | { outcome: "not_marimo"; url: string; status: number; excerpt: string }
  /** Nothing answered. */
  | { outcome: "unreachable"; url: string; reason: ProbeFailureReason; detail: string }
  /** The caller's signal aborted the probe; says nothing about the server. */
  | { outcome: "aborted"; url: string };

/** Options of {@link createHealthProber}. */
export interface HealthProberOptions {
  /**
   * A fetch implementation. When given, the connect timeout is the implementation's own
   * business and only {@link HealthProberOptions.timeoutMs} applies.
   * @default a Node fetch with a {@link HealthProberOptions.connectTimeoutMs} connect limit
   */
  fetch?: typeof fetch | undefined;
  /** Limit for one whole probe, in ms. @default {@link DEFAULT_PROBE_TIMEOUT_MS} */
  timeoutMs?: number | undefined;
  /** Limit for opening the connection, in ms. @default {@link DEFAULT_PROBE_CONNECT_TIMEOUT_MS} */
  connectTimeoutMs?: number | undefined;
}

/** Probes `/health` of base URLs; {@link HealthProber.close} releases its connections. */
export interface HealthProber {
  /**
   * Probe `GET {baseUrl}/health`. Never throws and never retries.
   *
   * @param baseUrl - a server base URL without a trailing slash, e.g. `http://127.0.0.1:2718/prefix`.
   * @param signal - aborts the probe; the result is then `aborted`.
   */
  probe(baseUrl: string, signal?: AbortSignal): Promise<HealthProbeResult>;
  /** Close the connections this prober opened. Safe to call more than once. */
  close(): Promise<void>;
}

/**
 * Create a health prober: one ky instance (`retry: 0`, no redirects followed) shared by
 * every probe of one discovery.
 */
export function createHealthProber(options: HealthProberOptions = {}): HealthProber {
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_PROBE_CONNECT_TIMEOUT_MS;
  let agent: Promise<Agent> | undefined;
  const fetchImpl: typeof fetch =
    options.fetch ??
    (async (input, init) => {
      agent ??= import("undici").then(
        ({ Agent }) => new Agent({ connect: { timeout: connectTimeoutMs }, autoSelectFamily: true }),
      );
      // Node's built-in fetch accepts an undici dispatcher per request.
      return fetch(input, { ...init, dispatcher: await agent } as RequestInit);
    });
  let instance: Promise<KyInstance> | undefined;
  const load = () => {
    instance ??= loadKy().then((ky) =>
      ky.default.create({ retry: 0, timeout: timeoutMs, throwHttpErrors: false, redirect: "manual", fetch: keepingRequests(fetchImpl) }),
    );
    return instance;
  };

  return {
    async probe(baseUrl, signal) {
      const url = `${baseUrl}/health`;
      const deadline = AbortSignal.timeout(timeoutMs);
      const combined = signal === undefined ? deadline : AbortSignal.any([signal, deadline]);
      try {
        const ky = await load();
        const response = await ky.get(url, { signal: combined, headers: { Accept: "application/json" } });
        const text = await readBounded(response);
        if (response.ok && isHealthyBody(text)) return { outcome: "healthy", url: baseUrl, status: response.status };
        return { outcome: "not_marimo", url: baseUrl, status: response.status, excerpt: excerptOf(text) };
      } catch (error) {
        if (signal?.aborted === true) return { outcome: "aborted", url: baseUrl };
        return { outcome: "unreachable", url: baseUrl, ...classify(error, deadline.aborted) };
      }
    },
    async close() {
      const pending = agent;
      agent = undefined;
      if (pending !== undefined) await (await pending).destroy().catch(() => undefined);
    },
  };
}

/** True for marimo's health body: JSON with `status: "healthy"`, or text holding `"healthy"`. */
export function isHealthyBody(text: string): boolean {
  try {
    const parsed = HealthResponseSchema.safeParse(JSON.parse(text));
    if (parsed.success && parsed.data.status === "healthy") return true;
  } catch {
    /* not JSON: fall back to the text check */
  }
  return text.includes('"healthy"');
}

async function readBounded(response: Response): Promise<string> {
  if (response.body === null) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < BODY_LIMIT) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes.subarray(0, BODY_LIMIT));
}

function excerptOf(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 120 ? `${flat.slice(0, 120)}…` : flat;
}

function classify(error: unknown, timedOut: boolean): { reason: ProbeFailureReason; detail: string } {
  const codes = causeCodes(error);
  const detail = codes[0] ?? (error instanceof Error ? error.message : String(error));
  const has = (...wanted: string[]) => codes.some((c) => wanted.includes(c));
  if (has("ECONNREFUSED")) return { reason: "refused", detail };
  if (has("UND_ERR_CONNECT_TIMEOUT", "ETIMEDOUT")) return { reason: "connect_timeout", detail };
  if (has("EHOSTUNREACH", "ENETUNREACH", "EHOSTDOWN", "ENETDOWN")) return { reason: "no_route", detail };
  if (has("ENOTFOUND", "EAI_AGAIN", "EAI_NONAME")) return { reason: "dns", detail };
  if (has("ECONNRESET", "EPIPE", "UND_ERR_SOCKET", "UND_ERR_CLOSED")) return { reason: "reset", detail };
  const name = error instanceof Error ? error.name : "";
  if (timedOut || name === "TimeoutError") return { reason: "timeout", detail: "no answer in time" };
  return { reason: "other", detail };
}

/** The `code` strings found along an error's `cause` chain (ky → TypeError → system error). */
function causeCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 6 && typeof current === "object" && current !== null; depth++) {
    const record = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof record.code === "string") codes.push(record.code);
    // Happy-eyeballs failures carry one error per address.
    if (Array.isArray(record.errors)) codes.push(...record.errors.flatMap((e: unknown) => causeCodes(e)));
    current = record.cause;
  }
  return codes;
}
