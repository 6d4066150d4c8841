/**
 * Row 6: screenshot latency. `nb.screenshot()` of an Altair chart, first (browser launch and
 * notebook page load included) and warm (browser and page open), against bare playwright in
 * the same run: launch the same Chromium, open the same kiosk page, wait for the chart's
 * marks, `screenshot()` the same output element. Target: a warm screenshot within 1 s.
 */
import { existsSync } from "node:fs";
import { connect } from "marimo-pair";
import { chromium } from "playwright-core";
import { CHART_NOTEBOOK } from "../test/helpers/chart-notebook.ts";
import { startMarimo } from "../test/helpers/marimo-server.ts";
import { ms, quantile, type Row, time } from "./stats.ts";

/** Debian's Chromium, or what MARIMO_PAIR_CHROMIUM names. */
export function benchBrowser(): string | undefined {
  const path = process.env["MARIMO_PAIR_CHROMIUM"] ?? "/usr/bin/chromium";
  return existsSync(path) ? path : undefined;
}

/** Row 6. */
export async function screenshotLatency(executablePath: string, warmRuns: number): Promise<Row[]> {
  const server = await startMarimo({ notebook: CHART_NOTEBOOK, skewProtection: true });
  try {
    const client = connect(server.url);
    const owner = await client.openSession({ file: server.notebookPath });
    try {
      const cells = await owner.cells();
      await owner.edit((b) => {
        for (const cell of cells) b.runCell({ id: cell.id });
      });
      const bars = cells.find((c) => c.name === "bars")?.id ?? "";

      // Baseline: bare playwright on the same kiosk page.
      const url = new URL(`${server.url}/`);
      url.searchParams.set("kiosk", "true");
      url.searchParams.set("file", server.notebookPath);
      let bare: Awaited<ReturnType<typeof chromium.launch>> | undefined;
      let page: Awaited<ReturnType<NonNullable<typeof bare>["newPage"]>> | undefined;
      const bareFirst = await time(async () => {
        bare = await chromium.launch({ executablePath, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
        page = await bare.newPage({ viewport: { width: 1280, height: 900 } });
        await page.goto(url.href, { waitUntil: "domcontentloaded" });
        await page.waitForSelector(`[id="output-${bars}"] .marks`, { timeout: 120_000 });
        await page.locator(`[id="output-${bars}"]`).screenshot();
      });
      const bareWarm: number[] = [];
      for (let i = 0; i < warmRuns; i++) bareWarm.push(await time(() => page!.locator(`[id="output-${bars}"]`).screenshot()));
      await bare?.close();

      // marimo-pair: its own browser and kiosk page.
      const nb = await client.session({ file: server.notebookPath });
      const oursFirst = await time(() => nb.screenshot("bars", { executablePath, timeoutMs: 180_000 }));
      const oursWarm: number[] = [];
      for (let i = 0; i < warmRuns; i++) oursWarm.push(await time(() => nb.screenshot("bars", { executablePath })));
      await nb.close();

      const warm = quantile(oursWarm, 0.5);
      const warmBase = quantile(bareWarm, 0.5);
      return [
        {
          row: "6",
          measure: "screenshot of an Altair chart, first (launch + page load)",
          ours: ms(oursFirst),
          baseline: `${ms(bareFirst)} (bare playwright)`,
          ratio: `${(oursFirst / bareFirst).toFixed(2)}×`,
          target: "n/a",
          met: "n/a",
        },
        {
          row: "6",
          measure: `screenshot, warm (median of ${warmRuns})`,
          ours: ms(warm),
          baseline: `${ms(warmBase)} (bare element screenshot)`,
          ratio: `${(warm / warmBase).toFixed(2)}×`,
          target: "≤ 1 s",
          met: warm <= 1000 ? "yes" : "no",
        },
      ];
    } finally {
      await owner.close();
    }
  } finally {
    await server.stop();
  }
}
