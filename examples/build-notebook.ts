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

// Read the cells first and choose names nobody uses: names are handles, and a name another
// cell holds is refused (DuplicateNameError), as is a variable another cell defines.
const taken = new Set((await nb.cells({ code: false })).map((c) => c.name));
if (taken.has("example_temps") || taken.has("example_warmest")) throw new Error("this notebook already uses the example's names");

// One batch: marimo validates it as a whole and applies all of it or nothing.
// Quotes, backslashes and newlines in the code need no escaping.
const plan = codeMode((b) => {
  const data = b.createCell('example_temps = {"Mon": 21.5, "Tue": 19.0, "Wed": 23.25}', { name: "example_temps", hideCode: false });
  const summary = b.createCell(
    '_warmest = max(example_temps, key=example_temps.get)\nprint(f"warmest day: {_warmest} ({example_temps[_warmest]} °C)")',
    { after: data, name: "example_warmest", hideCode: false },
  );
  b.runCell(data); // its descendant `example_warmest` runs too
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
const cell = await nb.cell("example_warmest");
console.log(`example_warmest code has ${cell?.code?.split("\n").length ?? 0} lines`);
const edited = await nb.edit((b) => {
  b.editCell("example_warmest", { code: '_coldest = min(example_temps, key=example_temps.get)\nprint(f"coldest day: {_coldest}")' });
  b.runCell("example_warmest");
});
console.log(`printed after edit: ${edited.stdout.trim()}`);

// A mistake marimo would reject is refused before anything changes.
try {
  await nb.edit((b) => b.createCell("example_temps = {}"));
} catch (error) {
  if (isMarimoPairError(error)) console.log(`refused (${error.code}): nothing applied`);
  else throw error;
}

// Every result carries its undo. Undo the edit, then the first batch: each undo checks that
// the cells are still as its batch left them, so it never overwrites a newer edit.
const restored = await nb.apply(edited.undo);
console.log(`undo of the edit printed: ${restored.stdout.trim()}`);
await nb.apply(result.undo);
console.log("cleaned up");
