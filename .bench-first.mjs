// usage: node first.mjs <index|agent> <url>
const [which, url] = process.argv.slice(2);
const t0 = performance.now();
const Agent = which === "index" ? (await import("undici")).Agent : (await import("undici/lib/dispatcher/agent.js")).default;
const t1 = performance.now();
const res = await fetch(url, { dispatcher: new Agent({ bodyTimeout: 0, headersTimeout: 0 }) });
await res.text();
const t2 = performance.now();
console.log(JSON.stringify({ which, importMs: t1 - t0, firstRequestMs: t2 - t0 }));
process.exit(0);
