// The worker's engine host (extension/engine-host.js) on the web build of the module: a panic
// inside the engine (a trap) is reported as an error, the instance is replaced, and the next
// call succeeds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './wasm.mjs';

const pkg = join(root, 'extension', 'pkg');
if (!existsSync(join(pkg, 'preflight_wasm.js'))) {
  throw new Error(`${pkg} is missing: run scripts/build-wasm.sh first`);
}
const host = await import('../../extension/engine-host.js');

const DRAFT = 'My SSN is 123-45-6789 and I need you to chip in to my campaign today';
const CONTEXT = { site: 'x', account: '@jane' };

test('a panic is an error, the instance is replaced, and the worker keeps serving', async () => {
  await host.start(readFileSync(join(pkg, 'preflight_wasm_bg.wasm')));
  host.loadUseModel(readFileSync(join(pkg, 'use-model.bin')));
  host.loadWordList(readFileSync(join(pkg, 'words-en.fc')));
  const engine = host.newEngine();
  const before = engine.analyze(DRAFT, CONTEXT);
  assert.ok(before.findings.some((f) => f.rule_id === 'privacy.ssn'), 'SSN found');
  assert.equal(before.use.source, 'classifier', 'use model loaded');

  // A panic traps (the module is built with panic=abort): a RuntimeError, fatal.
  assert.throws(() => host.panicForTests(), (e) => {
    assert.ok(e instanceof WebAssembly.RuntimeError, String(e));
    assert.ok(host.isFatal(e));
    return true;
  });

  // Through guard (as the worker calls the engine): the error is reported and the module
  // instantiated afresh.
  let restarted = 0;
  host.onRestart(() => { restarted += 1; });
  const count = host.restartCount();
  assert.throws(() => host.guard(() => host.panicForTests()), (e) => {
    assert.equal(e.fatal, true);
    assert.equal(e.restarted, true);
    assert.match(e.message, /^the engine failed \(RuntimeError: .*\) and was restarted$/);
    return true;
  });
  assert.equal(restarted, 1);
  assert.equal(host.restartCount(), count + 1);

  // The old instance's engine is disowned (never freed into the new instance)...
  assert.throws(() => engine.analyze(DRAFT, CONTEXT));
  // ...and the next call, on a new engine, succeeds with the same result, use model included.
  const fresh = host.guard(() => host.newEngine());
  assert.deepEqual(host.guard(() => fresh.analyze(DRAFT, CONTEXT)), before);
  // Ordinary errors pass through guard without a restart.
  assert.throws(() => host.guard(() => fresh.analyze(DRAFT, { site: 42 })), (e) => !e.fatal);
  assert.equal(host.restartCount(), count + 1);
});

test('a long draft crosses the boundary in part, and the result says so', async () => {
  await host.start(readFileSync(join(pkg, 'preflight_wasm_bg.wasm')));
  const engine = host.newEngine();
  // Astral emoji (two UTF-16 units each) before an SSN, then filler past the limit.
  const head = '😀😀 My SSN is 123-45-6789. ';
  const text = head + 'The garden looks lovely. '.repeat(3000);
  const a = engine.analyze(text, { site: 'x' });
  const note = a.findings.find((f) => f.rule_id === 'preflight.draft-truncated');
  assert.ok(note, 'truncation note');
  assert.equal(note.severity, 'advice');
  assert.deepEqual(note.spans, []);
  const ssn = a.findings.find((f) => f.rule_id === 'privacy.ssn');
  const [s] = ssn.spans;
  assert.equal(text.slice(s.start, s.end), '123-45-6789');
});
