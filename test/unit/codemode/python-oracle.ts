/**
 * A long-lived real Python process that judges generated Python: it evaluates string
 * literals to their code points, and compiles whole programs and compares their syntax
 * trees. One JSON request per line in, one JSON answer per line out.
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const VENV_PYTHON = join(ROOT, ".venv", process.platform === "win32" ? "Scripts" : "bin", "python");

const SERVER = String.raw`
import ast, json, sys

FLAGS = ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
SHAPES = {}

def strings(tree):
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]

def shape(tree):
    for n in ast.walk(tree):
        if isinstance(n, ast.Constant) and isinstance(n.value, str):
            n.value = ""
    return ast.dump(tree, include_attributes=False)

def handle(req):
    op = req["op"]
    if op == "eval":
        # Each source must be a literal; literal_eval refuses names, calls and operators.
        return {"values": [[ord(c) for c in ast.literal_eval(src)] for src in req["sources"]]}
    if op == "json":
        # A JSON value literal, evaluated and serialized back.
        return {"texts": [json.dumps(ast.literal_eval(src)) for src in req["sources"]]}
    if op == "program":
        tree = compile(req["source"], "<program>", "exec", FLAGS)
        # Also to bytecode: some errors are only found there.
        compile(tree, "<program>", "exec", ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        result = {"strings": [[ord(c) for c in s] for s in strings(tree)]}
        if "reference" in req:
            if req["reference"] not in SHAPES:
                SHAPES[req["reference"]] = shape(compile(req["reference"], "<reference>", "exec", FLAGS))
            result["same_shape"] = shape(tree) == SHAPES[req["reference"]]
        return result
    raise ValueError("unknown op " + op)

for line in sys.stdin:
    try:
        answer = {"ok": True, **handle(json.loads(line))}
    except Exception as exc:
        answer = {"ok": False, "error": type(exc).__name__ + ": " + str(exc)}
    sys.stdout.write(json.dumps(answer, ensure_ascii=True) + "\n")
    sys.stdout.flush()
`;

/** The Python used as the oracle: `python3` on PATH, else the project's virtualenv. */
export function oraclePython(): string {
  const probe = spawnSync("python3", ["--version"], { encoding: "utf8" });
  if (probe.status === 0) return "python3";
  if (existsSync(VENV_PYTHON)) return VENV_PYTHON;
  throw new Error("python3 is needed for the code-mode literal tests");
}

interface Answer {
  ok: boolean;
  error?: string;
  values?: number[][];
  strings?: number[][];
  texts?: string[];
  same_shape?: boolean;
}

/** Code points of a JavaScript string, lone surrogates included. */
export function codePoints(text: string): number[] {
  return Array.from(text, (ch) => ch.codePointAt(0) ?? 0);
}

/** One Python process answering requests in order. */
export class PythonOracle {
  readonly #child: ChildProcessWithoutNullStreams;
  #buffer = "";
  readonly #waiting: { resolve: (line: string) => void; reject: (error: Error) => void }[] = [];
  #stderr = "";

  constructor() {
    this.#child = spawn(oraclePython(), ["-c", SERVER], { env: { ...process.env, PYTHONIOENCODING: "utf-8" } });
    this.#child.stdout.setEncoding("utf8");
    this.#child.stdout.on("data", (chunk: string) => {
      this.#buffer += chunk;
      let nl: number;
      while ((nl = this.#buffer.indexOf("\n")) !== -1) {
        const line = this.#buffer.slice(0, nl);
        this.#buffer = this.#buffer.slice(nl + 1);
        this.#waiting.shift()?.resolve(line);
      }
    });
    this.#child.stderr.on("data", (d: Buffer) => (this.#stderr += d.toString()));
    this.#child.on("exit", () => {
      for (const waiter of this.#waiting.splice(0)) waiter.reject(new Error(`python exited: ${this.#stderr}`));
    });
  }

  async #ask(request: object): Promise<Answer> {
    const line = await new Promise<string>((resolveLine, reject) => {
      this.#waiting.push({ resolve: resolveLine, reject });
      this.#child.stdin.write(`${JSON.stringify(request)}\n`);
    });
    const answer = JSON.parse(line) as Answer;
    if (!answer.ok) throw new Error(`python: ${answer.error ?? "failed"}`);
    return answer;
  }

  /** Evaluate Python literal sources; returns the code points of each resulting string. */
  async evalStrings(sources: readonly string[]): Promise<number[][]> {
    return (await this.#ask({ op: "eval", sources })).values ?? [];
  }

  /** Evaluate Python value literals; returns `json.dumps` of each. */
  async evalJson(sources: readonly string[]): Promise<string[]> {
    return (await this.#ask({ op: "json", sources })).texts ?? [];
  }

  /**
   * Compile a program (top-level await allowed); returns its string constants as code
   * points and, given a reference program, whether both have the same syntax tree once
   * string constants are blanked.
   */
  async program(source: string, reference?: string): Promise<{ strings: number[][]; sameShape: boolean | undefined }> {
    const answer = await this.#ask(reference === undefined ? { op: "program", source } : { op: "program", source, reference });
    return { strings: answer.strings ?? [], sameShape: answer.same_shape };
  }

  /** Stop the process. */
  close(): void {
    this.#child.stdin.end();
    this.#child.kill();
  }
}
