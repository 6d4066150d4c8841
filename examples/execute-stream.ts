/**
 * Stream the output of Python code running in a live notebook.
 *
 *   node examples/execute-stream.ts [URL]
 *
 * URL defaults to MARIMO_URL, else the only server discovery finds. The notebook must be
 * open (in a browser, or held by `client.openSession`); with several open, set MARIMO_FILE.
 */
import { connect, discoverServers } from "marimo-pair";

const url = process.argv[2] ?? process.env["MARIMO_URL"] ?? (await discoverServers()).find((s) => s.url !== null)?.url;
if (url === undefined || url === null) {
  console.error("No marimo server found. Start one with: marimo edit notebook.py --no-token");
  process.exit(1);
}

const client = connect(url);
const file = process.env["MARIMO_FILE"];
const nb = await client.session(file === undefined ? {} : { file });
console.log(`session ${nb.sessionId} (${nb.info.path ?? "unsaved"}) on ${client.url}`);

const code = `
import time
for step in range(3):
    print(f"step {step}", flush=True)
    time.sleep(0.2)
sum(range(10))
`;

// Events arrive while the code runs; `break` would interrupt the kernel.
const run = nb.stream(code, { timeoutMs: 60_000 });
for await (const event of run) {
  if (event.type === "stdout") process.stdout.write(`stdout: ${event.data}`);
  else if (event.type === "stderr") process.stderr.write(`stderr: ${event.data}`);
  else console.log(`done: success=${event.success} ${event.output.mimetype} ${event.output.data}`);
}

// The same, aggregated; a Python error is data, not an exception.
const failed = await nb.execute("1 / 0");
console.log(`second run: success=${failed.success}, last stderr line: ${failed.stderr.trim().split("\n").at(-1)}`);
