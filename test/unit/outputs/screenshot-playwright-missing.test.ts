/** Without the optional `playwright-core`, a screenshot fails with a typed error that says how to install it. */
import { describe, expect, it, vi } from "vitest";

vi.mock("playwright-core", () => {
  const error = new Error("Cannot find package 'playwright-core' imported from /app/node_modules/marimo-pair/dist/chunks/screenshotter.js");
  Object.assign(error, { code: "ERR_MODULE_NOT_FOUND" });
  throw error;
});

describe("without playwright-core", () => {
  it("nb.screenshot rejects with playwright_missing before any request, and the SDK itself still loads", async () => {
    const { NotebookSession, ScreenshotError } = await import("../../../src/index.js");
    let requests = 0;
    const ctx = {
      http: {
        baseUrl: new URL("http://127.0.0.1:9/"),
        request: () => {
          requests++;
          return Promise.reject(new Error("no request expected"));
        },
      },
    } as unknown as ConstructorParameters<typeof NotebookSession>[0];
    const nb = new NotebookSession(ctx, {}, { sessionId: "s", stableId: null, filename: "nb.py", path: "/tmp/nb.py" });
    const error = await nb.screenshot("chart").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScreenshotError);
    expect(error).toMatchObject({ code: "playwright_missing" });
    expect((error as Error).message).toContain("npm install playwright-core");
    expect(requests).toBe(0);
    await nb.close();
  });
});
