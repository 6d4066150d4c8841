/**
 * Change a live notebook with the typed code-mode builder: add cells, run them, read the
 * result back — no Python string is ever assembled by hand.
 *
 *   node examples/build-notebook.ts [URL]
 *
 * URL defaults to MARIMO_URL. The notebook must be open (in a browser, or held by
 * `client.openSession`); with several open, set MARIMO_FILE.
 */
import { codeMode, connect, isMarimoPairError } from "marimo-pair";

const url = process.argv[2] ?? process.env["MARIMO_URL"];
if (url === undefined) {
  console.error("usage: node examples/build-notebook.ts URL   (or set MARIMO_URL)");
  process.exit(2);
}
const file = process.env["MARIMO_FILE"];
const nb = await connect(url).session(file === undefined ? {} : { file });

// One batch: marimo validates it as a whole and applies all of it or nothing.
// Quotes, backslashes and newlines in the code need no escaping.
const plan = codeMode((b) => {
  const data = b.createCell('temperatures = {"Mon": 21.5, "Tue": 19.0, "Wed": 23.25}', { hideCode: false });
  const summary = b.createCell(
    'warmest = max(temperatures, key=temperatures.get)\nprint(f"warmest day: {warmest} ({temperatures[warmest]} °C)")',
    { after: data, name: "summary", hideCode: false },
  );
  b.runCell(data); // its descendant `summary` runs too
  return { data, summary };
});
console.log("--- the generated Python ---");
console.log(plan.toPython({ marimoVersion: await nb.marimoVersion() }).split("\n").slice(0, 8).join("\n"), "\n...");

const result = await nb.apply(plan);
console.log("--- applied ---");
console.log(`created: ${Object.values(result.created).join(", ")}`);
for (const cell of result.cells) console.log(`cell ${cell.id}: ${cell.status}`);
console.log(`printed: ${result.stdout.trim()}`);

// Read before write: reading a cell's code lets the next batch edit it.
const cell = await nb.cell("summary");
console.log(`summary code has ${cell?.code?.split("\n").length ?? 0} lines`);
const edited = await nb.edit((b) => {
  b.editCell("summary", { code: 'coldest = min(temperatures, key=temperatures.get)\nprint(f"coldest day: {coldest}")' });
  b.runCell("summary");
});
console.log(`printed after edit: ${edited.stdout.trim()}`);

// A mistake marimo would reject is refused before anything changes.
try {
  await nb.edit((b) => b.createCell("temperatures = {}"));
} catch (error) {
  if (isMarimoPairError(error)) console.log(`refused (${error.code}): nothing applied`);
  else throw error;
}

// Clean up what this example added.
await nb.edit((b) => {
  b.deleteCell(result.idOf(plan.value.summary));
  b.deleteCell(result.idOf(plan.value.data));
});
console.log("cleaned up");
