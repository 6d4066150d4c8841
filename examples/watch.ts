/**
 * Watch a live notebook: print what happens in it as it happens — cells queued, running
 * and done with their output, and edits made in the browser.
 *
 *   node examples/watch.ts [URL]
 *
 * URL defaults to MARIMO_URL. The notebook must be open (in a browser, or held by
 * `client.openSession`); with several open, set MARIMO_FILE. Watching is read-only: it never
 * takes the notebook over from the person. Stops on Ctrl-C, or after WATCH_SECONDS.
 */
import { connect, outputText } from "marimo-pair";

const url = process.argv[2] ?? process.env["MARIMO_URL"];
if (url === undefined) {
  console.error("usage: node examples/watch.ts URL   (or set MARIMO_URL)");
  process.exit(2);
}
const file = process.env["MARIMO_FILE"];
const nb = await connect(url).session(file === undefined ? {} : { file });

const stop = new AbortController();
process.once("SIGINT", () => stop.abort());
const seconds = Number(process.env["WATCH_SECONDS"] ?? "0");
if (seconds > 0) setTimeout(() => stop.abort(), seconds * 1000);

console.log(`watching ${nb.info.path ?? "the notebook"} on ${nb.url} (Ctrl-C to stop)`);
for await (const event of nb.events({ signal: stop.signal })) {
  switch (event.type) {
    case "kernel_ready":
      console.log(`notebook has ${event.cellIds.length} cell(s)`);
      break;
    case "cell":
      if (event.status !== null) console.log(`cell ${event.cellId}: ${event.status}`);
      if (event.output !== null && event.output.channel !== "stdout") {
        const text = outputText(event.output);
        if (text !== "") console.log(`cell ${event.cellId} output: ${text}`);
      }
      for (const line of event.console ?? []) {
        if (typeof line.data === "string" && line.data !== "") console.log(`cell ${event.cellId} ${line.channel}: ${line.data.trimEnd()}`);
      }
      break;
    case "document":
      for (const change of event.changes) {
        const cells = change.cellId ?? change.cellIds?.join(",") ?? "";
        console.log(`${change.type} ${cells} by ${event.source ?? "?"}${change.code === undefined ? "" : `: ${change.code}`}`);
      }
      break;
    case "alert":
    case "banner":
      console.log(`${event.type}: ${event.title}`);
      break;
    case "closed":
      console.log(`the session closed (${event.reason})`);
      break;
    default:
      break;
  }
}
console.log("stopped");
