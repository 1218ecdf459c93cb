// Times the default bundle against a variant bundle (argv[2]) in the Node build of the WASM engine:
//   node bench/ascii-boundary.mjs variant-bundle.json
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
const require = createRequire(import.meta.url);
const wasm = require(new URL('../target/wasm-node/preflight_wasm.js', import.meta.url).pathname);
const posts = JSON.parse(readFileSync(new URL('./posts.json', import.meta.url), 'utf8'));
const draft = (n) => { const c = []; let i = 0; while (c.length < n) for (const ch of posts[i++ % posts.length].text + ' ') c.push(ch); return c.slice(0, n).join(''); };
const ctx = { site: 'x', account: '@jane_personal', local_time: { weekday: 'wed', hour: 11, minute: 15 } };
for (const [name, e] of [['default', wasm.Engine.withDefaultBundle()], ['ascii-b', new wasm.Engine(readFileSync(process.argv[2], 'utf8'))]]) {
  for (const n of [280, 1000, 5000]) {
    const d = draft(n);
    for (let i = 0; i < 200; i++) e.analyze(d, ctx);
    const ts = [];
    for (let s = 0; s < 31; s++) { const k = n > 1000 ? 5 : 20; const t = performance.now(); for (let i = 0; i < k; i++) e.analyze(d, ctx); ts.push((performance.now() - t) / k); }
    ts.sort((a, b) => a - b);
    console.log(name, n, 'median', (ts[15] * 1000).toFixed(1), 'µs', 'min', (ts[0] * 1000).toFixed(1));
  }
}
