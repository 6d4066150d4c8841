/**
 * ky, imported on first use (shared by every ky instance of the SDK) so that importing the
 * SDK does not pay for it.
 *
 * @module
 */

let kyModule: Promise<typeof import("ky")> | undefined;

/** The ky module, loaded once. */
export function loadKy(): Promise<typeof import("ky")> {
  kyModule ??= import("ky");
  return kyModule;
}
