/**
 * Records the raw bytes of real `POST /api/kernel/execute` responses into
 * test/fixtures/transcripts/<name>.sse, plus a manifest (code, marimo version, status,
 * content type, and the chunk sizes the socket delivered). The unit tests re-feed these
 * bytes to the SSE parser in random chunkings.
 *
 * Run after `npm run setup` (needs the project's .venv):
 *
 *   node scripts/record-transcripts.ts
 *
 * Re-recording changes the fixtures (tracebacks name temporary paths, code mode creates
 * random cell ids); the tests derive their expectations from the bytes, not from a copy.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { openRawSession, startMarimo, stopAll } from "../test/helpers/marimo-server.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = join(ROOT, "test", "fixtures", "transcripts");
/** Fixtures stay small enough to commit. */
const MAX_BYTES = 300 * 1024;

/** One recording: a file name (without `.sse`) and the Python to run. */
interface Recording {
  name: string;
  code: string;
}

const RECORDINGS: readonly Recording[] = [
  {
    name: "print-loop",
    code: "import time\nfor i in range(5):\n    print(f'line {i}', flush=True)\n    time.sleep(0.05)",
  },
  { name: "stderr", code: "import sys\nprint('warn', file=sys.stderr)\nprint('out')" },
  { name: "one-plus-one", code: "1 + 1" },
  { name: "json-value", code: "{'a': 1, 'b': [1, 2, 3], 'c': 'd\\u00e9j\\u00e0'}" },
  { name: "syntax-error", code: "def :" },
  { name: "exception", code: "def f():\n    raise ValueError('boom')\n\nf()" },
  {
    name: "non-ascii",
    // Emoji (astral, with a ZWJ sequence), CJK, a combining mark, a mathematical letter,
    // an RTL word; also as the value of the last expression.
    code:
      "import sys\n" +
      "print('héllo 🎉 日本語 e\\u0301 \\U0001D54F ∑ — Ω', flush=True)\n" +
      "print('👩\\u200d💻 عربى 한국어', file=sys.stderr, flush=True)\n" +
      "'值 ✓ 😀'",
  },
  {
    name: "large-output",
    // 200,000 characters in one write (below marimo's 1 MB per-write limit), then a value.
    code: "import sys\nsys.stdout.write(''.join(chr(65 + i % 26) for i in range(200_000)))\nsys.stdout.flush()\n'end'",
  },
  {
    name: "codemode-batch",
    code:
      "import marimo._code_mode as cm\n" +
      "async with cm.get_context() as ctx:\n" +
      "    cid = ctx.create_cell('y = x + 1\\nprint(\"y is\", y)', name='make_y')\n" +
      "    ctx.run_cell(cid)",
  },
  {
    name: "codemode-error",
    code:
      "import marimo._code_mode as cm\n" +
      "async with cm.get_context() as ctx:\n" +
      "    cid = ctx.create_cell('z = y * 2\\nraise RuntimeError(\"cell failed\")', name='bad')\n" +
      "    ctx.run_cell(cid)",
  },
];

/** What the manifest records per transcript. */
interface ManifestEntry {
  code: string;
  status: number;
  contentType: string | null;
  bytes: number;
  chunks: number[];
}

async function record(url: string, sessionId: string, code: string): Promise<{ body: Uint8Array; entry: ManifestEntry }> {
  const res = await fetch(`${url}/api/kernel/execute`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Marimo-Session-Id": sessionId, Accept: "text/event-stream" },
    body: JSON.stringify({ code }),
    signal: AbortSignal.timeout(120_000),
  });
  if (res.body === null) throw new Error(`no body (HTTP ${res.status})`);
  const parts: Uint8Array[] = [];
  const reader = res.body.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    parts.push(value);
  }
  const size = parts.reduce((n, p) => n + p.byteLength, 0);
  const body = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    body.set(part, at);
    at += part.byteLength;
  }
  return {
    body,
    entry: { code, status: res.status, contentType: res.headers.get("content-type"), bytes: size, chunks: parts.map((p) => p.byteLength) },
  };
}

async function main(): Promise<void> {
  await mkdir(OUT, { recursive: true });
  const server = await startMarimo();
  try {
    const session = await openRawSession(server);
    const versionRes = await fetch(`${server.url}/api/version`);
    const marimoVersion = (await versionRes.text()).trim();
    const transcripts: Record<string, ManifestEntry> = {};
    for (const { name, code } of RECORDINGS) {
      const { body, entry } = await record(server.url, session.sessionId, code);
      if (entry.status !== 200) throw new Error(`${name}: HTTP ${entry.status}`);
      if (body.byteLength > MAX_BYTES) throw new Error(`${name}: ${body.byteLength} bytes is too large for a fixture`);
      if (body.some((b) => b > 0x7f)) throw new Error(`${name}: expected an ASCII body (marimo JSON-escapes)`);
      await writeFile(join(OUT, `${name}.sse`), body);
      transcripts[name] = entry;
      process.stderr.write(`${name}: ${body.byteLength} bytes in ${entry.chunks.length} chunks\n`);
    }
    const manifest = { marimoVersion, endpoint: "POST /api/kernel/execute", transcripts };
    await writeFile(join(OUT, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    session.close();
  } finally {
    await server.stop();
    await stopAll();
  }
}

await main();
