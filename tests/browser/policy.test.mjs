// Admin policy through Chromium's managed policy files (runs as root, as CI does):
// a pushed bundle with a distinctive rule fires on the fixture page; an invalid push shows
// its errors on the options page while the last good bundle keeps applying.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import path from 'node:path';
import { launch, SITES, openSite, typeDraft, waitBadge, extensionId, isRoot, SCREENSHOTS } from './harness.mjs';
import { DEFAULT_BUNDLE } from './drafts.mjs';

const POLICY_DIR = process.env.CHROMIUM_POLICY_DIR || '/etc/chromium/policies/managed';
const POLICY_FILE = path.join(POLICY_DIR, 'preflight-test.json');
const RULE_ID = 'test.policy-bluefin';
const PHRASE = 'Project Bluefin';

function policyBundle() {
  const b = structuredClone(DEFAULT_BUNDLE);
  b.metadata = { ...b.metadata, id: 'preflight-policy-test', version: '9.9.9' };
  b.rules = [
    ...b.rules,
    {
      id: RULE_ID,
      element: 'security',
      severity: 'warning',
      message: 'Names an internal project (policy test rule).',
      why: 'Internal project names are not public.',
      reference: { clause: 'Test policy §1' },
      match: { phrases: { terms: ['project bluefin'] } },
      examples: { flags: ['Project Bluefin ships soon'], passes: ['A quiet day'] },
    },
  ];
  return b;
}

function writePolicy(values) {
  mkdirSync(POLICY_DIR, { recursive: true });
  const id = extensionId();
  writeFileSync(POLICY_FILE, JSON.stringify({ '3rdparty': { extensions: { [id]: values } } }, null, 2));
}

const skip = !isRoot() ? 'needs root to write Chromium policy files' : false;
let L;

before(async () => {
  if (skip) return;
  writePolicy({ bundle: JSON.stringify(policyBundle()), allowUserBundle: false });
  L = await launch();
  await L.serviceWorker();
});

after(async () => {
  await L?.close();
  if (existsSync(POLICY_FILE)) rmSync(POLICY_FILE);
});

async function optionsStatus(timeoutMs, predicate, screenshot) {
  const page = await L.context.newPage();
  try {
    await page.goto(`chrome-extension://${L.extId}/options.html`);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await page.evaluate(() => chrome.runtime.sendMessage({ type: 'preflight:status' }));
      if (predicate(s)) {
        await page.reload();
        await page.locator('#bundle dd').first().waitFor();
        if (screenshot) {
          mkdirSync(SCREENSHOTS, { recursive: true });
          await page.screenshot({ path: path.join(SCREENSHOTS, screenshot), fullPage: true });
        }
        return { s, page: { bundle: await page.locator('#bundle').textContent(), errors: await page.locator('#errors').textContent(), locked: await page.locator('#locked').textContent(), fileDisabled: await page.locator('#file').isDisabled() } };
      }
      if (Date.now() > deadline) throw new Error(`options status never matched: ${JSON.stringify(s)}`);
      await page.waitForTimeout(500);
    }
  } finally {
    await page.close();
  }
}

async function ruleFires() {
  const site = SITES.find((s) => s.id === 'x');
  const page = await openSite(L.context, site);
  try {
    await typeDraft(page, site, `Can't wait to tell you about ${PHRASE} next week.`);
    await waitBadge(page, (d) => d.warnings >= 1);
    await page.locator('preflight-check .badge').click();
    await page.locator(`preflight-check li.finding[data-rule="${RULE_ID}"]`).waitFor();
    return true;
  } finally {
    await page.close();
  }
}

test('a bundle pushed by policy applies, and the options page shows it as locked', { skip }, async () => {
  // Managed storage settles a few seconds after start.
  const { s, page } = await optionsStatus(30000, (st) => st.source === 'policy', 'options-policy.png');
  assert.equal(s.meta.id, 'preflight-policy-test');
  assert.equal(s.meta.version, '9.9.9');
  assert.match(page.bundle, /policy/);
  assert.match(page.locked, /pushed by policy/);
  assert.ok(page.fileDisabled, 'local bundle loading is locked');
  assert.ok(await ruleFires());
});

test('an invalid pushed bundle shows its errors and the last good bundle still applies', { skip }, async () => {
  const bad = policyBundle();
  bad.rules[bad.rules.length - 1].severity = 'catastrophic';
  writePolicy({ bundle: JSON.stringify(bad), allowUserBundle: false });
  // Chromium watches the policy directory and reloads after a short settle delay.
  const { s, page } = await optionsStatus(60000, (st) => st.errors?.length > 0, 'options-policy-error.png');
  assert.equal(s.errors[0].source, 'policy');
  assert.match(s.source, /last good/);
  assert.match(page.errors, /invalid/);
  assert.ok(page.errors.length > 40, `problems listed: ${page.errors}`);
  assert.ok(await ruleFires(), 'last good policy bundle still applies');
});

test('a bundle that is not JSON is reported too', { skip }, async () => {
  writePolicy({ bundle: '{"format": 1, "metadata": ', allowUserBundle: false });
  const { s } = await optionsStatus(60000, (st) => st.errors?.some((e) => /JSON/.test(JSON.stringify(e.problems))));
  assert.match(s.source, /last good/);
  assert.ok(await ruleFires());
});

test('removing the policy returns to the default bundle, live on an open compose box', { skip }, async () => {
  const site = SITES.find((x) => x.id === 'x');
  const page = await openSite(L.context, site);
  try {
    await typeDraft(page, site, `Can't wait to tell you about ${PHRASE} next week.`);
    await waitBadge(page, (d) => d.warnings >= 1);
    rmSync(POLICY_FILE);
    const { s } = await optionsStatus(60000, (st) => st.source === 'default');
    assert.equal(s.errors.length, 0);
    // No typing: the worker tells open tabs that the bundle changed and they re-check.
    await waitBadge(page, (d) => d.warnings === 0, 15000);
  } finally {
    await page.close();
  }
});
