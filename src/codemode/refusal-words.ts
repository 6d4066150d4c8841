/**
 * The words of refused batches, once for every face: each face (library, CLI, MCP tools)
 * passes its own vocabulary (`WORDS` in `src/hints.ts`), so a refusal names the step to take in the
 * caller's terms while the facts and the sentence stay the same everywhere.
 *
 * @module
 */
import type { RefusalVocabulary } from "../hints.js";

function quoteList(ids: readonly string[]): string {
  return ids.map((id) => `'${id}'`).join(", ");
}

/** A name another cell holds. */
export function duplicateNameText(name: string, holderIds: readonly string[], words: RefusalVocabulary): string {
  return (
    `The name '${name}' is already held by cell ${quoteList(holderIds)}; nothing was applied. Names are handles: ` +
    `read the cells (${words.readCells}) and choose an unused name, or ${words.allowDuplicateName} to allow the duplicate.`
  );
}

/** A name several cells hold. */
export function ambiguousCellText(target: string, cellIds: readonly string[], words: RefusalVocabulary): string {
  const first = cellIds[0] ?? "";
  return (
    `The name '${target}' matches ${cellIds.length} cells (${quoteList(cellIds)}); nothing was applied. ` +
    `Target one by its id, e.g. ${words.byId(first)}.`
  );
}

/** A target that matches nothing. */
export function cellNotFoundText(target: string, by: string, words: RefusalVocabulary): string {
  const what = by === "id" ? "id" : by === "name" ? "name" : "id or name";
  return `No cell has the ${what} '${target}'; nothing was applied. Read the cells (${words.readCells}) for their ids and names.`;
}

/** A UI value the element could never hold. */
export function uiValueRejectedText(variable: string, element: string, domain: string, value: unknown, problem: string): string {
  return (
    `The ${element} '${variable}' cannot take ${JSON.stringify(value) ?? String(value)} (${problem}); it accepts ${domain}. ` +
    "Nothing was applied and the element keeps its value."
  );
}

/** A variable the notebook does not define. */
export function unknownVariableText(variable: string): string {
  return `No notebook variable is named '${variable}'; nothing was applied. Run the cell that defines the UI element first, or check the name.`;
}

/** A variable that is not a UI element. */
export function notUiElementText(variable: string, typeName: string): string {
  return `The notebook variable '${variable}' is a ${typeName}, not a marimo UI element; nothing was applied.`;
}

/** A cell that differs from what the batch expected (a stale undo). */
export function cellChangedText(target: string, fields: readonly string[], words: RefusalVocabulary): string {
  const what = fields.includes("deleted") ? "it was deleted" : `${fields.join(", ")} differ${fields.length === 1 ? "s" : ""}`;
  return (
    `Cell '${target}' changed since the batch this undoes (${what}); ` +
    `nothing was applied, so the newer edit is kept. Read the cells (${words.readCells}) and change them directly instead.`
  );
}

/** A cell that changed since its code was last read. */
export function staleCellsText(cellId: string, staleCells: readonly string[], words: RefusalVocabulary): string {
  return (
    `Cell '${cellId}' changed since its code was last read; nothing was applied (stale: ${staleCells.join(", ") || cellId}). ` +
    `marimo only lets an agent overwrite code it has seen, so a person's edits are not lost. Read the cells again ` +
    `(${words.readCells}), check what changed, and retry${words.skipStalenessCheck === undefined ? "" : `, or ${words.skipStalenessCheck} to overwrite`}.`
  );
}
