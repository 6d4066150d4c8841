/**
 * The notebook's dependency graph as read by `readGraph`, and walks over it.
 *
 * @module
 */

/** One cell of the graph. @inline */
export interface GraphCell {
  /** The cell id. */
  id: string;
  /** The cell name, `null` when unnamed. */
  name: string | null;
  /**
   * True when the kernel's graph has the cell. A cell that never ran in this kernel (a
   * notebook opened without a browser runs nothing until asked) is not registered, and its
   * defs, refs, parents and children are empty.
   */
  registered: boolean;
  /** Names the cell defines (including imports). */
  defs: string[];
  /** Names the cell reads that it does not define (builtins included). */
  refs: string[];
  /** Cells whose definitions this cell reads. */
  parents: string[];
  /** Cells that read this cell's definitions. */
  children: string[];
}

/** The dependency graph of a notebook, cells in notebook order. */
export interface NotebookGraph {
  /** Every cell, in notebook order. */
  cells: GraphCell[];
  /** Names defined by more than one cell. */
  multiplyDefined: string[];
  /** Cycles, each a list of `[from, to]` edges. */
  cycles: [string, string][][];
}

function walk(graph: NotebookGraph, start: string, next: (cell: GraphCell) => readonly string[]): string[] {
  const byId = new Map(graph.cells.map((c) => [c.id, c]));
  const seen = new Set<string>();
  const queue = [...(byId.get(start) === undefined ? [] : next(byId.get(start) as GraphCell))];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    if (seen.has(id) || id === start) continue;
    seen.add(id);
    const cell = byId.get(id);
    if (cell !== undefined) queue.push(...next(cell));
  }
  return graph.cells.map((c) => c.id).filter((id) => seen.has(id));
}

/**
 * Cells whose definitions `cellId` depends on, directly or transitively, in notebook order.
 *
 * @example
 * ```ts
 * const g = await nb.graph();
 * ancestors(g, "Hbol"); // ["setup", "MJUe"]
 * ```
 */
export function ancestors(graph: NotebookGraph, cellId: string): string[] {
  return walk(graph, cellId, (c) => c.parents);
}

/** Cells that depend on `cellId`, directly or transitively, in notebook order (what re-runs after it). */
export function descendants(graph: NotebookGraph, cellId: string): string[] {
  return walk(graph, cellId, (c) => c.children);
}

/** Ids of the cells that define `name` (one for a well-formed notebook). */
export function definingCells(graph: NotebookGraph, name: string): string[] {
  return graph.cells.filter((c) => c.defs.includes(name)).map((c) => c.id);
}
