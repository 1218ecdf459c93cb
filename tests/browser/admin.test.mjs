// Signed bundles in real Chromium, pushed with the Linux policy file that
// `preflight policy export` writes: a signed extending bundle applies; one byte changed is
// refused with the last good bundle in force and the reason on the options page; an older
// version is refused; a bundle signed by the second pinned key applies too (key rotation).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync, existsSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launch, isRoot, ROOT, SCREENSHOTS } from './harness.mjs';

const POLICY_DIR = process.env.CHROMIUM_POLICY_DIR || '/etc/chromium/policies/managed';
const POLICY_FILE = path.join(POLICY_DIR, 'preflight-admin-test.json');
const CLI = path.join(ROOT, 'target/debug/preflight');
const RULE_ID = 'dcr.project-kestrel';
const DRAFT = 'Project Kestrel goes live next week, stay tuned.';

const skip = !isRoot() ? 'needs root to write Chromium policy files' : false;
let L;
let dir;

function cli(...args) {
  return execFileSync(CLI, args, { cwd: dir, encoding: 'utf8' });
}

/** An extending bundle of the fictional agency at `version`, signed with `key`. */
function signed(version, key) {
  const bundle = {
    extends: 'us-federal-default@1',
    metadata: { id: 'dcr-admin-test', version, organization: 'Department of Coastal Resilience', aliases: ['DCR'] },
    registry: [{ site: 'x', handle: '@CoastalDCR', unit: 'Office of Communications' }],
    rules: [{
      id: RULE_ID, element: 'security', severity: 'warning',
      message: 'Names an internal project.', why: 'Project names are not public.',
      reference: { clause: 'DCR directive 7.2' },
      match: { phrases: { terms: ['project kestrel'] } },
      examples: { flags: ['Project Kestrel ships soon'], passes: ['A quiet day at the coast'] },
    }],
  };
  const file = `bundle-${version}-${key}.json`;
  writeFileSync(path.join(dir, file), JSON.stringify(bundle, null, 2) + '\n');
  cli('bundle', 'sign', file, '--key', `${key}.key`, '--out', `${file}.signed`);
  return `${file}.signed`;
}

/** Export with both keys pinned and install the Linux policy file; returns its values. */
function push(signedFile) {
  const out = `out-${signedFile}`;
  cli('policy', 'export', '--bundle', signedFile, '--key', 'a.pub', '--key', 'b.pub', '--out', out);
  mkdirSync(POLICY_DIR, { recursive: true });
  copyFileSync(path.join(dir, out, 'linux/chromium/preflight.json'), POLICY_FILE);
  return JSON.parse(readFileSync(POLICY_FILE, 'utf8'));
}

before(async () => {
  if (skip) return;
  execFileSync('cargo', ['build', '-q', '-p', 'preflight-cli'], { cwd: ROOT, stdio: 'inherit' });
  dir = mkdtempSync(path.join(tmpdir(), 'preflight-admin-'));
  cli('bundle', 'keygen', '--out', 'a');
  cli('bundle', 'keygen', '--out', 'b');
  push(signed('1.1.0', 'a'));
  L = await launch();
  await L.serviceWorker();
});

after(async () => {
  await L?.close();
  if (existsSync(POLICY_FILE)) rmSync(POLICY_FILE);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Wait until the worker's status matches, then read the options page. */
async function options(predicate, screenshot, timeoutMs = 60000) {
  const page = await L.context.newPage();
  try {
    await page.goto(`chrome-extension://${L.extId}/options.html`);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await page.evaluate(() => chrome.runtime.sendMessage({ type: 'preflight:status' }));
      if (predicate(s)) {
        await page.reload();
        await page.locator('#bundle dd').first().waitFor();
        await page.locator('#draft').fill(DRAFT);
        await page.locator('#try').click();
        await page.locator('#draft-result p').waitFor();
        if (screenshot) {
          mkdirSync(SCREENSHOTS, { recursive: true });
          await page.screenshot({ path: path.join(SCREENSHOTS, screenshot), fullPage: true });
        }
        return {
          s,
          bundle: await page.locator('#bundle').textContent(),
          errors: await page.locator('#errors').textContent(),
          reasons: await page.locator('#errors .error').evaluateAll((es) => es.map((e) => e.dataset.reason)),
          coverage: await page.locator('#coverage tbody tr').count(),
          fires: await page.locator(`#draft-result li[data-rule="${RULE_ID}"]`).count() > 0,
        };
      }
      if (Date.now() > deadline) throw new Error(`status never matched: ${JSON.stringify(s)}`);
      await page.waitForTimeout(500);
    }
  } finally {
    await page.close();
  }
}

test('a signed extending bundle from the exported Linux policy applies', { skip }, async () => {
  const o = await options((s) => s.source === 'policy' && s.meta.version === '1.1.0', 'options-admin.png');
  assert.equal(o.s.signature.state, 'verified');
  assert.equal(o.s.signature.key, readFileSync(path.join(dir, 'a.pub'), 'utf8').trim());
  assert.equal(o.s.pinnedKeys, 2);
  assert.match(o.bundle, /verified/);
  assert.equal(o.coverage, 8, 'a coverage row per element');
  assert.ok(o.fires, 'the agency rule fires in "try a draft"');
});

test('one byte changed: refused, the reason shown, the last good bundle in force', { skip }, async () => {
  const values = push(signed('1.2.0', 'a'));
  const ext = Object.values(values['3rdparty'].extensions)[0];
  const env = JSON.parse(ext.bundle);
  env.bundle = env.bundle.replace('1.2.0', '1.2.1'); // one byte
  ext.bundle = JSON.stringify(env);
  writeFileSync(POLICY_FILE, JSON.stringify(values, null, 2));
  const o = await options((s) => s.errors?.length > 0, 'options-admin-refused.png');
  assert.equal(o.s.source, 'last good (policy)');
  assert.equal(o.s.meta.version, '1.1.0');
  assert.deepEqual(o.reasons, ['signature']);
  assert.match(o.errors, /refused \(signature\)/);
  assert.match(o.errors, /does not match the bundle/);
  assert.ok(o.fires, 'the last good bundle still applies');
});

test('an older version is refused', { skip }, async () => {
  push(signed('1.0.0', 'a'));
  const o = await options((s) => s.errors?.some((e) => e.reason === 'downgrade'));
  assert.equal(o.s.meta.version, '1.1.0');
  assert.match(o.errors, /1\.0\.0 is lower than 1\.1\.0/);
  assert.ok(o.fires);
});

test('the second pinned key works too', { skip }, async () => {
  push(signed('1.3.0', 'b'));
  const o = await options((s) => s.source === 'policy' && s.meta.version === '1.3.0');
  assert.equal(o.s.errors.length, 0);
  assert.equal(o.s.signature.state, 'verified');
  assert.equal(o.s.signature.key, readFileSync(path.join(dir, 'b.pub'), 'utf8').trim());
  assert.ok(o.fires);
});
