// A/B of builds of the WebAssembly engine: CPU time per `analyze` call, every build loaded in
// this one Node process and timed in alternation, so a burst of other work on the machine
// lands on every build alike.
//
//   node scripts/ab-wasm.cjs DRAFT.txt DIR [DIR…]
//
// DRAFT.txt: a draft (e.g. from `node scripts/bench-wasm.mjs --drafts-to DIR`). DIR: a Node
// build (holding preflight_wasm.js and preflight_wasm_bg.wasm, as `scripts/build-wasm.sh`
// leaves in target/wasm-node). ROUNDS (default 25) rounds of CALLS (default 3,000) calls per
// build; prints the median and the first quartile of the per-call CPU time of each build.
'use strict';
const { readFileSync } = require('node:fs');
const { resolve, join } = require('node:path');

const [draft, ...dirs] = process.argv.slice(2);
if (!draft || dirs.length === 0) {
  console.error('usage: node scripts/ab-wasm.cjs DRAFT.txt DIR [DIR…]');
  process.exit(2);
}
const rounds = Number(process.env.ROUNDS ?? 25);
const calls = Number(process.env.CALLS ?? 3000);
const text = readFileSync(draft, 'utf8');
// The benchmark's context (scripts/bench-wasm.mjs).
const ctx = JSON.parse(readFileSync(join(__dirname, '..', 'bench', 'context.json'), 'utf8'));
const engines = dirs.map((d) => {
  const m = require(join(resolve(d), 'preflight_wasm.js'));
  m.loadUseModel(readFileSync(join(resolve(d), 'use-model.bin')));
  if (m.loadWordList) m.loadWordList(readFileSync(join(resolve(d), 'words-en.fc')));
  return m.Engine.withDefaultBundle();
});
let sink = 0;
for (const e of engines) for (let i = 0; i < 5000; i++) sink += e.analyze(text, ctx).findings.length;
const times = engines.map(() => []);
for (let r = 0; r < rounds; r++) {
  engines.forEach((e, k) => {
    const c0 = process.cpuUsage();
    for (let i = 0; i < calls; i++) sink += e.analyze(text, ctx).findings.length;
    const c = process.cpuUsage(c0);
    times[k].push((c.user + c.system) / calls);
  });
}
const q = (xs, f) => [...xs].sort((a, b) => a - b)[Math.floor(f * (xs.length - 1))];
dirs.forEach((d, k) => {
  console.log(`${d.padEnd(40)} median ${q(times[k], 0.5).toFixed(2)} µs  p25 ${q(times[k], 0.25).toFixed(2)} µs`);
});
if (sink < 0) console.log(sink);
