import { readdir, readFile, rm } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";

import { openRawSession, startMarimo, stopAll, makeTempDir } from "../helpers/marimo-server.js";

afterAll(stopAll);

describe("real-marimo harness", () => {
  it("starts marimo with an isolated registry, opens a session without a browser, and stops every process", async () => {
    const stateHome = await makeTempDir("state-");
    const server = await startMarimo({ stateHome });
    try {
      const files = await readdir(server.registryDir);
      expect(files).toEqual([`127.0.0.1_${server.port}.json`]);
      const entry = JSON.parse(await readFile(`${server.registryDir}/${files[0]}`, "utf8"));
      expect(entry).toMatchObject({ server_id: `127.0.0.1:${server.port}`, pid: server.pid, port: server.port });

      expect(await (await fetch(`${server.url}/api/sessions`)).json()).toEqual({});
      const session = await openRawSession(server);
      expect(session.firstMessage).toMatchObject({ op: "kernel-ready" });
      const sessions = (await (await fetch(`${server.url}/api/sessions`)).json()) as Record<string, unknown>;
      expect(Object.keys(sessions)).toEqual([session.sessionId]);
      // The kernel is a separate process of this server.
      expect((await server.processes()).length).toBeGreaterThanOrEqual(2);
      session.close();
    } finally {
      await server.stop();
    }
    expect(await server.processes()).toEqual([]);
    // A clean shutdown deregisters.
    await expect(readdir(server.registryDir)).resolves.toEqual([]);
    await rm(stateHome, { recursive: true, force: true });
  });
});
