/**
 * A real browser proves the person sees what the SDK does: headless Debian Chromium
 * (driven by playwright-core, never a downloaded browser) opens the notebook, the SDK
 * creates and runs a cell, and the page shows its code and output.
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type MarimoClient, type NotebookSession } from "../../src/index.js";
import { describePinned } from "../helpers/feature.js";
import { makeTempDir, type MarimoServer, startMarimo, stopAll } from "../helpers/marimo-server.js";

const describeOnPinned = describePinned(
  "Chromium drives marimo's frontend (tens of seconds); events and code mode are covered on every release by lifecycle-session.test.ts and codemode.test.ts",
);

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "test-artifacts");

let server: MarimoServer;
let client: MarimoClient;
let browser: BrowserContext;
let page: Page;
let nb: NotebookSession;

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The code and output text of a cell as the page shows them. */
function cellView(cellId: string): Promise<{ code: string; output: string } | null> {
  return page.evaluate((id) => {
    const cell = document.querySelector(`[data-cell-id="${id}"]`);
    if (cell === null) return null;
    const code = Array.from(cell.querySelectorAll(".cm-line"), (line) => line.textContent ?? "").join("\n");
    const output = cell.querySelector(".output")?.textContent ?? "";
    return { code, output };
  }, cellId);
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium).`);
  server = await startMarimo({ skewProtection: true });
  client = connect(server.url);
  browser = await chromium.launchPersistentContext(await makeTempDir("chromium-profile-"), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  await page.goto(server.url);
  await page.waitForSelector(".cm-content", { timeout: 60_000 });
  // The page's own connection created the session the SDK pairs with.
  await until(async () => ((await client.sessions()).length === 1 ? true : undefined), "the browser's session");
  nb = await client.session({ file: server.notebookPath });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await stopAll();
});

describeOnPinned("a person watching in Chromium", () => {
  it("sees a cell the SDK creates and runs: its code, then its output", async () => {
    const code = [
      "import marimo._code_mode as cm",
      "async with cm.get_context() as ctx:",
      '    cid = ctx.create_cell("browser_answer = 6 * 7\\nbrowser_answer", hide_code=False)',
      "    ctx.run_cell(cid)",
      "    print(cid)",
    ].join("\n");
    const result = await nb.execute(code);
    expect(result.success).toBe(true);
    const cellId = /^([A-Za-z0-9_-]+)$/m.exec(result.stdout)?.[1];
    expect(cellId).toBeDefined();

    const shown = await until(async () => {
      const view = await cellView(cellId!);
      return view !== null && view.code.includes("browser_answer = 6 * 7") && view.output.includes("42") ? view : undefined;
    }, `cell ${cellId} with its output in the page`);
    expect(shown.code).toBe("browser_answer = 6 * 7\nbrowser_answer");
    expect(shown.output.trim()).toBe("42");

    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, "browser-sdk-cell.png"), fullPage: true });
  });

  it("lets the SDK join as a viewer and execute, without taking the browser's session over", async () => {
    const before = await client.sessions();
    const viewer = await client.openSession({ file: server.notebookPath });
    try {
      expect(viewer.role).toBe("viewer");
      expect((await viewer.execute("print(browser_answer)")).stdout).toBe("42\n");
      expect((await nb.execute("print('still here')")).stdout).toBe("still here\n");
      // Same session, same id: nothing was resumed or renamed.
      expect(await client.sessions()).toEqual(before);
      // The page is still the editor: no reader banner, no takeover button, editors editable.
      await new Promise((r) => setTimeout(r, 500));
      const state = await page.evaluate(() => ({
        reader: document.body.innerText.includes("connected as a reader"),
        takeover: document.querySelector('[data-testid="takeover-button"]') !== null,
        editable: Array.from(document.querySelectorAll(".cm-content")).every((e) => e.getAttribute("contenteditable") === "true"),
      }));
      expect(state).toEqual({ reader: false, takeover: false, editable: true });
    } finally {
      await viewer.close();
    }
  });

  it("hears the person: an edit typed into the page arrives on nb.events() as a document event", async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const watching = (async () => {
      for await (const ev of nb.events({ signal: controller.signal })) {
        if (ev.type === "document") for (const change of ev.changes) seen.push(`${change.type}:${change.code ?? ""}`);
      }
    })();
    await new Promise((r) => setTimeout(r, 1000));
    // The person types into the first cell's editor.
    await page.locator(".cm-content").first().click();
    await page.keyboard.press("End");
    await page.keyboard.type("  # typed by a person");
    await until(async () => (seen.some((s) => s.includes("typed by a person")) ? true : undefined), "the edit as an event");
    controller.abort();
    await watching;
    expect(seen.find((s) => s.includes("typed by a person"))).toMatch(/^set-code:x = 1 {2}# typed by a person$/);
  });

  it("restart: the page says the kernel is gone, and a reload starts a fresh kernel the SDK finds by file", async () => {
    const before = await client.sessions();
    await nb.restart();
    const pageText = () => page.evaluate(() => document.body.innerText);
    await until(async () => ((await pageText()).includes("kernel not found") ? true : undefined), "the page to notice");
    expect(await client.sessions()).toEqual([]);
    await page.reload();
    await page.waitForSelector(".cm-content", { timeout: 60_000 });
    const after = await until(async () => {
      const sessions = await client.sessions();
      return sessions.length === 1 ? sessions : undefined;
    }, "the reloaded page's session");
    expect(after[0]?.sessionId).not.toBe(before[0]?.sessionId);
    const fresh = await nb.execute("print(browser_answer)");
    expect(fresh.success).toBe(false);
    expect(fresh.stderr).toMatch(/NameError/);
    expect(nb.sessionId).toBe(after[0]?.sessionId);
  });
});
