/**
 * What to do next after a failure, keyed by error code, in the vocabulary of each face:
 * functions for the library, commands and flags for the CLI, tools and their arguments
 * for the MCP server. Library errors end their message with the library hint; the other
 * faces swap it for their own with {@link inTermsOf}. Pure (no imports).
 *
 * @module
 */

/** Who reads a message: a program (`library`), a terminal (`cli`) or a model over MCP (`mcp`). */
export type Face = "library" | "cli" | "mcp";

/** The error codes that carry a hint. */
export type HintCode =
  | "no_server"
  | "no_session"
  | "ambiguous_session"
  | "session_not_found"
  | "unauthorized"
  | "connection_failed"
  | "remote_not_allowed"
  | "stale_cells"
  | "notebook_validation"
  | "stream_incomplete"
  | "needs_server_flags";

/** One hint per face. */
export type FaceHints = Readonly<Record<Face, string>>;

/** The table: for each code, what to do next in each face's terms. */
export const HINTS: Readonly<Record<HintCode, FaceHints>> = Object.freeze({
  no_server: {
    library:
      "Start one with `marimo edit NOTEBOOK.py --no-token` (only servers started with --no-token register for discovery), " +
      "or pass its url in `urls` (and `token`, or set MARIMO_TOKEN).",
    cli:
      "Start one with `marimo edit NOTEBOOK.py --no-token` (only servers started with --no-token register for discovery), " +
      "or pass --url (and set MARIMO_TOKEN) for any other server.",
    mcp:
      "Ask the person to start one with `marimo edit NOTEBOOK.py --no-token` (only servers started with --no-token " +
      "register), or pass url (with MARIMO_TOKEN set where this MCP server runs).",
  },
  no_session: {
    library: "Open it with findSession({ file, open: true }) (or client.openSession({ file })), or open it in a browser.",
    cli: "Open it with `marimo-pair open --file PATH` (or in a browser), or pick another with --file PATH; `marimo-pair sessions` lists what is open.",
    mcp: "Call bind_notebook with file (it opens the notebook when the server serves it), or pick another file; list_sessions lists what is open.",
  },
  ambiguous_session: {
    library: "Select one by sessionId or absolute file path, or pass the server in `urls` with `discover: false`.",
    cli: "Choose one with --file and its absolute path (or --session ID), and the server with --url.",
    mcp: "Pass url and the absolute path in file (or session).",
  },
  session_not_found: {
    library: "Session ids change when a browser reloads the notebook: select the session by file instead, or list sessions again.",
    cli: "Session ids change when a browser reloads the notebook: select it with --file PATH instead; `marimo-pair sessions` lists what is open.",
    mcp: "Session ids change when a browser reloads the notebook: pass file instead of session; list_sessions lists what is open.",
  },
  unauthorized: {
    library: "Pass `token` or set MARIMO_TOKEN.",
    cli: "Set MARIMO_TOKEN (or pass --token) to the server's token.",
    mcp: "Set MARIMO_TOKEN where this MCP server runs (tools never take a token as input).",
  },
  connection_failed: {
    library: "Check the URL, or call discoverServers() to find live servers.",
    cli: "Check the URL (including any --base-url prefix); `marimo-pair discover` lists the servers running on this machine.",
    mcp: "Check the url; discover_servers lists the servers running on this machine.",
  },
  remote_not_allowed: {
    library: "Pass `allowRemote: true` if you trust that server.",
    cli: "marimo-pair only warns about such hosts when you name them with --url.",
    mcp: "Start the MCP server with allowRemote (createMarimoTools({ allowRemote: true })) if you trust that server.",
  },
  stale_cells: {
    library: "Read the cells again (nb.cells()) and retry, or pass skipStalenessCheck: true to overwrite.",
    cli: "Read the cells again (`marimo-pair cells` reads them all) and retry, or pass --skip-staleness-check to overwrite.",
    mcp: "Call read_cells (it reads the cells' current code), check what changed, then retry.",
  },
  notebook_validation: {
    library: "Fix the plan, or pass skipValidation: true to insert such code on purpose.",
    cli: "Fix the operations, or pass --skip-validation to insert such code on purpose.",
    mcp: "Fix the code and call the tool again.",
  },
  stream_incomplete: {
    library: "The server may have stopped or restarted, or the session id may be stale: check the server, then list sessions and retry.",
    cli: "The server may have stopped or restarted, the kernel may have died, or the session id may be stale: check the server, then retry with --file PATH.",
    mcp: "The server may have stopped or restarted, or the kernel died: call list_sessions, then retry naming the notebook by file.",
  },
  needs_server_flags: {
    library: "Or select the session by its id: client.session({ sessionId }) skips the listing.",
    cli: "Or name the session with --url URL --session ID, which skips the listing.",
    mcp: "Or pass url and the session's id in session, which skips the listing.",
  },
});

/** True when `code` has a row in {@link HINTS}. */
export function hasHint(code: string): code is HintCode {
  return Object.hasOwn(HINTS, code);
}

/** The hint for `code` in `face`'s terms, or `""` when the table has none. */
export function hintFor(code: string, face: Face): string {
  return hasHint(code) ? HINTS[code][face] : "";
}

/**
 * A message in `face`'s terms: a library message ending with (or holding) its code's library
 * hint gets that face's hint instead. Other messages are returned unchanged.
 */
export function inTermsOf(message: string, code: string, face: Face): string {
  if (face === "library" || !hasHint(code)) return message;
  const library = HINTS[code].library;
  const at = message.lastIndexOf(library);
  if (at === -1) return message;
  return message.slice(0, at) + HINTS[code][face] + message.slice(at + library.length);
}

/** How a face spells the steps a refusal suggests (the sentences are in `codemode/refusal-words.ts`). */
export interface RefusalVocabulary {
  /** How to read the notebook's cells (ids, names, code). */
  readonly readCells: string;
  /** How to overwrite a cell that changed since it was read; `undefined` where the face has no way. */
  readonly skipStalenessCheck: string | undefined;
  /** How to apply code that fails marimo's checks on purpose; `undefined` where the face has no way. */
  readonly skipValidation: string | undefined;
  /** How to give a name another cell holds. */
  readonly allowDuplicateName: string;
  /** How to target one cell by its id. */
  byId(id: string): string;
}

/** Each face's {@link RefusalVocabulary}. */
export const WORDS: Readonly<Record<Face, RefusalVocabulary>> = Object.freeze({
  library: {
    readCells: "nb.cells()",
    skipStalenessCheck: "pass skipStalenessCheck: true",
    skipValidation: "pass skipValidation: true",
    allowDuplicateName: "pass allowDuplicateName: true",
    byId: (id: string) => `{ id: '${id}' }`,
  },
  cli: {
    readCells: "`marimo-pair cells` reads them all",
    skipStalenessCheck: "pass --skip-staleness-check",
    skipValidation: "pass --skip-validation",
    allowDuplicateName: 'set "allow_duplicate_name": true on the operation',
    byId: (id: string) => `{"id": "${id}"}`,
  },
  mcp: {
    readCells: "call read_cells, which reads the cells' current code",
    skipStalenessCheck: undefined,
    skipValidation: undefined,
    allowDuplicateName: "pass allow_duplicate_name: true",
    byId: (id: string) => `cell: {"id": "${id}"}`,
  },
});
