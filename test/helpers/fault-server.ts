/**
 * A misbehaving marimo stand-in for fault tests: a `node:http` server on 127.0.0.1, port 0,
 * with a behaviour per `METHOD /path`. It records every request, tracks its sockets (so a
 * test can prove the client closed every connection), and tells when a client went away
 * before a response finished.
 *
 * Every response carries `Connection: close`, so a socket that stays open after a test is a
 * connection the client failed to close, not a keep-alive pool entry.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** One request as the server saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
  /** Resolves when the connection closed; `early` when that happened before the response ended. */
  closed: Promise<{ early: boolean }>;
}

/** What a behaviour gets besides the request and response. */
export interface FaultContext {
  /** 0 for the first request on this route, 1 for the second, … */
  call: number;
  /** The recorded request. */
  seen: SeenRequest;
  /** True once the client has gone away. */
  gone(): boolean;
  /** Run `fn` every `ms` until it returns false or the client goes away (the timer is then cleared). */
  every(ms: number, fn: () => boolean | void): void;
  /** Wait `ms` unless the client goes away first; resolves false when it did. */
  sleep(ms: number): Promise<boolean>;
}

/** A behaviour for one route. */
export type Behaviour = (req: IncomingMessage, res: ServerResponse, ctx: FaultContext) => void | Promise<void>;

/** The server. */
export interface FaultServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Every request so far. */
  readonly requests: SeenRequest[];
  /** Set the behaviour of `"METHOD /path"`; later calls replace earlier ones. */
  on(route: string, behaviour: Behaviour): void;
  /** Forget all behaviours except the defaults, and the recorded requests. */
  reset(): void;
  /** Requests seen on one route. */
  seen(route: string): SeenRequest[];
  /** Sockets currently open on the server side. */
  openSockets(): number;
  /** Resolve when no socket carries a request any more (idle ones are closed); reject after `timeoutMs`. */
  waitForNoSockets(timeoutMs?: number): Promise<void>;
  /** Timers of behaviours still running (drips, sleeps). */
  activeTimers(): number;
  /** Close everything. */
  close(): Promise<void>;
}

/** The sessions a default `GET /api/sessions` lists: one notebook, selectable by file. */
export const DEFAULT_SESSIONS = { s_1: { filename: "nb.py", path: "/x/nb.py" } };

/** Write one SSE event the way marimo does (`event:` line, one `data:` line, blank line). */
export function sseEvent(event: string, payload: unknown): string {
  return `event: ${event}\ndata: ${typeof payload === "string" ? payload : JSON.stringify(payload)}\n\n`;
}

/** Start SSE headers as marimo sends them. */
export function startSse(res: ServerResponse): void {
  res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8" });
  res.flushHeaders();
}

/** Answer JSON with a status. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** A complete, successful marimo `done` event. */
export const DONE_OK = sseEvent("done", { success: true, output: { mimetype: "text/plain", data: "" } });

/** Start a fault server. */
export async function startFaultServer(): Promise<FaultServer> {
  const behaviours = new Map<string, Behaviour>();
  const calls = new Map<string, number>();
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  /** Requests whose response has not closed yet, per socket. */
  const inFlight = new WeakMap<Socket, number>();
  const timers = new Set<ReturnType<typeof setTimeout>>();

  const defaults = (): void => {
    behaviours.set("GET /api/sessions", (_req, res) => sendJson(res, 200, DEFAULT_SESSIONS));
    behaviours.set("GET /api/version", (_req, res) => {
      res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
      res.end("0.25.2");
    });
  };
  defaults();

  const server: Server = createServer((req, res) => {
    res.setHeader("Connection", "close");
    const socket = req.socket;
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
    res.once("close", () => inFlight.set(socket, (inFlight.get(socket) ?? 1) - 1));
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const route = `${req.method ?? "GET"} ${path}`;
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (d: string) => (body += d));
    let isGone = false;
    const closed = new Promise<{ early: boolean }>((resolve) => {
      res.once("close", () => {
        isGone = true;
        resolve({ early: !res.writableFinished });
      });
    });
    const seen: SeenRequest = { method: req.method ?? "GET", path, headers: req.headers, body: "", closed };
    req.on("end", () => {
      seen.body = body;
      const call = calls.get(route) ?? 0;
      calls.set(route, call + 1);
      requests.push(seen);
      const behaviour = behaviours.get(route);
      if (behaviour === undefined) {
        sendJson(res, 404, { detail: "Not Found" });
        return;
      }
      const ctx: FaultContext = {
        call,
        seen,
        gone: () => isGone,
        every: (ms, fn) => {
          const timer = setInterval(() => {
            if (isGone || fn() === false) {
              clearInterval(timer);
              timers.delete(timer);
            }
          }, ms);
          timers.add(timer);
          void closed.then(() => {
            clearInterval(timer);
            timers.delete(timer);
          });
        },
        sleep: (ms) =>
          new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => {
              timers.delete(timer);
              resolve(!isGone);
            }, ms);
            timers.add(timer);
            void closed.then(() => {
              clearTimeout(timer);
              timers.delete(timer);
              resolve(false);
            });
          }),
      };
      Promise.resolve(behaviour(req, res, ctx)).catch((error: unknown) => {
        if (!res.headersSent) sendJson(res, 599, { detail: `fault server behaviour failed: ${String(error)}` });
        else res.destroy();
      });
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    on: (route, behaviour) => {
      behaviours.set(route, behaviour);
      calls.delete(route);
    },
    reset: () => {
      behaviours.clear();
      calls.clear();
      requests.length = 0;
      defaults();
    },
    seen: (route) => requests.filter((r) => `${r.method} ${r.path}` === route),
    openSockets: () => sockets.size,
    waitForNoSockets: async (timeoutMs = 5000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        // Connections without a request in flight (a keep-alive pool, a spare connection
        // fetch opens after an abort) are not the client's doing: close them. A socket that
        // still carries a request is a connection the client failed to close.
        for (const socket of sockets) if ((inFlight.get(socket) ?? 0) === 0) socket.destroy();
        if (sockets.size === 0) return;
        if (Date.now() > deadline) throw new Error(`${sockets.size} socket(s) still open on the fault server`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    activeTimers: () => timers.size,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
