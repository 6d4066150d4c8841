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
    expect(outputText({ mimetype: "application/json", data: '{"a":1}' })).toBe('{\n  "a": 1\n}');
    expect(outputText({ mimetype: "text/plain", data: "  kept  " })).toBe("  kept  ");
    expect(
      outputText({ mimetype: "application/vnd.marimo+error", data: [{ type: "exception", msg: "name 'x' is not defined" }] }),
    ).toBe("name 'x' is not defined");
    expect(outputText({ mimetype: MIMEBUNDLE, data: { "text/plain": "B", "text/html": "<b>bold</b>" } })).toBe("B");
    expect(outputText({ mimetype: "image/png", data: PNG_URL })).toBe("");
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
