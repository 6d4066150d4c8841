/**
 * `nb.capabilities()`: what the server's marimo can do for this SDK, from the capability
 * table in `src/version.ts`, plus marimo's own `marimo._code_mode.capabilities()` where it
 * exists.
 *
 * @module
 */
import * as z from "../schemas/zod.js";
import { ProtocolError } from "../errors.js";
import type { ExecuteOptions, ExecuteResult } from "../execute/stream.js";
import { featuresOf, hasFeature, type MarimoFeatureId } from "../version.js";

/** What `nb.capabilities()` reports. */
export interface MarimoCapabilities {
  /** The server's marimo version. */
  marimoVersion: string;
  /** Each feature of the SDK's capability table, and whether this marimo has it. */
  features: { [K in MarimoFeatureId]: boolean };
  /**
   * marimo's own `marimo._code_mode.capabilities()` (installed capability name → module),
   * or `null` on marimo < 0.24.0, which has none.
   */
  marimoCapabilities: Record<string, string> | null;
}

const MARKER = "__marimo_pair_capabilities__";
const CAPABILITIES_PY = [
  "import json as _mp_json",
  "import marimo._code_mode as _mp_cm",
  `print(${JSON.stringify(MARKER)} + _mp_json.dumps(_mp_cm.capabilities()))`,
].join("\n");

const CapabilitiesSchema = z.lazy(() => z.record(z.string(), z.string()));

/** @internal Implementation of `nb.capabilities()`. */
export async function readCapabilities(
  version: string,
  execute: (code: string, options: ExecuteOptions) => Promise<ExecuteResult>,
  signal: AbortSignal | undefined,
): Promise<MarimoCapabilities> {
  let marimoCapabilities: Record<string, string> | null = null;
  if (hasFeature(version, "codeModeCapabilities")) {
    const result = await execute(CAPABILITIES_PY, { signal, throwOnError: true });
    const line = result.stdout.split("\n").find((l) => l.startsWith(MARKER));
    if (line === undefined) throw new ProtocolError("marimo._code_mode.capabilities() printed nothing.", { raw: result.stdout });
    let json: unknown;
    try {
      json = JSON.parse(line.slice(MARKER.length));
    } catch (cause) {
      throw new ProtocolError("marimo._code_mode.capabilities() printed no JSON.", { raw: line, cause });
    }
    const parsed = CapabilitiesSchema.safeParse(json);
    if (!parsed.success) throw new ProtocolError("marimo._code_mode.capabilities() returned an unexpected shape.", { raw: line });
    marimoCapabilities = parsed.data;
  }
  return { marimoVersion: version, features: featuresOf(version), marimoCapabilities };
}
