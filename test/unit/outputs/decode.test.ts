import { describe, expect, it } from "vitest";
import { isNotebookUnreadable, isPortInUse } from "../../../src/launch/errors.js";
import {
  decodeDataUrl,
  htmlToText,
  MIMEBUNDLE,
  outputImage,
  outputText,
  unpackMimeBundle,
} from "../../../src/outputs/decode.js";

const PNG_B64 = "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4z8AARAwQCgAf7gP9i18U1AAAAABJRU5ErkJggg==";
const PNG_URL = `data:image/png;base64,${PNG_B64}`;
const SIGNATURE = [0x89, 0x50, 0x4e, 0x47];

describe("decodeDataUrl", () => {
  it("decodes base64 and percent-encoded data URLs", () => {
    expect(Array.from(decodeDataUrl(PNG_URL)?.bytes.slice(0, 4) ?? [])).toEqual(SIGNATURE);
    expect(decodeDataUrl(PNG_URL)?.mimetype).toBe("image/png");
    expect(new TextDecoder().decode(decodeDataUrl("data:text/plain;charset=utf-8,a%20b")?.bytes)).toBe("a b");
    expect(decodeDataUrl("data:,x")?.mimetype).toBe("text/plain");
    expect(decodeDataUrl("./@file/1-2-a.png")).toBeUndefined();
  });
});

describe("unpackMimeBundle", () => {
  it("accepts an object (cell outputs), a JSON string, or an already-extracted value", () => {
    expect(unpackMimeBundle({ mimetype: MIMEBUNDLE, data: { "text/html": "<b>x</b>", "image/png": PNG_URL } })).toEqual({
      "text/html": "<b>x</b>",
      "image/png": PNG_URL,
    });
    expect(unpackMimeBundle({ mimetype: MIMEBUNDLE, data: JSON.stringify({ "text/plain": "p" }) })).toEqual({ "text/plain": "p" });
    expect(unpackMimeBundle({ mimetype: MIMEBUNDLE, data: "<b>bundle</b>" })).toEqual({ "text/html": "<b>bundle</b>" });
    expect(unpackMimeBundle({ mimetype: MIMEBUNDLE, data: "plain words" })).toEqual({ "text/plain": "plain words" });
    expect(unpackMimeBundle({ mimetype: "text/plain", data: "t" })).toEqual({ "text/plain": "t" });
    expect(unpackMimeBundle({ mimetype: MIMEBUNDLE, data: null })).toEqual({});
  });
});

describe("outputImage", () => {
  it("finds images in image outputs, mimebundles and HTML", () => {
    const fromPng = outputImage({ mimetype: "image/png", data: PNG_URL });
    expect(fromPng !== undefined && "bytes" in fromPng && Array.from(fromPng.bytes.slice(0, 4))).toEqual(SIGNATURE);
    const bare = outputImage({ mimetype: "image/png", data: PNG_B64 });
    expect(bare !== undefined && "bytes" in bare && bare.bytes.length).toBeGreaterThan(8);
    const bundle = outputImage({ mimetype: MIMEBUNDLE, data: { "text/plain": "<Figure>", "image/png": PNG_URL } });
    expect(bundle?.mimetype).toBe("image/png");
    const inlineHtml = outputImage({ mimetype: "text/html", data: `<div><img alt="x" src="${PNG_URL}"></div>` });
    expect(inlineHtml !== undefined && "bytes" in inlineHtml).toBe(true);
    expect(outputImage({ mimetype: "text/html", data: "<img src='./@file/73-12590-w7xw80LG.png' />" })).toEqual({
      mimetype: "image/png",
      path: "/@file/73-12590-w7xw80LG.png",
    });
    const svg = outputImage({ mimetype: "image/svg+xml", data: "<svg xmlns='http://www.w3.org/2000/svg'/>" });
    expect(svg !== undefined && "bytes" in svg && new TextDecoder().decode(svg.bytes)).toMatch(/^<svg/);
  });

  it("returns undefined when there is no image", () => {
    expect(outputImage({ mimetype: "text/plain", data: "" })).toBeUndefined();
    expect(outputImage({ mimetype: "text/html", data: "<img src='https://example.com/x.png'>" })).toBeUndefined();
    expect(outputImage({ mimetype: "image/png", data: 42 })).toBeUndefined();
  });
});

describe("outputText and htmlToText", () => {
  it("renders what a person would read", () => {
    expect(outputText({ mimetype: "text/html", data: "<pre class='text-xs'>2</pre>" })).toBe("2");
    expect(outputText({ mimetype: "text/html", data: "<pre class='text-xs'>&#x27;just text&#x27;</pre>" })).toBe("'just text'");
    expect(
      outputText({ mimetype: "text/markdown", data: '<span class="markdown"><h1 id="h">Hello <em>there</em></h1><p>a &amp; b</p></span>' }),
    ).toBe("Hello there\na & b");
    expect(outputText({ mimetype: "application/json", data: '{"a":1}' })).toBe("{'a': 1}");
    expect(outputText({ mimetype: "text/plain", data: "  kept  " })).toBe("  kept  ");
    expect(
      outputText({ mimetype: "application/vnd.marimo+error", data: [{ type: "exception", msg: "name 'x' is not defined" }] }),
    ).toBe("name 'x' is not defined");
    expect(outputText({ mimetype: MIMEBUNDLE, data: { "text/plain": "B", "text/html": "<b>bold</b>" } })).toBe("B");
    expect(outputText({ mimetype: "image/png", data: PNG_URL })).toBe("");
  });

  it("decodes marimo's typed JSON leaves and prints the structure like Python", () => {
    const json = (value: unknown) => outputText({ mimetype: "application/json", data: JSON.stringify(value) });
    expect(json({ East: "text/plain+float:66209.56", West: "text/plain+float:1.5" })).toBe("{'East': 66209.56, 'West': 1.5}");
    expect(json(["text/plain+float:nan", "text/plain+float:inf", "text/plain+float:-inf", 1, "text/plain+float:2.0"])).toBe(
      "[nan, inf, -inf, 1, 2.0]",
    );
    expect(json({ big: "text/plain+bigint:1208925819614629174706176" })).toBe("{'big': 1208925819614629174706176}");
    expect(json({ "text/plain+int:2": "text/plain+tuple:[1, \"a\"]", "text/plain+none:": "text/plain+set:[1, 2]" })).toBe(
      "{2: (1, 'a'), None: {1, 2}}",
    );
    expect(json({ "text/plain+str:text/plain+x": "text/plain+frozenset:[]", flag: true, none: null })).toBe(
      "{'text/plain+x': frozenset(), 'flag': True, 'none': None}",
    );
    expect(json({ df: "text/html:<pre class='text-xs'>frame</pre>" })).toBe("{'df': frame}");
    expect(outputText({ mimetype: "application/json", data: { already: "text/plain+float:1.0" } })).toBe("{'already': 1.0}");
  });

  it("prints marimo tables compactly and UI elements as one line", () => {
    const rows = JSON.stringify(JSON.stringify([{ a: 1, b: "x" }, { a: 2, b: "y" }]));
    const attr = rows.replace(/&/g, "&amp;").replace(/'/g, "&#x27;").replace(/"/g, "&quot;");
    const table = `<marimo-ui-element object-id='o'><marimo-table data-data='${attr}' data-total-rows='2' data-label='null'></marimo-table></marimo-ui-element>`;
    expect(outputText({ mimetype: "text/html", data: table })).toBe("a  b\n1  x\n2  y\n(2 row(s) × 2 column(s))");
    const slider = "<marimo-ui-element object-id='o'><marimo-slider data-initial-value='3' data-label='&quot;n&quot;'></marimo-slider></marimo-ui-element>";
    expect(outputText({ mimetype: "text/html", data: slider })).toBe('[slider "n": 3]');
  });

  it("drops scripts and styles and keeps line structure", () => {
    expect(htmlToText("<style>p{}</style><p>one</p><script>alert(1)</script><p>two<br>three</p>")).toBe("one\ntwo\nthree");
  });
});

describe("launch failure classification", () => {
  it("recognises marimo's messages", () => {
    expect(isPortInUse("ERROR:    [Errno 98] error while attempting to bind on address ('127.0.0.1', 2718): address already in use")).toBe(true);
    expect(isNotebookUnreadable("Error: Parent directory does not exist: /tmp/nope")).toBe(true);
    expect(isPortInUse("Traceback: ImportError")).toBe(false);
  });
});
