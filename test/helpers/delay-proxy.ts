/**
 * A pass-through proxy in front of a real marimo server that holds back the requests of
 * chosen paths until the test lets them go, so a test can make a part of marimo's page
 * load late on demand (as on a loaded machine). HTTP requests are forwarded as they are;
 * WebSocket upgrades are piped through untouched.
 */
import { createServer, request, type Server } from "node:http";
import { connect as netConnect, type AddressInfo, type Socket } from "node:net";

/** The running proxy. */
export interface DelayProxy {
  /** Base URL of the proxy (no trailing slash). */
  url: string;
  /** Paths that were held back, in order. */
  held: string[];
  /** Hold back every later request whose path matches `pattern`; the function returned lets them go. */
  hold(pattern: RegExp): () => void;
  close(): Promise<void>;
}

/** Proxy `target`. */
export async function startDelayProxy(target: string): Promise<DelayProxy> {
  const upstream = new URL(target);
  const port = Number(upstream.port);
  const sockets = new Set<Socket>();
  const held: string[] = [];
  const gates: { pattern: RegExp; open: Promise<void> }[] = [];
  const server: Server = createServer((req, res) => {
    const path = req.url ?? "/";
    const gate = gates.find((g) => g.pattern.test(path));
    if (gate !== undefined) held.push(path);
    void (gate?.open ?? Promise.resolve()).then(() => {
      const forward = request({ host: upstream.hostname, port, method: req.method, path, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.on("error", () => res.destroy());
      req.pipe(forward);
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("upgrade", (req, client: Socket, head: Buffer) => {
    const far = netConnect(port, upstream.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      far.write(`${lines.join("\r\n")}\r\n\r\n`);
      far.write(head);
      client.pipe(far).pipe(client);
    });
    sockets.add(far);
    far.on("close", () => sockets.delete(far));
    far.on("error", () => client.destroy());
    client.on("error", () => far.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    held,
    hold(pattern) {
      let release = () => {};
      gates.push({ pattern, open: new Promise<void>((resolve) => (release = resolve)) });
      return release;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
