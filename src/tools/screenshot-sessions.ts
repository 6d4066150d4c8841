/**
 * {@link ScreenshotSessions}: the session objects a toolset keeps for `screenshot_cell`, one per
 * notebook, so each keeps its browser between calls and the toolset can close them all.
 *
 * @module
 */
import type { NotebookSession } from "../session/notebook.js";

/** Screenshot-capable session objects of one toolset, by server and notebook, so each keeps its browser. */
export class ScreenshotSessions {
  readonly #sessions = new Map<string, NotebookSession>();

  /** The session object kept for `notebook`'s server and file (or session id). */
  keep(url: string, notebook: NotebookSession): NotebookSession {
    const info = notebook.info;
    const key = `${url}\n${info.path ?? info.stableId ?? info.sessionId}`;
    const known = this.#sessions.get(key);
    if (known !== undefined) return known;
    this.#sessions.set(key, notebook);
    return notebook;
  }

  /** Close every browser. */
  async close(): Promise<void> {
    const all = [...this.#sessions.values()];
    this.#sessions.clear();
    await Promise.all(all.map((s) => s.close()));
  }
}
