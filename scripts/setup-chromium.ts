// Makes sure the Chromium that the browser end-to-end test drives (Debian's
// /usr/bin/chromium, never a downloaded browser) is installed. As root with apt it
// installs it; otherwise it prints the exact command to run and leaves the system alone.
//
//   node scripts/setup-chromium.ts            install when possible, else print the command
//   node scripts/setup-chromium.ts --dry-run  print what it would do, change nothing
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Where the browser test looks for Chromium. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/** What the machine looks like, as far as installing Chromium goes. */
export interface ChromiumProbe {
  platform: NodeJS.Platform;
  /** Whether {@link CHROMIUM_PATH} exists. */
  chromiumPresent: boolean;
  /** Running as uid 0. */
  isRoot: boolean;
  /** `apt-get` is on PATH. */
  hasApt: boolean;
}

/** What setup does about Chromium. */
export type ChromiumPlan =
  | { action: "present"; message: string }
  | { action: "install"; commands: string[][]; env: Record<string, string>; message: string }
  | { action: "manual"; command: string; message: string };

const APT_INSTALL = ["apt-get", "install", "-y", "--no-install-recommends", "chromium"];

/** Decide what to do; pure, so the branches are unit-tested on any machine. */
export function chromiumPlan(probe: ChromiumProbe): ChromiumPlan {
  if (probe.chromiumPresent) return { action: "present", message: `setup: Chromium is installed at ${CHROMIUM_PATH}` };
  if (probe.platform === "linux" && probe.hasApt && probe.isRoot) {
    return {
      action: "install",
      commands: [["apt-get", "update"], APT_INSTALL],
      env: { DEBIAN_FRONTEND: "noninteractive" },
      message: "setup: installing Debian's Chromium through apt",
    };
  }
  if (probe.platform === "linux" && probe.hasApt) {
    const command = `sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive ${APT_INSTALL.join(" ")}`;
    return {
      action: "manual",
      command,
      message: `setup: the browser test needs ${CHROMIUM_PATH}; installing it needs root. Run:\n  ${command}`,
    };
  }
  const command = `install Chromium with your system's package manager so that ${CHROMIUM_PATH} exists`;
  return {
    action: "manual",
    command,
    message: `setup: the browser test needs ${CHROMIUM_PATH} and this machine has no apt-get; ${command}.`,
  };
}

/** Look at this machine. */
export function probeMachine(): ChromiumProbe {
  return {
    platform: process.platform,
    chromiumPresent: existsSync(CHROMIUM_PATH),
    isRoot: typeof process.getuid === "function" && process.getuid() === 0,
    hasApt: spawnSync("sh", ["-c", "command -v apt-get"], { stdio: "ignore" }).status === 0,
  };
}

function main(args: string[]): number {
  const plan = chromiumPlan(probeMachine());
  const dryRun = args.includes("--dry-run");
  if (plan.action !== "install") {
    console.log(plan.message);
    return 0;
  }
  if (dryRun) {
    console.log(`${plan.message} (dry run):`);
    for (const command of plan.commands) console.log(`  ${command.join(" ")}`);
    return 0;
  }
  console.log(plan.message);
  for (const command of plan.commands) {
    console.log(`$ ${command.join(" ")}`);
    const [file = "", ...rest] = command;
    const r = spawnSync(file, rest, { stdio: "inherit", env: { ...process.env, ...plan.env } });
    if (r.status !== 0) {
      console.error(`setup: '${command.join(" ")}' failed (exit ${r.status ?? r.signal}).`);
      return 1;
    }
  }
  if (!existsSync(CHROMIUM_PATH)) {
    console.error(`setup: apt installed chromium, yet ${CHROMIUM_PATH} is missing.`);
    return 1;
  }
  return 0;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = main(process.argv.slice(2));
}
