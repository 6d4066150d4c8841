/**
 * The demo: start marimo on a copy of examples/demo/analysis.py, pair with it through the
 * public API, and build a small analysis cell by cell while a person watches.
 *
 *   npm run demo                       # opens a browser when there is a display; Ctrl-C to stop
 *   npm run demo -- --exit-when-done   # build, print, stop (used in CI)
 *   npm run demo -- --headless         # never open a browser
 */
import { existsSync } from "node:fs";
import { copyFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { codeMode, connect, launchServer, type NotebookSession, outputText, type OwnedSession } from "marimo-pair";

const exitWhenDone = process.argv.includes("--exit-when-done");
const headless = exitWhenDone || process.argv.includes("--headless");
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");

/** The analysis, one code-mode batch per cell (the code is in cells/: standard library and marimo only). */
const STEPS = [
  { file: "1-setup.py", name: "setup", title: "setup cell: imports" },
  { file: "2-data.py", name: undefined, title: "data: a year of daily temperatures, and monthly means" },
  { file: "3-chart.py", name: undefined, title: "chart: monthly means as an SVG bar chart" },
  { file: "4-summary.py", name: undefined, title: "summary: a markdown cell computed from the data" },
];

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** What a person sees in an output, in one line. */
function describeOutput(output: { mimetype: string; data: unknown }): string {
  const html = typeof output.data === "string" ? output.data : "";
  if (/<svg\b/.test(html)) return "(an SVG chart)";
  const element = [...html.matchAll(/<marimo-([a-z-]+)/g)].map((m) => m[1]).find((name) => name !== "ui-element");
  if (element !== undefined) return `(an interactive ${element})`;
  return clip(outputText(output));
}

function clip(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

// A fresh copy, so the bundled notebook is never modified.
const workdir = await mkdtemp(join(tmpdir(), "marimo-pair-demo-"));
const notebook = join(workdir, "analysis.py");
await copyFile(join(here, "analysis.py"), notebook);

// The marimo that `npm run setup` installed; elsewhere the launcher's own decision tree.
const venvMarimo = join(root, ".venv", process.platform === "win32" ? "Scripts" : "bin", "marimo");
log(`1. launching marimo on ${notebook}`);
const server = await launchServer({
  notebook,
  cwd: workdir,
  headless,
  ...(existsSync(venvMarimo) ? { command: [venvMarimo] } : {}),
});
log(`   marimo ${server.version} is up at ${server.url} (pid ${server.pid})`);

let stopping = false;
async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    await server.stop();
    if (exitWhenDone) await rm(workdir, { recursive: true, force: true });
  }
  process.exit(code);
}
process.once("SIGINT", () => {
  log("\nstopping marimo");
  void shutdown(0);
});

try {
  const client = connect(server.url);
  // With a browser, pair with its session; headless, hold one open ourselves.
  let own: OwnedSession | undefined;
  let nb: NotebookSession | undefined;
  if (!headless) {
    const deadline = Date.now() + 15_000;
    while (nb === undefined && Date.now() < deadline) {
      if ((await client.sessions()).length > 0) nb = await client.session({ file: notebook });
      else await new Promise((r) => setTimeout(r, 250));
    }
  }
  if (nb === undefined) nb = own = await client.openSession({ file: notebook });
  log(`2. paired with session ${nb.sessionId}${own === undefined ? " (your browser's)" : ""}`);
  log(`   watch it live: ${server.url}`);

  // The notebook's own cells have not run yet (marimo does not run them on open).
  const existing = (await nb.cells()).filter((c) => c.status === "stale" || c.status === null);
  if (existing.length > 0) {
    await nb.edit((b) => existing.forEach((c) => b.runCell(c.id)));
    log(`3.0 ran the notebook's own ${existing.length === 1 ? "cell" : `${existing.length} cells`}: ${existing.map((c) => c.id).join(", ")}`);
  }
  for (const [i, step] of STEPS.entries()) {
    // Interactively, a short pause lets a person see each cell arrive.
    if (!exitWhenDone && i > 0) await new Promise((r) => setTimeout(r, 800));
    const code = (await readFile(join(here, "cells", step.file), "utf8")).trimEnd();
    const plan = codeMode((b) => {
      const cell = b.createCell(code, { hideCode: false, name: step.name });
      b.runCell(cell);
      return cell;
    });
    const result = await nb.apply(plan);
    const id = result.idOf(plan.value);
    const status = result.cells.find((c) => c.id === id)?.status ?? "";
    const problems = result.failed.flatMap((c) => c.errors.map((e) => e.message)).join("; ");
    log(`3.${i + 1} ${step.title}: cell ${id} ${status}${problems === "" ? "" : ` — ${problems}`}`);
    if (!result.success) throw new Error(`step ${i + 1} failed:\n${result.stderr}`);
  }

  log("4. the notebook now:");
  for (const cell of await nb.cells()) {
    const label = cell.name === null || cell.name === cell.id ? cell.id : `${cell.id} ${cell.name}`;
    log(`   [${label}] ${cell.status ?? ""} ${clip(cell.code ?? "", 60)}`);
    if (cell.output !== null && cell.output !== undefined) {
      const shown = describeOutput(cell.output);
      if (shown !== "") log(`      → ${shown}`);
    }
  }
  // Let go of the session, so a person opening the page becomes its editor.
  await own?.close();
  if (exitWhenDone) {
    log("done");
    await shutdown(0);
  }
  log(`\nOpen ${server.url} to explore the notebook. Press Ctrl-C to stop marimo.`);
  // The launched server does not keep this process alive on its own: wait for Ctrl-C.
  setInterval(() => undefined, 60_000);
  void server.exited.then(() => {
    if (!stopping) {
      log("marimo exited");
      process.exit(1);
    }
  });
} catch (error) {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  await shutdown(1);
}
