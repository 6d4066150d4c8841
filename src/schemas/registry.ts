/**
 * Schema of one file of marimo's server registry (`<state dir>/marimo/servers/<host>_<port>.json`),
 * written by every server started with `--no-token`.
 *
 * @module
 */
import * as z from "./zod.js";

/** The largest pid any supported platform hands out (a signed 32-bit value). */
const MAX_PID = 2 ** 31 - 1;

/**
 * One registry file, as marimo writes it (`json.dumps(asdict(entry))`).
 *
 * Loose: fields added by later marimo releases are kept, not rejected. The pid must be a
 * positive integer, because `kill(0, …)` and negative pids address process groups, never one
 * server.
 */
export const RegistryEntrySchema = z.looseObject({
  /** `"<host>:<port>"`, not bracketed for IPv6 (e.g. `"::1:2718"`). */
  server_id: z.string(),
  /** `os.getpid()` of the server process. */
  pid: z.int().check(z.gte(1), z.lte(MAX_PID)),
  /** The `--host` value as typed (may be `0.0.0.0`, `::`, `[::1]`, a name), or the `--proxy` host. */
  host: z.string(),
  /** The listening port, or the external `--proxy` port. */
  port: z.int().check(z.gte(1), z.lte(65_535)),
  /** The `--base-url` prefix: `""` or like `"/foo"`. */
  base_url: z.string(),
  /** ISO-8601 UTC start time, e.g. `2026-08-21T21:51:55.123456+00:00`. */
  started_at: z.string(),
  /** The server's marimo version. */
  version: z.string(),
});

/** One registry file's content. */
export type RegistryEntry = z.infer<typeof RegistryEntrySchema>;
