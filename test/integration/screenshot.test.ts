/**
 * Screenshots of rendered cell outputs, against real marimo and Debian's Chromium: an
 * Altair chart, an HTML table, a slider, a raised error, a cell without output. A person
 * has the notebook open in their own browser the whole time and keeps their session; the
 * screenshots come from a separate read-only kiosk page. A token server is covered too.
 */
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type MarimoClient, type NotebookSession, ScreenshotError } from "../../src/index.js";
import { CHART_NOTEBOOK } from "../helpers/chart-notebook.js";
import { decodePng, distinctColours, pixelsNear } from "../helpers/png.js";
import { startDelayProxy } from "../helpers/delay-proxy.js";
import { describePinned } from "../helpers/feature.js";
import { makeTempDir, type MarimoServer, startMarimo, stopAll } from "../helpers/marimo-server.js";

const describeOnPinned = describePinned(
  "Chromium renders marimo's frontend (tens of seconds a file), the chart needs altair and pandas (only in the pinned .venv), and the code mode it uses is covered on every release by codemode.test.ts",
);
import { cliPath, NODE, prepareCli, runCli } from "./cli-helpers.js";

const CHROMIUM = "/usr/bin/chromium";

const BAR_BLUE: [number, number, number] = [76, 120, 168]; // Vega's default #4c78a8

let server: MarimoServer;
let client: MarimoClient;
let browser: Browser;
let person: Page;
let nb: NotebookSession;

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Run every cell of the notebook (marimo does not run them on open here). */
async function runAll(session: NotebookSession): Promise<void> {
  const cells = await session.cells();
  await session.edit((b) => {
    for (const cell of cells) b.runCell({ id: cell.id });
  });
}

/** The person's page: still the editor, no reader banner, no takeover offer. */
function personState(page: Page) {
  return page.evaluate(() => ({
    reader: document.body.innerText.includes("connected as a reader"),
    takeover: document.querySelector('[data-testid="takeover-button"]') !== null,
    kiosk: document.body.innerText.includes("kiosk mode"),
    editable: Array.from(document.querySelectorAll(".cm-content")).every((e) => e.getAttribute("contenteditable") === "true"),
  }));
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium).`);
  process.env["MARIMO_PAIR_CHROMIUM"] = CHROMIUM;
  await prepareCli();
  server = await startMarimo({ notebook: CHART_NOTEBOOK, skewProtection: true });
  client = connect(server.url);
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
  person = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await person.goto(server.url);
  await person.waitForSelector(".cm-content", { timeout: 60_000 });
  await until(async () => ((await client.sessions()).length === 1 ? true : undefined), "the person's session");
  nb = await client.session({ file: server.notebookPath });
  await runAll(nb);
}, 180_000);

afterAll(async () => {
  await nb?.close();
  await browser?.close();
  await server?.stop();
  await stopAll();
});

/** A first screenshot loads marimo's frontend in a fresh browser: tens of seconds on a busy 2-core machine. */
const SLOW = 300_000;

describeOnPinned("nb.screenshot against real marimo and Debian's Chromium", () => {
  it("an Altair bar chart: a PNG of at least 300×150 with the bars drawn", async () => {
    const shot = await nb.screenshot("bars", { timeoutMs: 120_000 });
    expect(shot.mimeType).toBe("image/png");
    expect(shot.name).toBe("bars");
    expect(shot.width).toBeGreaterThanOrEqual(300);
    expect(shot.height).toBeGreaterThanOrEqual(150);
    const image = decodePng(shot.bytes);
    expect([image.width, image.height]).toEqual([shot.width, shot.height]);
    expect(distinctColours(image)).toBeGreaterThan(20);
    // Five bars of Vega's blue: a large part of the picture, not a blank or a placeholder.
    expect(pixelsNear(image, BAR_BLUE)).toBeGreaterThan(5_000);
  }, SLOW);

  it("an HTML table, by name, and then by id", async () => {
    const byName = await nb.screenshot("table");
    const image = decodePng(byName.bytes);
    expect(distinctColours(image)).toBeGreaterThan(3);
    expect(byName.height).toBeGreaterThan(30);
    const byId = await nb.screenshot({ id: byName.cellId });
    expect(byId.cellId).toBe(byName.cellId);
  }, SLOW);

  it("mo.ui.slider: the widget as drawn", async () => {
    const shot = await nb.screenshot({ name: "slider" });
    const image = decodePng(shot.bytes);
    expect(distinctColours(image)).toBeGreaterThan(10);
    expect(shot.height).toBeGreaterThan(20);
  }, SLOW);

  it("a cell that raised: the error as marimo renders it", async () => {
    const shot = await nb.screenshot("broken");
    const image = decodePng(shot.bytes);
    expect(distinctColours(image)).toBeGreaterThan(5);
    // marimo writes the exception's name in its error red.
    let reddish = 0;
    for (let i = 0; i < image.width * image.height; i++) {
      const [r, g, b] = [image.rgba[i * 4] ?? 0, image.rgba[i * 4 + 1] ?? 0, image.rgba[i * 4 + 2] ?? 0];
      if (r > 150 && r - g > 60 && r - b > 60) reddish++;
    }
    expect(reddish).toBeGreaterThan(20);
  }, SLOW);

  it("a cell without output is a typed no_output error; an unknown cell is cell_not_found", async () => {
    const quiet = await nb.screenshot("quiet").catch((e: unknown) => e);
    expect(quiet).toBeInstanceOf(ScreenshotError);
    expect((quiet as ScreenshotError).code).toBe("no_output");
    const missing = await nb.screenshot("no_such_cell").catch((e: unknown) => e);
    expect((missing as ScreenshotError).code).toBe("cell_not_found");
    expect((missing as ScreenshotError).message).toContain("bars");
  }, SLOW);

  it("screenshots(): every output in notebook order, in one visit; scale and maxPixels", async () => {
    const all = await nb.screenshots();
    expect(all.map((s) => s.name)).toEqual(["bars", "table", "slider", "scroller", "broken"]);
    const one = all[0]!;
    const sharp = await nb.screenshot("bars", { scale: 2 });
    expect(Math.abs(sharp.width - 2 * one.width)).toBeLessThanOrEqual(2);
    const small = await nb.screenshot("bars", { maxPixels: 40_000 });
    expect(small.width * small.height).toBeLessThanOrEqual(40_000);
    expect(pixelsNear(decodePng(small.bytes), BAR_BLUE)).toBeGreaterThan(100);
  }, SLOW);

  it("fullOutput: the whole of an output's scroll area, and the page as it was afterwards", async () => {
    const seen = await nb.screenshot("scroller");
    const full = await nb.screenshot("scroller", { fullOutput: true });
    expect(full.width).toBe(seen.width);
    expect(full.height).toBeGreaterThan(seen.height * 3);
    expect((await nb.screenshot("scroller")).height).toBe(seen.height);
  }, SLOW);

  it("the person's browser keeps its session: same session list, still the editor, nothing re-ran", async () => {
    const before = await client.sessions();
    const runsBefore = await nb.execute("print(level.value)");
    await nb.screenshot("slider");
    expect(await client.sessions()).toEqual(before);
    expect(await personState(person)).toEqual({ reader: false, takeover: false, kiosk: false, editable: true });
    // The person's editing still reaches the kernel.
    expect((await nb.execute("print(level.value)")).stdout).toBe(runsBefore.stdout);
  }, SLOW);

  it("close() ends the browser; the next call starts another", async () => {
    await nb.close();
    const again = await nb.screenshot("table");
    expect(again.width).toBeGreaterThan(0);
  }, SLOW);
});

describeOnPinned("a token server", () => {
  it("captures through marimo's session cookie; the token is in no process's argv", async () => {
    const token = "tok-screenshot-7c1f0e";
    const secured = await startMarimo({ notebook: CHART_NOTEBOOK, tokenPassword: token });
    const own = await connect(secured.url, { token }).openSession({ file: secured.notebookPath });
    try {
      await runAll(own);
      const shot = await own.screenshot("bars", { timeoutMs: 120_000 });
      expect(pixelsNear(decodePng(shot.bytes), BAR_BLUE)).toBeGreaterThan(5_000);
      const leaks: string[] = [];
      for (const pid of await readdir("/proc")) {
        if (!/^\d+$/.test(pid)) continue;
        const argv = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
        if (argv.includes(token)) leaks.push(pid);
      }
      expect(leaks).toEqual([]);
    } finally {
      await own.close();
      await secured.stop();
    }
  }, SLOW);
});

/** A plain chart, a chart drawn by a UI element (in its shadow root), and a spinner shown on purpose. */
const LATE_NOTEBOOK = `import marimo

app = marimo.App()


@app.cell
def imports():
    import marimo as mo
    import altair as alt
    import pandas as pd
    return alt, mo, pd


@app.cell
def chart(alt, pd):
    rows = pd.DataFrame({"a": ["A", "B", "C"], "b": [40, 90, 60]})
    alt.Chart(rows).mark_bar().encode(x="a", y="b").properties(width=300, height=200)
    return


@app.cell
def picker(alt, mo, pd):
    more = pd.DataFrame({"a": ["P", "Q"], "b": [70, 30]})
    mo.ui.altair_chart(alt.Chart(more).mark_bar().encode(x="a", y="b").properties(width=200, height=200))
    return


@app.cell
def waiting(mo):
    mo.status.spinner(title="Fetching rows")
    return
`;

/** How long the proxy holds back a chart's code after a capture starts: longer than the capture's wait for a quiet network (5 s). */
const CHART_CODE_HELD_MS = 8_000;

describeOnPinned("outputs that render late", () => {
  it("waits out a chart's loading placeholder, also in a UI element's shadow root; a spinner shown on purpose is captured at once", async () => {
    const late = await startMarimo({ notebook: LATE_NOTEBOOK });
    const proxy = await startDelayProxy(late.url);
    // The page asks for both charts' code when it opens; each stays "Loading chart..." until let go.
    const releasePicker = proxy.hold(/\/vega-component-/);
    const releaseChart = proxy.hold(/\/vega-embed-container-/);
    const own = await connect(proxy.url).openSession({ file: late.notebookPath });
    try {
      await runAll(own);
      setTimeout(releasePicker, CHART_CODE_HELD_MS);
      const picker = await own.screenshot("picker", { timeoutMs: 120_000 });
      expect(picker.height).toBeGreaterThanOrEqual(200);
      expect(pixelsNear(decodePng(picker.bytes), BAR_BLUE)).toBeGreaterThan(3_000);
      setTimeout(releaseChart, CHART_CODE_HELD_MS);
      const chart = await own.screenshot("chart", { timeoutMs: 120_000 });
      expect(chart.height).toBeGreaterThanOrEqual(200);
      expect(pixelsNear(decodePng(chart.bytes), BAR_BLUE)).toBeGreaterThan(5_000);
      // Each capture met its chart's placeholder: the code of both was held back.
      expect(proxy.held.filter((path) => /\/vega-component-/.test(path))).toHaveLength(1);
      expect(proxy.held.filter((path) => /\/vega-embed-container-/.test(path))).toHaveLength(1);

      const started = Date.now();
      const waiting = await own.screenshot("waiting", { timeoutMs: 120_000 });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(distinctColours(decodePng(waiting.bytes))).toBeGreaterThan(5);
    } finally {
      releasePicker();
      releaseChart();
      await own.close();
      await proxy.close();
      await late.stop();
    }
  }, SLOW);
});

describeOnPinned("the faces: CLI and MCP", () => {
  const env = () => ({ XDG_STATE_HOME: server.stateHome, MARIMO_PAIR_CHROMIUM: CHROMIUM });

  it("marimo-pair screenshot --cell NAME -o FILE writes the PNG; --all DIR writes every output", async () => {
    const dir = await makeTempDir("screenshot-cli-");
    const out = join(dir, "chart.png");
    const one = await runCli(["screenshot", "--url", server.url, "--file", server.notebookPath, "--cell", "bars", "-o", out], { env: env(), timeoutMs: 150_000 });
    expect(one.stderr).toBe("");
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/chart\.png\t\d+x\d+\t\w+ \(bars\)\n$/);
    expect(pixelsNear(decodePng(await readFile(out)), BAR_BLUE)).toBeGreaterThan(5_000);

    const all = await runCli(["screenshot", "--url", server.url, "--file", server.notebookPath, "--all", join(dir, "all")], { env: env(), timeoutMs: 150_000 });
    expect(all.code).toBe(0);
    expect((await readdir(join(dir, "all"))).sort()).toEqual(["bars.png", "broken.png", "scroller.png", "slider.png", "table.png"]);

    const quiet = await runCli(["screenshot", "--url", server.url, "--file", server.notebookPath, "--cell", "quiet", "-o", join(dir, "q.png")], { env: env(), timeoutMs: 150_000 });
    expect(quiet.code).toBe(1);
    expect(quiet.stderr).toContain("has no output");
    expect(existsSync(join(dir, "q.png"))).toBe(false);
  }, 400_000);

  it("MCP screenshot_cell returns image content the official client reads", async () => {
    const client = new Client({ name: "screenshot-test", version: "0" });
    await client.connect(
      new StdioClientTransport({
        command: NODE,
        args: [cliPath(), "mcp", "--url", server.url, "--file", server.notebookPath],
        env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: process.env["HOME"] ?? "/tmp", ...env() },
        stderr: "pipe",
      }),
    );
    try {
      expect((await client.listTools()).tools.map((t) => t.name)).toContain("screenshot_cell");
      const result = await client.callTool({ name: "screenshot_cell", arguments: { cell: "bars" } }, undefined, { timeout: 150_000 });
      expect(result.isError).toBe(false);
      const content = result.content as { type: string; data?: string; mimeType?: string; text?: string }[];
      expect(content[0]?.text).toMatch(/bars/);
      const image = content.find((c) => c.type === "image");
      expect(image?.mimeType).toBe("image/png");
      const png = decodePng(Buffer.from(image?.data ?? "", "base64"));
      expect(png.width * png.height).toBeLessThanOrEqual(1_150_000);
      expect(pixelsNear(png, BAR_BLUE)).toBeGreaterThan(5_000);

      const none = await client.callTool({ name: "screenshot_cell", arguments: { cell: "quiet" } }, undefined, { timeout: 150_000 });
      expect(none.isError).toBe(true);
      expect((none.structuredContent as { error: { code: string } }).error.code).toBe("no_output");
    } finally {
      await client.close();
    }
  }, 400_000);
});
