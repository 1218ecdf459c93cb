// The JavaScript surface of the WebAssembly engine: constructors, errors, result shapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { modulePath, wasm } from './wasm.mjs';

const { Engine, defaultBundle, validateBundle, version } = wasm;

test('version names the engine and the bundle format', () => {
  assert.match(version(), /^preflight \d+\.\d+\.\d+ \(bundle format 1\)$/);
});

test('defaultBundle() is the embedded bundle as JSON text', () => {
  const b = JSON.parse(defaultBundle());
  assert.equal(b.format, 1);
  assert.equal(typeof b.metadata.id, 'string');
  assert.ok(Array.isArray(b.rules) && b.rules.length > 0);
});

test('an engine compiles from a JSON string, an object, or the embedded default', () => {
  const json = defaultBundle();
  const fromString = new Engine(json);
  const fromObject = new Engine(JSON.parse(json));
  const builtIn = Engine.withDefaultBundle();
  const id = JSON.parse(json).metadata.id;
  for (const e of [fromString, fromObject, builtIn]) {
    assert.equal(e.metadata().metadata.id, id);
  }
  // Same bundle, same analysis, whichever way it came in.
  const text = 'Chip in $5 to my campaign today 🎉';
  const a = builtIn.analyze(text, { site: 'x' });
  assert.deepEqual(fromString.analyze(text, { site: 'x' }), a);
  assert.deepEqual(fromObject.analyze(text, { site: 'x' }), a);
});

function brokenBundle() {
  const b = JSON.parse(defaultBundle());
  b.format = 2; // unsupported format
  b.rules[0].severity = 'catastrophic'; // not a severity
  return b;
}

test('an invalid bundle string throws an Error naming the path, line and column', () => {
  const json = JSON.stringify(brokenBundle(), null, 2);
  assert.throws(
    () => new Engine(json),
    (e) => {
      assert.ok(e instanceof Error, 'a real Error');
      assert.match(e.message, /invalid rule bundle/);
      assert.match(e.message, /\$\.rules\[0\]\.severity|\$ \(line \d+, column \d+\)/);
      assert.match(e.message, /line \d+, column \d+/);
      return true;
    },
  );
});

test('a syntax error is located by line and column', () => {
  const r = validateBundle('{\n  "format": 1,\n  "metadata": {\n}');
  assert.equal(r.ok, false);
  assert.equal(r.problems.length, 1);
  assert.equal(typeof r.problems[0].line, 'number');
  assert.equal(typeof r.problems[0].column, 'number');
  assert.ok(r.problems[0].line >= 3);
});

test('validateBundle reports every problem with its path', () => {
  assert.deepEqual(validateBundle(defaultBundle()), { ok: true, problems: [] });
  assert.deepEqual(validateBundle(JSON.parse(defaultBundle())), { ok: true, problems: [] });

  // Two problems in a well-typed bundle (a broken regex, an unknown detector): both listed.
  const b = JSON.parse(defaultBundle());
  const base = b.rules[0];
  b.rules = [
    { ...base, id: 'broken-regex', match: { regex: { pattern: 'chip (in' } }, examples: {} },
    { ...base, id: 'no-such-detector', match: { detector: { detector: 'NOPE' } }, examples: {} },
  ];
  const r = validateBundle(b);
  assert.equal(r.ok, false);
  const paths = r.problems.map((p) => p.path);
  assert.ok(paths.includes('$.rules[0].match.regex.pattern'), `paths: ${paths}`);
  assert.ok(paths.includes('$.rules[1].match.detector.detector'), `paths: ${paths}`);
  for (const p of r.problems) {
    assert.deepEqual(Object.keys(p).sort(), ['column', 'line', 'message', 'path']);
    assert.equal(p.line, null, 'object input: no line');
    assert.equal(p.column, null, 'object input: no column');
    assert.ok(p.message.length > 0);
  }
  // The same problems make the constructor throw, each listed in the message.
  assert.throws(() => new Engine(b), (e) => paths.every((p) => e.message.includes(p)));
});

test('the WebAssembly build stems English only: another language fails at metadata.language', () => {
  const b = JSON.parse(defaultBundle());
  b.metadata.language = 'de';
  const r = validateBundle(JSON.stringify(b, null, 2));
  assert.equal(r.ok, false);
  assert.deepEqual(r.problems.map((p) => p.path), ['$.metadata.language']);
  assert.match(r.problems[0].message, /unsupported language "de": .*English only/);
  assert.equal(typeof r.problems[0].line, 'number');
  assert.throws(() => new Engine(b), /\$\.metadata\.language.*English only/);
  b.metadata.language = 'en-US';
  assert.deepEqual(validateBundle(b), { ok: true, problems: [] });
});

test('non-bundle inputs are rejected with a clear message', () => {
  for (const bad of [undefined, null, 42, true]) {
    assert.throws(() => new Engine(bad), /expected a rule bundle as a JSON string or an object/);
    const r = validateBundle(bad);
    assert.equal(r.ok, false);
    assert.equal(r.problems[0].path, '$');
  }
  const cyclic = {};
  cyclic.self = cyclic;
  assert.throws(() => new Engine(cyclic), /cannot be turned into JSON/);
});

test('analyze returns a plain object with spans in UTF-16 code units', () => {
  const e = Engine.withDefaultBundle();
  const text = '👩‍👩‍👧 日本語 — chip in $5 to my campaign';
  const a = e.analyze(text, { site: 'x', account: '@someone', reply: false });
  assert.equal(Object.getPrototypeOf(a), Object.prototype, 'plain object, not a Map');
  for (const key of ['use', 'findings', 'counts', 'disclaimer', 'account_kind', 'length']) {
    assert.ok(key in a, `has ${key}`);
  }
  const f = a.findings.find((x) => x.rule_id === 'hatch-act.solicit-contributions');
  assert.ok(f, 'the solicitation rule fires');
  assert.equal(f.spans.length, 1);
  const { start, end } = f.spans[0];
  assert.equal(text.slice(start, end).toLowerCase(), 'chip in');
  assert.equal(text.slice(start, end), f.matched[0]);
});

test('text alone works: undefined, null or empty context', () => {
  const e = Engine.withDefaultBundle();
  const a = e.analyze('Lovely morning', undefined);
  assert.deepEqual(e.analyze('Lovely morning', null), a);
  assert.deepEqual(e.analyze('Lovely morning', {}), a);
  assert.deepEqual(e.analyze('Lovely morning', '{}'), a);
});

test('context with local time and duty flag is accepted', () => {
  const e = Engine.withDefaultBundle();
  const a = e.analyze('Lovely morning', { site: 'x.com', local_time: { weekday: 'tue', hour: 10, minute: 30 } });
  assert.equal(a.site, 'x');
  assert.equal(a.on_duty, true);
  const b = e.analyze('Lovely morning', { site: 'x', on_duty: false, local_time: { weekday: 'tue', hour: 10, minute: 30 } });
  assert.equal(b.on_duty, false, 'explicit on_duty wins over local_time');
});

test('an invalid context throws an Error saying what is wrong', () => {
  const e = Engine.withDefaultBundle();
  const cases = [
    [{ sitee: 'x' }, /invalid context: .*sitee/],
    [{ reply: 'yes' }, /invalid context/],
    [{ local_time: { weekday: 'someday', hour: 1, minute: 0 } }, /invalid context: .*someday/],
    [{ local_time: { weekday: 'mon', hour: 300, minute: 0 } }, /invalid context/],
    [42, /invalid context: expected an object, got number/],
    ['{not json', /invalid context/],
  ];
  for (const [ctx, re] of cases) {
    assert.throws(() => e.analyze('hello', ctx), (err) => err instanceof Error && re.test(err.message), JSON.stringify(ctx));
  }
});

test('classify returns the use assessment of analyze', () => {
  const e = Engine.withDefaultBundle();
  const text = 'We are proud to announce our new grant program for rural clinics.';
  const ctx = { site: 'x', account: '@DeptOfExamples' };
  assert.deepEqual(e.classify(text, ctx), e.analyze(text, ctx).use);
});

test('metadata gives the extension sites with hosts and limits', () => {
  const m = Engine.withDefaultBundle().metadata();
  const bundle = JSON.parse(defaultBundle());
  assert.equal(m.format, 1);
  assert.deepEqual(m.metadata.id, bundle.metadata.id);
  assert.equal(m.sites.length, bundle.sites.length);
  for (const s of m.sites) {
    assert.ok(Array.isArray(s.hosts) && s.hosts.length > 0);
    assert.ok('char_limit' in s || s.char_limit === undefined);
  }
  assert.deepEqual(m.rules.map((r) => r.id), bundle.rules.map((r) => r.id));
  assert.ok(m.rules.every((r) => typeof r.enabled === 'boolean'));
});

test('the default bundle passes its own examples', () => {
  assert.deepEqual(Engine.withDefaultBundle().testExamples(), []);
});

test('the word list beside the module splits run-together hashtags; a damaged file is refused by name', () => {
  assert.equal(wasm.wordListLoaded(), true);
  const bytes = readFileSync(join(dirname(modulePath), 'words-en.fc'));
  wasm.loadWordList(bytes);
  assert.throws(() => wasm.loadWordList(new Uint8Array([0x41])), /words-en\.fc: invalid model: word list: no word starts at byte 0/);
  const damaged = Uint8Array.from(bytes);
  damaged[5] = 0x41; // an upper-case letter inside the first word
  assert.throws(() => wasm.loadWordList(damaged), /words-en\.fc: .*not a lower-case ASCII letter at byte 5/);
  // The list in force splits a short hashtag (found only when 16 letters or longer without it).
  const ids = wasm.Engine.withDefaultBundle()
    .analyze('Join us #cleanwater', { site: 'x', account: '@DeptPublicSvc' })
    .findings.map((f) => f.rule_id);
  assert.ok(ids.some((id) => /hashtag/.test(id)), ids.join(', '));
});

test('the use model beside the module loads once; a damaged file is refused by name', () => {
  assert.equal(wasm.useModelLoaded(), true);
  const bytes = readFileSync(join(dirname(modulePath), 'use-model.bin'));
  // The same model again is accepted (every engine shares it).
  wasm.loadUseModel(bytes);
  assert.throws(() => wasm.loadUseModel(new Uint8Array([1, 2, 3])), /use-model\.bin: invalid model: (truncated|not a preflight use model)/);
  assert.throws(() => wasm.loadUseModel(bytes.subarray(0, bytes.length - 7)), /use-model\.bin: invalid model: truncated use model at byte \d+/);
  // Analysis goes on with the loaded model.
  const a = wasm.Engine.withDefaultBundle().classify('Happy hour after this, then date night with my wife!', null);
  assert.equal(a.use, 'personal');
});

test('a bundle that extends the default compiles in WebAssembly, its problems located in its own text', () => {
  const agency = {
    extends: `${JSON.parse(defaultBundle()).metadata.id}@1`,
    metadata: { id: 'dcr-node-test', version: '1.0.0', organization: 'Department of Coastal Resilience', aliases: ['DCR'] },
    registry: [{ site: 'x', handle: '@CoastalDCR', unit: 'Office of Communications' }],
    overrides: { 'conduct.profanity': { severity: 'advice' } },
    rules: [{
      id: 'dcr.kestrel', element: 'security', severity: 'warning', message: 'Internal project.', why: 'Not public.',
      reference: { clause: 'DCR 7.2' }, match: { phrases: { terms: ['project kestrel'] } },
      examples: { flags: ['Project Kestrel ships'], passes: ['A calm sea'] },
    }],
  };
  const e = new Engine(JSON.stringify(agency, null, 2));
  const m = e.metadata();
  assert.equal(m.metadata.id, 'dcr-node-test');
  assert.equal(m.metadata.language, 'en', 'language inherited');
  assert.equal(m.registry.length, 1);
  const rules = new Map(m.rules.map((r) => [r.id, r]));
  assert.equal(rules.get('conduct.profanity').severity, 'advice');
  assert.ok(rules.get('dcr.kestrel').examples === 2);
  const a = e.analyze('Project Kestrel goes live Monday', { site: 'x' });
  assert.ok(a.findings.some((f) => f.rule_id === 'dcr.kestrel'));

  const bad = { ...agency, overrides: { 'conduct.no-such-rule': { enabled: false } } };
  const v = validateBundle(JSON.stringify(bad, null, 2));
  assert.equal(v.ok, false);
  assert.equal(v.problems[0].path, '$.overrides["conduct.no-such-rule"]');
  assert.match(v.problems[0].message, /unknown rule id/);
  assert.ok(v.problems[0].line > 1);
  const other = validateBundle(JSON.stringify({ ...agency, extends: 'someone-else@1' }));
  assert.equal(other.problems[0].path, '$.extends');
});
