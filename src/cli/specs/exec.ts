/**
 * Options and help of `marimo-pair exec`.
 *
 * @module
 */
import { type CommandSpec, TARGET_HELP, TARGET_OPTIONS } from "../spec.js";

/** `marimo-pair exec`: run Python in a notebook's kernel, streaming its output. */
export const EXEC_SPEC: CommandSpec = {
  name: "exec",
  summary: "run Python in a notebook's kernel and stream its output",
  options: { ...TARGET_OPTIONS, code: { type: "string", short: "c" }, json: { type: "boolean" }, text: { type: "boolean" } },
  maxPositionals: 1,
  help: `Usage: marimo-pair exec [--url URL] [--file PATH | --session ID] [--json | --text] [-c CODE | FILE | -]

Run Python in a live notebook's kernel and stream what it prints.

The code runs in the notebook's scratchpad: it can read the notebook's variables and
mutate their objects in place, but names it defines are discarded afterwards and the
notebook's cells are not changed. To change cells, use \`marimo-pair apply\`.

Where the code comes from (one of):
  -c CODE          the code itself
  FILE             a file holding the code
  -                standard input
  (nothing)        standard input, when it is piped or redirected
Standard input reaches marimo byte for byte, so quotes, backticks, $, \${} and
backslashes need no escaping in a quoted heredoc (<<'EOF').

${TARGET_HELP}

Output:
  The code's stdout and stderr are written to this command's stdout and stderr as they
  arrive. When the code succeeds, the value of its last expression follows on stdout, as
  marimo renders it (often HTML, e.g. <pre class='text-xs'>2</pre>), exactly as the
  original execute-code.sh printed it.
  --text           print the value as a person reads it instead: HTML and markdown as
                   text, marimo's typed numbers decoded, tables as compact text
  --json           print one JSON document when the run is over, instead of streaming:
                   {"success", "stdout", "stderr", "output": {"mimetype", "data", "text"},
                   "truncated"}

Exit status:
  0    the code ran without error
  1    the code raised (the traceback is on stderr), the run did not complete, or no
       server or session could be reached or chosen (stderr says what to do)
  2    wrong usage
  130  interrupted with Ctrl-C (the kernel is interrupted as well)

Remote servers: code and the token are sent to the --url host. A host other than this
machine (localhost, 127.x, ::1, 0.0.0.0) is allowed, because you named it, but a
warning is printed on stderr.

Environment:
  MARIMO_TOKEN          the server's token (preferred over --token)
  MARIMO_PAIR_EXEC_LOG  append one UTC timestamp line per call to this file (for counting
                        calls); EXECUTE_CODE_LOG is honoured too
  XDG_STATE_HOME        where discovery finds marimo's server registry

Examples:
  marimo-pair exec -c 'print(df.shape)'
  marimo-pair exec --file analysis.py -c 'df.describe()'
  marimo-pair exec --url http://127.0.0.1:2718 --file analysis.py check.py
  marimo-pair exec --file analysis.py <<'EOF'
  print(f"{len(df)} rows, columns: {', '.join(df.columns)}")
  EOF
  MARIMO_TOKEN=secret marimo-pair exec --url http://127.0.0.1:2718 -c '1 + 1'
`,
};
