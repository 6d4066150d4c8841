/**
 * The HTML tracebacks of marimo 0.22.4 – 0.23.1 become plain text; anything else on stderr
 * passes unchanged.
 */
import { describe, expect, it } from "vitest";
import { toExecuteEvent } from "../../../src/execute/events.js";
import { highlightedTracebackText } from "../../../src/execute/traceback-html.js";

/** What marimo 0.22.5 sent on stderr for `raise ValueError('boom')` (recorded from a real server). */
const RECORDED_0_22_5 =
  '<span class="codehilite"><div class="highlight"><pre><span></span><span class="gt">Traceback (most recent call last):</span>\n  File <span class="nb">"/tmp/marimo_10488/__marimo__cell___scratch___.py"</span>, line <span class="m">1</span>, in <span class="n">&lt;module&gt;</span>\n<span class="w">    </span><span class="k">raise</span> <span class="ne">ValueError</span><span class="p">(</span><span class="s1">\'boom\'</span><span class="p">)</span>\n<span class="gr">ValueError</span>: <span class="n">boom</span>\n</pre></div>\n</span>';

/** The same traceback as marimo 0.21.1 and ≥ 0.23.2 send it (minus marimo's own executor frame). */
const PLAIN =
  "Traceback (most recent call last):\n" +
  '  File "/tmp/marimo_10488/__marimo__cell___scratch___.py", line 1, in <module>\n' +
  "    raise ValueError('boom')\n" +
  "ValueError: boom\n";

describe("highlightedTracebackText", () => {
  it("turns a recorded 0.22.5 traceback into the plain text other releases send", () => {
    expect(highlightedTracebackText(RECORDED_0_22_5)).toBe(PLAIN);
  });

  it("decodes Pygments' entities, numeric ones included, and keeps markup-like text of the message", () => {
    const html =
      '<span class="codehilite"><div class="highlight"><pre><span class="gr">KeyError</span>: <span class="s2">&quot;&lt;b&gt; &amp;amp; &#39;q&#39; &#x1F389;&quot;</span>\n</pre></div>\n</span>';
    expect(highlightedTracebackText(html)).toBe(`KeyError: "<b> &amp; 'q' 🎉"\n`);
  });

  it("leaves everything else alone", () => {
    for (const text of [
      "plain warning\n",
      PLAIN,
      '<span class="codehilite">not a whole traceback',
      `${RECORDED_0_22_5} and more`,
      `prefix ${RECORDED_0_22_5}`,
    ]) {
      expect(highlightedTracebackText(text)).toBeUndefined();
    }
  });
});

describe("toExecuteEvent", () => {
  const message = (event: string, data: string) => ({ event, data: JSON.stringify({ data }) });

  it("gives stderr tracebacks as plain text", () => {
    expect(toExecuteEvent(message("stderr", RECORDED_0_22_5))).toEqual({ type: "stderr", data: PLAIN });
    expect(toExecuteEvent(message("stderr", "warn\n"))).toEqual({ type: "stderr", data: "warn\n" });
  });

  it("never rewrites stdout, even when it looks like a highlighted traceback", () => {
    expect(toExecuteEvent(message("stdout", RECORDED_0_22_5))).toEqual({ type: "stdout", data: RECORDED_0_22_5 });
  });
});
