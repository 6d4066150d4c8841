/** Empties dist/ before a build, so no module of an older layout survives next to the bundles. */
import { rmSync } from "node:fs";

rmSync(new URL("../dist", import.meta.url), { recursive: true, force: true });
