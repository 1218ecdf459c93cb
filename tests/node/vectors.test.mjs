// Shared test vectors (tests/vectors/*.json) through the WebAssembly engine. The Rust test
// crates/preflight-core/tests/vectors.rs runs the same files natively; both must agree exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { wasm, vectorFiles, root } from './wasm.mjs';

/** The part of an analysis the vectors pin down (same projection as the Rust test). */
export function project(a) {
  const d = a.disclaimer;
  return {
    use: a.use.use,
    use_source: a.use.source,
    findings: a.findings.map((f) => ({
      rule_id: f.rule_id,
      severity: f.severity,
      spans: f.spans.map((s) => [s.start, s.end]),
      matched: f.matched,
    })),
    length: a.length,
    disclaimer: {
      needed: d.needed,
      present: d.present,
      present_span: d.present_span ? [d.present_span.start, d.present_span.end] : null,
      suggestion: d.suggestion ? { id: d.suggestion.id, variant: d.suggestion.variant } : null,
    },
  };
}

const files = vectorFiles();

test('there are vectors', () => {
  assert.ok(files.length > 0);
  assert.ok(files.reduce((n, f) => n + f.cases.length, 0) >= 20);
});

for (const vf of files) {
  // "default" is the embedded bundle; anything else a bundle file relative to tests/vectors/.
  const engine =
    vf.bundle === 'default'
      ? wasm.Engine.withDefaultBundle()
      : new wasm.Engine(readFileSync(join(root, 'tests', 'vectors', vf.bundle), 'utf8'));
  for (const c of vf.cases) {
    test(`${vf.file}: ${c.name}`, () => {
      const a = engine.analyze(c.text, c.context ?? null);
      const got = project(a);
      assert.deepEqual(got, c.expect);
      // Every span means the same text in JavaScript as in the core's `matched`.
      for (const f of a.findings) {
        f.spans.forEach((s, i) => assert.equal(c.text.slice(s.start, s.end), f.matched[i], `${f.rule_id} span ${i}`));
      }
      if (a.disclaimer.present_span) {
        const s = a.disclaimer.present_span;
        assert.ok(s.end <= c.text.length && s.start < s.end);
      }
    });
  }
}
