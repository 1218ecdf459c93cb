#!/usr/bin/env node
// Benchmark: preflight's WebAssembly `analyze` against alex (`text`) and harper.js
// (`LocalLinter.lint`), same inputs, same process, each warmed up; plus cold starts, each in a
// fresh Node process.
//
//   scripts/build-wasm.sh && node scripts/bench-wasm.mjs            # print results
//   node scripts/bench-wasm.mjs --write-docs                        # also update docs/BENCHMARKS.md
//   node scripts/bench-wasm.mjs --quick                             # fewer samples (smoke run)
//   node scripts/bench-wasm.mjs --only preflight [--no-cold|--cold-only]   # iterate on one tool
//   node scripts/bench-wasm.mjs --drafts-to DIR                     # write the fixed drafts, stop
//
// `--only TOOL` (preflight, alex or harper; repeatable) times those tools alone; ratios and
// `--write-docs` need all three. `--no-cold` skips the cold starts, `--cold-only` runs only them.
//
// Inputs: drafts of exactly 280, 1,000 and 5,000 characters (code points) cut from
// bench/posts.json, and every post of bench/posts.json (318 drafts written for this repo).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// PREFLIGHT_NODE_PKG=dir/preflight_wasm.js times another build of the Node glue (e.g. a
// variant optimised differently); the default is scripts/build-wasm.sh's output.
const nodePkg = process.env.PREFLIGHT_NODE_PKG ? resolve(process.env.PREFLIGHT_NODE_PKG) : join(root, 'target', 'wasm-node', 'preflight_wasm.js');
// PREFLIGHT_WEB_PKG=dir (holding preflight_wasm.js and preflight_wasm_bg.wasm of the web glue)
// does the same for the web-glue cold start; the default is extension/pkg.
const webPkg = process.env.PREFLIGHT_WEB_PKG ? resolve(process.env.PREFLIGHT_WEB_PKG) : join(root, 'extension', 'pkg');
const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const argv = process.argv.slice(2);
const only = argv.flatMap((a, i) => (a === '--only' && argv[i + 1] ? [argv[i + 1]] : []));
const wants = (tool) => only.length === 0 || only.includes(tool);
const partial = only.length > 0 || args.has('--no-cold') || args.has('--cold-only');
if (partial && args.has('--write-docs')) {
  console.error('--write-docs needs a full run (no --only, --no-cold or --cold-only)');
  process.exit(2);
}
const now = () => performance.now();

/** Install the files the module loads from beside it, as the extension's worker does: the use
 * model and (builds that have `loadWordList`) the hashtag splitter's word list. */
function installSideFiles(mod, dir) {
  mod.loadUseModel(readFileSync(join(dir, 'use-model.bin')));
  if (mod.loadWordList) mod.loadWordList(readFileSync(join(dir, 'words-en.fc')));
}

// ---------------------------------------------------------------- cold-start child mode
if (process.argv[2] === '--cold-child') {
  const which = process.argv[3];
  const out = {};
  const t0 = now();
  if (which === 'preflight') {
    const require = createRequire(import.meta.url);
    const wasm = require(nodePkg); // reads, compiles and instantiates the module
    // ...and the files beside it (the module has neither compiled in).
    installSideFiles(wasm, dirname(nodePkg));
    const t1 = now();
    const c1 = process.cpuUsage();
    const engine = wasm.Engine.withDefaultBundle();
    const t2 = now();
    const cpu = process.cpuUsage(c1);
    engine.analyze('Chip in $5 to my campaign today', { site: 'x' });
    const t3 = now();
    Object.assign(out, { instantiate: t1 - t0, bundle: t2 - t1, ready: t2 - t0, first: t3 - t2, bundleCpu: (cpu.user + cpu.system) / 1000 });
  } else if (which === 'preflight-web') {
    // The extension's path: the web-target glue, compiled from bytes (as a service worker
    // does after fetching the packaged file).
    const pkg = webPkg;
    const bytes = readFileSync(join(pkg, 'preflight_wasm_bg.wasm'));
    const glue = await import(pathToFileURL(join(pkg, 'preflight_wasm.js')).href);
    // The web glue tests `typeof Response` and `typeof Request`: in Node (not in a browser)
    // the first touch of those globals loads undici, ~20 ms that are no part of our start.
    void globalThis.Response;
    void globalThis.Request;
    const t0b = now();
    await glue.default({ module_or_path: bytes });
    installSideFiles(glue, pkg);
    const t1 = now();
    const c1 = process.cpuUsage();
    const engine = glue.Engine.withDefaultBundle();
    const t2 = now();
    const cpu = process.cpuUsage(c1);
    engine.analyze('Chip in $5 to my campaign today', { site: 'x' });
    const t3 = now();
    Object.assign(out, { instantiate: t1 - t0b, bundle: t2 - t1, ready: t2 - t0b, first: t3 - t2, bundleCpu: (cpu.user + cpu.system) / 1000 });
  } else if (which === 'alex') {
    const { text } = await import('alex');
    const t1 = now();
    text('Chip in $5 to my campaign today');
    const t2 = now();
    Object.assign(out, { instantiate: t1 - t0, bundle: 0, ready: t1 - t0, first: t2 - t1 });
  } else if (which === 'harper') {
    const { LocalLinter } = await import('harper.js');
    const { binary } = await import('harper.js/binary');
    const linter = new LocalLinter({ binary });
    await linter.setup();
    const t1 = now();
    await linter.lint('Chip in $5 to my campaign today');
    const t2 = now();
    Object.assign(out, { instantiate: t1 - t0, bundle: 0, ready: t1 - t0, first: t2 - t1 });
  }
  process.stdout.write(JSON.stringify(out));
  process.exit(0);
}

// ---------------------------------------------------------------- helpers
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
let sink = 0; // results feed this so no call can be optimised away

/**
 * Median time of one call (ms) for each case ({fn, isAsync}) of one tool: each is warmed up and
 * gets its k (calls per sample, so a sample lasts ≥ sampleMs); then the samples are taken
 * round-robin, one sample of every case per round. A burst of other work on this shared machine
 * then lands on a few samples of every input rather than on all the samples of one or two.
 */
async function timeAll(cases, { warmupMs = quick ? 100 : 400, sampleMs = 2, samples = quick ? 11 : 31 } = {}) {
  // Calls `fn` for at least `ms` (and three times); the mean time of one call.
  const run = async ({ fn, isAsync }, ms) => {
    let n = 0;
    const w0 = now();
    while (now() - w0 < ms || n < 3) {
      isAsync ? await fn() : fn();
      n++;
    }
    return (now() - w0) / n;
  };
  const ks = [];
  for (const c of cases) {
    // Warm up, then size k from calls made warm (the warm-up's first calls run before the
    // JIT has optimised anything and would make k, and so the samples, too small).
    await run(c, warmupMs);
    ks.push(Math.max(1, Math.ceil(sampleMs / (await run(c, 10 * sampleMs)))));
  }
  const times = cases.map(() => []);
  for (let i = 0; i < samples; i++) {
    for (let c = 0; c < cases.length; c++) {
      const { fn, isAsync } = cases[c];
      const k = ks[c];
      const s = now();
      if (isAsync) for (let j = 0; j < k; j++) await fn();
      else for (let j = 0; j < k; j++) fn();
      times[c].push((now() - s) / k);
    }
  }
  return times.map((t, c) => ({ median: median(t), min: Math.min(...t), p90: pct(t, 90), k: ks[c], samples }));
}

/** Per-post times over the corpus: each post timed in each pass; per-post median, then stats. */
async function timeCorpus(posts, fn, { isAsync = false, passes }) {
  // Warm-up pass.
  for (const p of posts) isAsync ? await fn(p) : fn(p);
  const per = posts.map(() => []);
  let total = [];
  for (let r = 0; r < passes; r++) {
    const p0 = now();
    for (let i = 0; i < posts.length; i++) {
      const s = now();
      isAsync ? await fn(posts[i]) : fn(posts[i]);
      per[i].push(now() - s);
    }
    total.push(now() - p0);
  }
  const medians = per.map(median);
  const ascii = medians.filter((_, i) => /^[\x00-\x7f]*$/.test(posts[i].text));
  const other = medians.filter((_, i) => !/^[\x00-\x7f]*$/.test(posts[i].text));
  return {
    median: median(medians), p95: pct(medians, 95), max: Math.max(...medians), total: median(total),
    asciiMedian: median(ascii), asciiCount: ascii.length, otherMedian: median(other), otherCount: other.length,
  };
}

function draftOf(posts, n) {
  // Concatenate posts (as a long thread would read) and cut at exactly n code points.
  const cps = [];
  let i = 0;
  while (cps.length < n) {
    for (const ch of posts[i % posts.length].text + ' ') cps.push(ch);
    i++;
  }
  return cps.slice(0, n).join('');
}

const fmtUs = (ms) => (ms * 1000 < 10 ? (ms * 1000).toFixed(2) : ms * 1000 < 100 ? (ms * 1000).toFixed(1) : Math.round(ms * 1000).toLocaleString('en-US'));
const fmtMs = (ms) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1));
const fmtX = (x) => (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1)) + '×';

// The fixed-size drafts, as [key, text]: exactly 280, 1,000 and 5,000 code points of the posts,
// and the same lengths cut from the ASCII-only posts (keys `280-ascii`, …).
function fixedDrafts(posts) {
  const asciiPosts = posts.filter((p) => /^[\x00-\x7f]*$/.test(p.text));
  const sizes = [280, 1000, 5000];
  return [...sizes.map((n) => [n, draftOf(posts, n)]), ...sizes.map((n) => [`${n}-ascii`, draftOf(asciiPosts, n)])];
}

// ---------------------------------------------------------------- main
const posts = JSON.parse(readFileSync(join(root, 'bench', 'posts.json'), 'utf8'));
// `--drafts-to DIR`: write the fixed-size drafts as DIR/<key>.txt and stop (for
// scripts/count-instructions.sh, which counts instructions on the same drafts).
const draftsTo = argv.flatMap((a, i) => (a === '--drafts-to' && argv[i + 1] ? [argv[i + 1]] : []))[0];
if (draftsTo) {
  mkdirSync(draftsTo, { recursive: true });
  for (const [key, text] of fixedDrafts(posts)) writeFileSync(join(draftsTo, `${key}.txt`), text);
  process.exit(0);
}
if (!existsSync(nodePkg)) {
  console.error(`${nodePkg} is missing: run scripts/build-wasm.sh first`);
  process.exit(1);
}
const require = createRequire(import.meta.url);
const wasm = require(nodePkg);
installSideFiles(wasm, dirname(nodePkg));
const engine = wasm.Engine.withDefaultBundle();
const tools = {};
if (wants('preflight')) {
  tools.preflight = { fn: (t, ctx) => { const a = engine.analyze(t, ctx ?? null); sink += a.findings.length; }, isAsync: false };
}
if (wants('alex')) {
  const { text: alexText } = await import('alex');
  tools.alex = { fn: (t) => { sink += alexText(t).messages.length; }, isAsync: false };
}
if (wants('harper')) {
  const { LocalLinter } = await import('harper.js');
  const { binary } = await import('harper.js/binary');
  const harper = new LocalLinter({ binary });
  await harper.setup();
  tools.harper = { fn: async (t) => { sink += (await harper.lint(t)).length; }, isAsync: true };
}

const env = {
  date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  node: process.version,
  cpu: `${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}`,
  load: loadavg().map((x) => x.toFixed(2)).join(' '),
  wasm: wasm.version(),
  alex: JSON.parse(readFileSync(join(root, 'node_modules', 'alex', 'package.json'), 'utf8')).version,
  harper: JSON.parse(readFileSync(join(root, 'node_modules', 'harper.js', 'package.json'), 'utf8')).version,
  wasmBytes: readFileSync(join(dirname(nodePkg), 'preflight_wasm_bg.wasm')).length,
};
console.error(`node ${env.node}, ${env.cpu}, load ${env.load}`);

// Fixed-size drafts. The ASCII-only ones isolate the cost of non-ASCII text (Unicode word
// segmentation, NFKC; see docs/BENCHMARKS.md).
// The context of the fixed-size drafts (bench/context.json: also read by scripts/ab-wasm.cjs and
// scripts/count-instructions.sh).
const ctx = JSON.parse(readFileSync(join(root, 'bench', 'context.json'), 'utf8'));
const drafts = {};
const cases = [];
for (const [key, d] of fixedDrafts(posts)) {
  drafts[key] = { text: d, codePoints: [...d].length, utf16: d.length };
  if (args.has('--cold-only')) continue;
  for (const [name, t] of Object.entries(tools)) cases.push({ key, name, fn: () => t.fn(d, ctx), isAsync: t.isAsync });
}
// One tool at a time (alex's garbage must not be collected during our samples, nor ours
// during harper's), its inputs round-robin.
for (const name of Object.keys(tools)) {
  const mine = cases.filter((c) => c.name === name);
  const timed = await timeAll(mine);
  mine.forEach(({ key }, c) => {
    const r = timed[c];
    drafts[key][name] = r;
    console.error(`${String(key).padStart(10)} chars  ${name.padEnd(9)} median ${fmtUs(r.median).padStart(8)} µs  (k=${r.k})`);
  });
}

// Corpus.
const corpus = {};
for (const [name, t] of args.has('--cold-only') ? [] : Object.entries(tools)) {
  const passes = name === 'preflight' ? (quick ? 5 : 21) : quick ? 2 : 5;
  corpus[name] = await timeCorpus(posts, (p) => t.fn(p.text, p.context), { isAsync: t.isAsync, passes });
  console.error(`corpus       ${name.padEnd(9)} median ${fmtUs(corpus[name].median).padStart(8)} µs/post, total ${fmtMs(corpus[name].total)} ms`);
}

// Cold starts, each in a fresh process.
const cold = {};
const coldRuns = (which) => (quick ? 3 : which.startsWith('preflight') ? 21 : 5);
const coldTools = args.has('--no-cold') ? [] : ['preflight', 'preflight-web', 'alex', 'harper'].filter((w) => wants(w.split('-')[0]));
for (const which of coldTools) {
  const runs = [];
  for (let i = 0; i < coldRuns(which); i++) {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--cold-child', which], { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`cold start ${which} failed: ${r.stderr}`);
    runs.push(JSON.parse(r.stdout));
  }
  cold[which] = Object.fromEntries(['instantiate', 'bundle', 'ready', 'first'].map((k) => [k, median(runs.map((x) => x[k]))]));
  // CPU time of all threads during the bundle compile (V8's background compiles included).
  const cpu = which.startsWith('preflight') ? `, bundle CPU ${fmtMs(median(runs.map((x) => x.bundleCpu)))} ms` : '';
  console.error(`cold         ${which.padEnd(13)} ready ${fmtMs(cold[which].ready)} ms (instantiate ${fmtMs(cold[which].instantiate)}, bundle ${fmtMs(cold[which].bundle)}), first call ${fmtMs(cold[which].first)} ms${cpu}`);
}

// ---------------------------------------------------------------- report
if (partial) {
  // Partial runs print their figures above (stderr) and keep them in target/bench-wasm.json.
  mkdirSync(join(root, 'target'), { recursive: true });
  writeFileSync(join(root, 'target', 'bench-wasm.json'), JSON.stringify({ env, drafts: Object.fromEntries(Object.entries(drafts).map(([n, d]) => [n, { ...d, text: undefined }])), corpus, cold, sink }, null, 2));
  process.exit(0);
}
const rows = [];
const minRows = ['| Input | preflight (WASM) | alex | harper.js | alex / preflight | harper / preflight |', '|---|---:|---:|---:|---:|---:|'];
rows.push('| Input | preflight (WASM) | alex | harper.js | alex / preflight | harper / preflight |');
rows.push('|---|---:|---:|---:|---:|---:|');
for (const key of Object.keys(drafts).sort((a, b) => parseInt(a) - parseInt(b) || a.length - b.length)) {
  const d = drafts[key];
  const n = parseInt(key);
  const label = `${n.toLocaleString('en-US')} chars${key.endsWith('ascii') ? ', ASCII only' : ` (${d.utf16.toLocaleString('en-US')} UTF-16 units)`}`;
  rows.push(`| ${label} | ${fmtUs(d.preflight.median)} µs | ${fmtUs(d.alex.median)} µs | ${fmtUs(d.harper.median)} µs | ${fmtX(d.alex.median / d.preflight.median)} | ${fmtX(d.harper.median / d.preflight.median)} |`);
  minRows.push(`| ${label} | ${fmtUs(d.preflight.min)} µs | ${fmtUs(d.alex.min)} µs | ${fmtUs(d.harper.min)} µs | ${fmtX(d.alex.min / d.preflight.min)} | ${fmtX(d.harper.min / d.preflight.min)} |`);
}
rows.push(`| ${posts.length} posts, median per post | ${fmtUs(corpus.preflight.median)} µs | ${fmtUs(corpus.alex.median)} µs | ${fmtUs(corpus.harper.median)} µs | ${fmtX(corpus.alex.median / corpus.preflight.median)} | ${fmtX(corpus.harper.median / corpus.preflight.median)} |`);
rows.push(`| ${corpus.preflight.asciiCount} ASCII-only posts, median | ${fmtUs(corpus.preflight.asciiMedian)} µs | ${fmtUs(corpus.alex.asciiMedian)} µs | ${fmtUs(corpus.harper.asciiMedian)} µs | ${fmtX(corpus.alex.asciiMedian / corpus.preflight.asciiMedian)} | ${fmtX(corpus.harper.asciiMedian / corpus.preflight.asciiMedian)} |`);
rows.push(`| ${corpus.preflight.otherCount} posts with non-ASCII text, median | ${fmtUs(corpus.preflight.otherMedian)} µs | ${fmtUs(corpus.alex.otherMedian)} µs | ${fmtUs(corpus.harper.otherMedian)} µs | ${fmtX(corpus.alex.otherMedian / corpus.preflight.otherMedian)} | ${fmtX(corpus.harper.otherMedian / corpus.preflight.otherMedian)} |`);
rows.push(`| ${posts.length} posts, p95 per post | ${fmtUs(corpus.preflight.p95)} µs | ${fmtUs(corpus.alex.p95)} µs | ${fmtUs(corpus.harper.p95)} µs | ${fmtX(corpus.alex.p95 / corpus.preflight.p95)} | ${fmtX(corpus.harper.p95 / corpus.preflight.p95)} |`);
rows.push(`| ${posts.length} posts, whole corpus | ${fmtMs(corpus.preflight.total)} ms | ${fmtMs(corpus.alex.total)} ms | ${fmtMs(corpus.harper.total)} ms | ${fmtX(corpus.alex.total / corpus.preflight.total)} | ${fmtX(corpus.harper.total / corpus.preflight.total)} |`);

const coldRows = [];
coldRows.push('| Tool | Ready (median) | of which: load + compile + instantiate | of which: compile the bundle | First call after ready |');
coldRows.push('|---|---:|---:|---:|---:|');
const coldName = { preflight: 'preflight (Node glue, sync compile)', 'preflight-web': 'preflight (web glue, as in the extension)', alex: 'alex (import)', harper: 'harper.js (LocalLinter setup)' };
for (const [k, c] of Object.entries(cold)) {
  const isOurs = k.startsWith('preflight');
  coldRows.push(`| ${coldName[k]} | ${fmtMs(c.ready)} ms | ${fmtMs(c.instantiate)} ms | ${isOurs ? fmtMs(c.bundle) + ' ms' : '—'} | ${fmtMs(c.first)} ms |`);
}

const report = [
  `Run ${env.date}: Node ${env.node}, ${env.cpu}, load average ${env.load} (shared machine). ${env.wasm}, alex ${env.alex} (\`text\`), harper.js ${env.harper} (\`LocalLinter\`, full binary).`,
  '',
  '### Warm `analyze` / lint, median of one call',
  '',
  `Each tool warmed up on each input, then ${quick ? 11 : 31} samples of k back-to-back calls (k sized so a sample lasts ≥ 2 ms), taken round-robin over the inputs (one tool at a time) so that a burst of other work on the machine lands on a few samples of each; the corpus rows time every post in ${quick ? '2–5' : '5 (ours: 21)'} passes and take each post's median. Context for preflight: \`${JSON.stringify(ctx)}\` (the corpus uses each post's own context).`,
  '',
  ...rows,
  '',
  'Fastest sample (least disturbed by other work on this shared machine), same run:',
  '',
  ...minRows,
  '',
  `### Cold start (fresh Node process each; median of ${coldRuns('preflight')} runs for preflight, ${coldRuns('alex')} for alex and harper.js)`,
  '',
  ...coldRows,
  '',
].join('\n');

console.log(report);
mkdirSync(join(root, 'target'), { recursive: true });
writeFileSync(join(root, 'target', 'bench-wasm.json'), JSON.stringify({ env, drafts: Object.fromEntries(Object.entries(drafts).map(([n, d]) => [n, { ...d, text: undefined }])), corpus, cold, sink }, null, 2));

if (args.has('--write-docs')) {
  const doc = join(root, 'docs', 'BENCHMARKS.md');
  const begin = '<!-- bench-wasm:begin -->';
  const end = '<!-- bench-wasm:end -->';
  const md = readFileSync(doc, 'utf8');
  const a = md.indexOf(begin);
  const b = md.indexOf(end);
  if (a < 0 || b < a) throw new Error(`${doc} lacks the ${begin} … ${end} markers`);
  writeFileSync(doc, md.slice(0, a + begin.length) + '\n' + report + '\n' + md.slice(b));
  console.error(`updated ${doc}`);
}
