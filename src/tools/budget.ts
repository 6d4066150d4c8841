/**
 * Output budgeting for agents: keep the head and the tail of a long text, cut the middle,
 * and say what was cut — so a chatty cell cannot flood an agent's context. Text arrives in
 * chunks; memory stays bounded by the budget, however much is pushed.
 *
 * @module
 */

/** How much of a text (one channel: stdout, stderr, a cell's output) an agent sees. @inline */
export interface OutputBudget {
  /** Characters kept from the start. @default 8000 */
  headChars: number;
  /** Characters kept from the end. @default 4000 */
  tailChars: number;
  /** Lines kept from the start (whichever of `headChars`/`headLines` is reached first). @default 120 */
  headLines: number;
  /** Lines kept from the end. @default 60 */
  tailLines: number;
}

/** The default {@link OutputBudget}: at most about 12,000 characters or 180 lines per channel. */
export const DEFAULT_OUTPUT_BUDGET: Readonly<OutputBudget> = Object.freeze({
  headChars: 8000,
  tailChars: 4000,
  headLines: 120,
  tailLines: 60,
});

/** A budget with two thirds at the head and one third at the tail, from totals. */
export function budgetOf(maxChars: number, maxLines: number): OutputBudget {
  const headChars = Math.ceil((maxChars * 2) / 3);
  const headLines = Math.ceil((maxLines * 2) / 3);
  return { headChars, tailChars: maxChars - headChars, headLines, tailLines: maxLines - headLines };
}

/** What a budget cut from a text. */
export interface OutputCut {
  /** Characters left out (UTF-16 code units, as JavaScript counts them). */
  chars: number;
  /** Line breaks left out. */
  lines: number;
  /** Characters in the whole text. */
  totalChars: number;
  /** Lines in the whole text. */
  totalLines: number;
}

/** A text after budgeting. */
export interface BudgetedText {
  /** Head, a note saying what was cut, and tail; the whole text when nothing was cut. */
  text: string;
  /** What was left out, or null when nothing was. */
  cut: OutputCut | null;
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/** Index just after the `n`-th line break of `text`, or -1 when it has fewer. */
function afterNthBreak(text: string, n: number): number {
  let at = -1;
  for (let k = 0; k < n; k++) {
    at = text.indexOf("\n", at + 1);
    if (at === -1) return -1;
  }
  return at + 1;
}

/**
 * Move a cut position off the second half of a surrogate pair (never split a character):
 * back for a head (keeps less), forward for a tail start (keeps less).
 */
function safeCut(text: string, index: number, direction: -1 | 1 = -1): number {
  if (index <= 0 || index >= text.length) return index;
  const code = text.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff ? index + direction : index;
}

/**
 * Collects a stream of text chunks under a budget: the head is kept as it arrives, the
 * tail in a rolling window, and only counts are kept of the middle.
 *
 * @example
 * ```ts
 * const out = new HeadTailCollector(DEFAULT_OUTPUT_BUDGET);
 * for (const chunk of chunks) out.push(chunk);
 * const { text, cut } = out.finish("stdout");
 * ```
 */
export class HeadTailCollector {
  readonly #budget: OutputBudget;
  #head = "";
  #headFull = false;
  #tail = "";
  #totalChars = 0;
  #totalLines = 0;

  constructor(budget: OutputBudget = DEFAULT_OUTPUT_BUDGET) {
    this.#budget = budget;
  }

  /** Characters pushed so far. */
  get totalChars(): number {
    return this.#totalChars;
  }

  /** Add a chunk. */
  push(chunk: string): void {
    if (chunk === "") return;
    this.#totalChars += chunk.length;
    this.#totalLines += countLines(chunk);
    let rest = chunk;
    if (!this.#headFull) {
      const room = this.#budget.headChars - this.#head.length;
      const linesLeft = this.#budget.headLines - countLines(this.#head);
      let take = Math.min(rest.length, Math.max(0, room));
      const byLines = linesLeft <= 0 ? 0 : afterNthBreak(rest, linesLeft);
      if (linesLeft <= 0) take = 0;
      else if (byLines !== -1) take = Math.min(take, byLines);
      take = safeCut(rest, take);
      this.#head += rest.slice(0, take);
      rest = rest.slice(take);
      if (rest !== "" || this.#head.length >= this.#budget.headChars || countLines(this.#head) >= this.#budget.headLines) {
        this.#headFull = true;
      }
    }
    if (rest === "") return;
    this.#tail += rest;
    // Keep the window bounded: twice the tail budget, trimmed from the front.
    const keep = this.#budget.tailChars;
    if (this.#tail.length > 2 * keep + 1024) this.#tail = this.#tail.slice(safeCut(this.#tail, this.#tail.length - keep, 1));
  }

  /**
   * The budgeted text. `what` names the channel in the note (e.g. `stdout`).
   */
  finish(what: string): BudgetedText {
    let tail = this.#tail;
    if (tail.length > this.#budget.tailChars) tail = tail.slice(safeCut(tail, tail.length - this.#budget.tailChars, 1));
    const tailBreaks = countLines(tail);
    // A text ending in a line break: its last line is the one before that break.
    const allowed = this.#budget.tailLines + (tail.endsWith("\n") ? 1 : 0);
    if (tailBreaks + 1 > allowed) {
      let at = tail.length;
      for (let k = 0; k < allowed; k++) at = tail.lastIndexOf("\n", at - 1);
      tail = this.#budget.tailLines <= 0 ? "" : tail.slice(at + 1);
    }
    const kept = this.#head.length + tail.length;
    if (kept >= this.#totalChars) return { text: this.#head + tail, cut: null };
    const cut: OutputCut = {
      chars: this.#totalChars - kept,
      lines: Math.max(0, this.#totalLines - countLines(this.#head) - countLines(tail)),
      totalChars: this.#totalChars,
      totalLines: this.#totalLines,
    };
    const headLines = countLines(this.#head);
    const note =
      `[… ${cut.chars.toLocaleString("en-US")} characters (${cut.lines.toLocaleString("en-US")} lines) of ${what} cut here by marimo-pair; ` +
      `shown: the first ${this.#head.length.toLocaleString("en-US")} characters (${headLines} lines) and the last ` +
      `${tail.length.toLocaleString("en-US")} (${countLines(tail)} lines) of ${cut.totalChars.toLocaleString("en-US")}. ` +
      "Print less, or print a slice of what you need. …]";
    const before = this.#head === "" || this.#head.endsWith("\n") ? "" : "\n";
    return { text: `${this.#head}${before}${note}\n${tail}`, cut };
  }
}

/** Budget a whole text at once. */
export function budgetText(text: string, what: string, budget: OutputBudget = DEFAULT_OUTPUT_BUDGET): BudgetedText {
  const collector = new HeadTailCollector(budget);
  collector.push(text);
  return collector.finish(what);
}
