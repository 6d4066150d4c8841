/**
 * The marimo release the integration tests run against (`MARIMO_PAIR_TEST_MARIMO`, default the
 * pinned .venv) and predicates over the capability table (src/version.ts), so a test can
 * follow the release: assert the refusal where the SDK refuses a feature, and skip — naming
 * the feature and the release that has it — only where there is nothing left to check.
 */
import { describe, expect, it, type TestFunction, type TestOptions } from "vitest";
import { UnsupportedVersionError } from "../../src/errors.js";
import { FEATURE_SINCE, hasFeature, type MarimoFeatureId, TESTED_RELEASES } from "../../src/version.js";
import { TEST_MARIMO_VERSION } from "./marimo-server.js";

/** The marimo version under test. */
export const VERSION = TEST_MARIMO_VERSION;

/** The release the project pins (`.venv`, `npm test`): the last of TESTED_RELEASES. */
export const PINNED = TESTED_RELEASES.at(-1) as string;

/** True when the tests run against the pinned release. */
export const ON_PINNED = VERSION === PINNED;

/** Whether the marimo under test has every one of `features`. */
export function has(...features: MarimoFeatureId[]): boolean {
  return features.every((feature) => hasFeature(VERSION, feature));
}

/** The features (of `features`) that the marimo under test lacks. */
export function missing(...features: MarimoFeatureId[]): MarimoFeatureId[] {
  return features.filter((feature) => !hasFeature(VERSION, feature));
}

/**
 * Why a test is skipped on this release: the features it needs and the first release with
 * each (`needs stalenessCheck (marimo ≥ 0.23.7); this is 0.22.5`), or `""` when none is missing.
 */
export function needs(...features: MarimoFeatureId[]): string {
  const lacking = missing(...features);
  if (lacking.length === 0) return "";
  return `needs ${lacking.map((f) => `${f} (marimo ≥ ${FEATURE_SINCE[f]})`).join(", ")}; this is ${VERSION}`;
}

/** A test title that says why it is skipped on this release (unchanged when it runs). */
export function titled(title: string, ...features: MarimoFeatureId[]): string {
  const why = needs(...features);
  return why === "" ? title : `${title} [skipped: ${why}]`;
}

/** What follows a test's title: its function, options and function, or function and timeout. */
type ItArgs = [fn: TestFunction] | [options: TestOptions, fn: TestFunction] | [fn: TestFunction, timeout: number];

/** `it`, skipped (with the reason in its title) on releases that lack one of `features`. */
export function itWhen(features: MarimoFeatureId | MarimoFeatureId[]): (title: string, ...rest: ItArgs) => void {
  const list = Array.isArray(features) ? features : [features];
  const test = it.skipIf(missing(...list).length > 0) as (title: string, ...rest: ItArgs) => void;
  return (title, ...rest) => test(titled(title, ...list), ...rest);
}

/** `describe`, skipped (with the reason in its title) on releases that lack one of `features`. */
export function describeWhen(features: MarimoFeatureId | MarimoFeatureId[]): (title: string, body: () => void) => void {
  const list = Array.isArray(features) ? features : [features];
  const suite = describe.skipIf(missing(...list).length > 0) as (title: string, body: () => void) => void;
  return (title, body) => suite(titled(title, ...list), body);
}

/**
 * `describe` that runs on the pinned release only, for slow tests whose subject does not follow
 * marimo's release; `why` says so in the title where it is skipped.
 */
export function describePinned(why: string): (title: string, body: () => void) => void {
  const suite = describe.skipIf(!ON_PINNED) as (title: string, body: () => void) => void;
  return (title, body) => suite(ON_PINNED ? title : `${title} [skipped: runs on the pinned marimo ${PINNED} only, this is ${VERSION}: ${why}]`, body);
}

/** Expect `promise` to be refused with `UnsupportedVersionError` for `feature`, naming its first release. */
export async function expectRefused(promise: Promise<unknown>, feature: MarimoFeatureId): Promise<void> {
  const error = await promise.then(
    () => new Error(`expected UnsupportedVersionError for ${feature} on marimo ${VERSION}`),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnsupportedVersionError);
  expect(error).toMatchObject({ code: "unsupported_version", version: VERSION, requiredVersion: FEATURE_SINCE[feature] });
}
