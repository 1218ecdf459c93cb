// Per-site tests: the extension, loaded unpacked into Debian Chromium, on fixture pages built
// from the real editor libraries and served under the sites' real hostnames.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  launch, SITES, SHADOW_SITE, openSite, typeDraft, waitBadge, editorText, badge, card, SCREENSHOTS, cardScreenshot,
} from './harness.mjs';
import { VIOLATION, CLEAN, NAMES_EMPLOYER, SCREENSHOT_DRAFT, DEFAULT_BUNDLE, ORG } from './drafts.mjs';

let L;
before(async () => {
  L = await launch();
  await L.serviceWorker();
  mkdirSync(SCREENSHOTS, { recursive: true });
});
after(async () => {
  await L?.close();
});

async function fieldHasFocus(page, site) {
  return page.evaluate((sel) => {
    let a = document.activeElement;
    while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
    const f = document.querySelector(sel);
    return !!a && !!f && (a === f || f.contains(a));
  }, site.field);
}

async function highlighted(page, site, sev) {
  if (site.family === 'textarea') {
    return page.locator(`preflight-check .overlay mark.${sev}`).count().then((n) => n > 0);
  }
  return page.evaluate((name) => CSS.highlights.has(name) && CSS.highlights.get(name).size > 0, `preflight-${sev}`);
}

for (const site of SITES) {
  describe(`${site.id} (${site.family})`, () => {
    test('a draft with a violation shows on the badge and the card', async () => {
      const page = await openSite(L.context, site);
      try {
        await typeDraft(page, site, VIOLATION.text);
        const b = await waitBadge(page, (d) => d.violations >= 1);
        assert.ok(Number(b.violations) >= 1);
        assert.match(b.text, /violation/);
        assert.ok(await fieldHasFocus(page, site), 'the badge must not take focus from the editor');
        assert.ok(await highlighted(page, site, 'violation'), 'the violation span is highlighted');
        // The editor still holds exactly what was typed.
        assert.equal(await editorText(page), VIOLATION.text);
        await badge(page).click();
        await card(page).waitFor({ state: 'visible' });
        const item = page.locator(`preflight-check li.finding[data-rule="${VIOLATION.rule}"]`);
        await item.waitFor();
        assert.match(await item.getAttribute('class'), /violation/);
        assert.ok((await item.locator('.msg').textContent()).length > 0);
        assert.ok((await item.locator('.why').textContent()).length > 0);
        assert.ok(await fieldHasFocus(page, site), 'clicking the badge keeps the editor focused');
        const section = page.locator('preflight-check section[data-element]').first();
        assert.ok((await section.locator('h3').textContent()).length > 0, 'findings grouped under a policy element');
      } finally {
        await page.close();
      }
    });

    test('a clean personal draft is not flagged', async () => {
      const page = await openSite(L.context, site);
      try {
        await typeDraft(page, site, CLEAN);
        const b = await waitBadge(page, () => true);
        assert.equal(Number(b.violations), 0);
        assert.equal(Number(b.warnings), 0);
        assert.doesNotMatch(b.text, /disclaimer/);
        assert.equal(await highlighted(page, site, 'violation'), false);
        assert.equal(await editorText(page), CLEAN);
      } finally {
        await page.close();
      }
    });

    test('"Add disclaimer" lands in the editor model exactly once and undo removes it', async () => {
      const page = await openSite(L.context, site);
      try {
        await typeDraft(page, site, NAMES_EMPLOYER);
        await waitBadge(page, (d) => d.text.includes('disclaimer'));
        const before = await editorText(page);
        assert.equal(before, NAMES_EMPLOYER);
        await badge(page).click();
        const quoted = (await page.locator('preflight-check .disclaimer q').textContent()).trim();
        assert.ok(quoted.length > 5);
        // Editors group edits made close together into one undo step (ProseMirror: 500 ms);
        // a person reads the card before clicking.
        await page.waitForTimeout(700);
        await page.locator('preflight-check [data-action="add-disclaimer"]').click();
        await page.waitForFunction((q) => window.__editorText().includes(q), quoted, { timeout: 5000 });
        const after = await editorText(page);
        assert.ok(after.startsWith(before), `draft unchanged before the disclaimer: ${JSON.stringify(after)}`);
        const added = after.slice(before.length);
        assert.equal(added.trim(), quoted, `only the disclaimer was added: ${JSON.stringify(added)}`);
        assert.match(added, /^\s+\S/, 'separated from the draft');
        assert.equal(after.split(quoted).length - 1, 1, 'inserted exactly once');
        // The UI sees it too: the disclaimer is now present.
        await waitBadge(page, (d) => !d.text.includes('disclaimer'));
        // Undo through the editor's own history (a real key press).
        const field = page.locator(site.field).first();
        await field.focus();
        await page.keyboard.press('Control+z');
        await page.waitForFunction((b) => window.__editorText() === b, before, { timeout: 5000 });
      } finally {
        await page.close();
      }
    });

    test('screenshot of the card', async () => {
      const page = await openSite(L.context, site);
      try {
        await typeDraft(page, site, SCREENSHOT_DRAFT);
        await waitBadge(page, (d) => d.violations >= 1);
        await badge(page).click();
        await card(page).waitFor({ state: 'visible' });
        await page.mouse.move(0, 0);
        await cardScreenshot(page, path.join(SCREENSHOTS, `${site.id}.png`));
      } finally {
        await page.close();
      }
    });
  });
}

describe('keyboard and accessibility', () => {
  test('Alt+Shift+P opens the card with focus inside, Esc closes it and returns focus', async () => {
    const site = SITES.find((s) => s.id === 'x');
    const page = await openSite(L.context, site);
    try {
      await typeDraft(page, site, VIOLATION.text);
      await waitBadge(page, (d) => d.violations >= 1);
      const status = await page.locator('preflight-check [role="status"]').textContent();
      assert.match(status, /violation/);
      await page.keyboard.press('Alt+Shift+P');
      await card(page).waitFor({ state: 'visible' });
      const inCard = await page.evaluate(() => {
        const host = document.querySelector('preflight-check');
        return document.activeElement === host && !!host.shadowRoot.activeElement?.closest('.card');
      });
      assert.ok(inCard, 'focus moved into the card on request');
      await page.keyboard.press('Escape');
      await card(page).waitFor({ state: 'hidden' });
      assert.ok(await fieldHasFocus(page, site));
      assert.equal(await editorText(page), VIOLATION.text);
    } finally {
      await page.close();
    }
  });
});

describe('worker lifecycle', () => {
  test('the worker keeps answering after it is stopped and restarted', async () => {
    const site = SITES.find((s) => s.id === 'facebook');
    await L.serviceWorker();
    // Watch the extension's worker through CDP from one of its own pages.
    const opts = await L.context.newPage();
    await opts.goto(`chrome-extension://${L.extId}/options.html`);
    const cdp = await L.context.newCDPSession(opts);
    const seen = [];
    cdp.on('ServiceWorker.workerVersionUpdated', (e) => {
      for (const v of e.versions) if (v.scriptURL.endsWith('/background.js')) seen.push(v.runningStatus);
    });
    await cdp.send('ServiceWorker.enable');
    const waitFor = async (status) => {
      for (let i = 0; i < 100 && !seen.includes(status); i++) await new Promise((r) => setTimeout(r, 100));
      assert.ok(seen.includes(status), `worker reached ${status}: ${seen}`);
    };
    await waitFor('running');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await waitFor('stopped');
    seen.length = 0;
    const page = await openSite(L.context, site);
    try {
      await typeDraft(page, site, VIOLATION.text);
      await waitBadge(page, (d) => d.violations >= 1);
      await waitFor('running');
    } finally {
      await page.close();
      await opts.close();
    }
  });

  test('options page shows the active bundle', async () => {
    const page = await L.context.newPage();
    try {
      await page.goto(`chrome-extension://${L.extId}/options.html`);
      await page.locator('#bundle dd').first().waitFor();
      const text = await page.locator('#bundle').textContent();
      assert.match(text, /default/);
      assert.equal(await page.locator('#errors .error').count(), 0);
    } finally {
      await page.close();
    }
  });
});

describe('posting account', () => {
  test('the handle X shows is sent as context: an official account from the registry reads as organizational', async () => {
    const official = DEFAULT_BUNDLE.registry.find((r) => r.site === 'x')?.handle;
    assert.ok(official, 'the default bundle lists an official X account');
    const site = { ...SITES.find((s) => s.id === 'x'), url: `https://x.com/compose/post?as=${encodeURIComponent(official)}` };
    const page = await openSite(L.context, site);
    try {
      await typeDraft(page, site, 'New guidance on permit wait times is out today.');
      const b = await waitBadge(page, (d) => d.use === 'organizational');
      assert.equal(b.use, 'organizational');
      await badge(page).click();
      const signals = await page.locator('preflight-check .signals').textContent();
      assert.ok(signals.length > 0, 'the card says why (registry override)');
    } finally {
      await page.close();
    }
  });
});

describe('open shadow roots', () => {
  test('a compose box inside an open shadow root is found, checked and written to', async () => {
    const site = SHADOW_SITE;
    const page = await openSite(L.context, site);
    try {
      await typeDraft(page, site, VIOLATION.text);
      const b = await waitBadge(page, (d) => d.violations >= 1);
      assert.match(b.text, /violation/);
      const focused = await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.tagName);
      assert.equal(focused, 'TEXTAREA', 'focus stays in the shadow-root textarea');
      assert.ok(await page.locator('preflight-check .overlay mark.violation').count() >= 1);
      await page.keyboard.type(` Proud of my team at the ${ORG}.`);
      await waitBadge(page, (d) => d.text.includes('disclaimer'));
      const before = await editorText(page);
      await badge(page).click();
      const quoted = (await page.locator('preflight-check .disclaimer q').textContent()).trim();
      await page.locator('preflight-check [data-action="add-disclaimer"]').click();
      await page.waitForFunction((q) => window.__editorText().includes(q), quoted);
      assert.equal((await editorText(page)).slice(before.length).trim(), quoted);
    } finally {
      await page.close();
    }
  });
});

describe('popup', () => {
  test('shows the status of the tab', async () => {
    const site = SITES.find((s) => s.id === 'x');
    const page = await openSite(L.context, site);
    const popup = await L.context.newPage();
    try {
      await typeDraft(page, site, VIOLATION.text);
      await waitBadge(page, (d) => d.violations >= 1);
      await popup.goto(`chrome-extension://${L.extId}/popup.html`);
      const tabs = await popup.evaluate(() => chrome.tabs.query({ url: 'https://x.com/*' }));
      assert.equal(tabs.length, 1);
      await popup.goto(`chrome-extension://${L.extId}/popup.html?tab=${tabs[0].id}`);
      await popup.locator('#tab', { hasText: 'violation' }).waitFor();
      assert.match(await popup.locator('#tab').textContent(), /^x: 1 field\(s\) \(draft\)\. 1 violation/);
      assert.match(await popup.locator('#bundle').textContent(), /default/);
    } finally {
      await popup.close();
      await page.close();
    }
  });
});

describe('user bundle (options page) and fix buttons', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'preflight-bundle-'));
  const good = structuredClone(DEFAULT_BUNDLE);
  good.metadata = { ...good.metadata, id: 'user-test-bundle', version: '2.0.0' };
  good.rules.push({
    id: 'test.user-marmalade',
    element: 'content',
    severity: 'warning',
    message: 'Mentions the marmalade plan (user bundle test rule).',
    why: 'Test rule from a local bundle.',
    reference: { clause: 'Local test §2' },
    match: { phrases: { terms: ['marmalade plan'] } },
    fix: { label: 'Say "the project"', replace_with: 'the project' },
    examples: { flags: ['The marmalade plan is on'], passes: ['Toast for breakfast'] },
  });
  const bad = structuredClone(good);
  bad.rules[bad.rules.length - 1].element = 'not_an_element';
  writeFileSync(path.join(dir, 'good.json'), JSON.stringify(good));
  writeFileSync(path.join(dir, 'bad.json'), JSON.stringify(bad));
  let opts;

  before(async () => {
    opts = await L.context.newPage();
    await opts.goto(`chrome-extension://${L.extId}/options.html`);
    await opts.locator('#bundle dd').first().waitFor();
  });
  after(async () => {
    await opts?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a valid local bundle is loaded and used', async () => {
    await opts.locator('#file').setInputFiles(path.join(dir, 'good.json'));
    await opts.locator('#user-result', { hasText: 'Loaded' }).waitFor();
    assert.match(await opts.locator('#bundle').textContent(), /user-test-bundle/);
  });

  for (const id of ['x', 'facebook', 'linkedin', 'bluesky', 'mastodon', 'youtube']) {
    test(`${id}: a fix button replaces the span in the editor model; undo restores it`, async () => {
      const site = SITES.find((s) => s.id === id);
      const page = await openSite(L.context, site);
      try {
        const draft = 'Tomorrow we start the marmalade plan 🚀 with everyone.';
        await typeDraft(page, site, draft);
        await waitBadge(page, (d) => d.warnings >= 1);
        await badge(page).click();
        await page.waitForTimeout(700);
        await page.locator('preflight-check li[data-rule="test.user-marmalade"] [data-action="fix"]').click();
        const fixed = 'Tomorrow we start the the project 🚀 with everyone.';
        await page.waitForFunction((t) => window.__editorText() === t, fixed, { timeout: 5000 })
          .catch(async () => assert.equal(await editorText(page), fixed));
        await waitBadge(page, (d) => d.warnings === 0);
        await page.locator(site.field).first().focus();
        await page.keyboard.press('Control+z');
        await page.waitForFunction((t) => window.__editorText() === t, draft, { timeout: 5000 })
          .catch(async () => assert.equal(await editorText(page), draft));
      } finally {
        await page.close();
      }
    });
  }

  test('an invalid local bundle is refused with its problems; clearing returns to the default', async () => {
    await opts.locator('#file').setInputFiles(path.join(dir, 'bad.json'));
    await opts.locator('#user-result', { hasText: 'was not loaded' }).waitFor();
    assert.ok((await opts.locator('#user-result li').count()) >= 1, 'problems listed');
    assert.match(await opts.locator('#bundle').textContent(), /user-test-bundle/, 'the good bundle stays');
    await opts.locator('#clear').click();
    await opts.locator('#bundle dd', { hasText: 'default' }).first().waitFor();
  });
});

describe('chrome://extensions', () => {
  test('Chromium reports no manifest errors, install warnings or runtime errors for the extension', async () => {
    const page = await L.context.newPage();
    try {
      await page.goto(`chrome://extensions/?id=${L.extId}`);
      const info = await page.evaluate((id) => new Promise((resolve) => {
        chrome.developerPrivate.getExtensionInfo(id, (i) => resolve({
          state: i.state, warnings: i.installWarnings, manifestErrors: i.manifestErrors, runtimeErrors: i.runtimeErrors,
        }));
      }), L.extId);
      assert.equal(info.state, 'ENABLED');
      assert.deepEqual(info.warnings, []);
      assert.deepEqual(info.manifestErrors, []);
      assert.deepEqual(info.runtimeErrors, []);
    } finally {
      await page.close();
    }
  });
});

describe('no network', () => {
  test('nothing but fixture pages and extension files was requested', () => {
    // Allowed: the fixture pages themselves, their scripts, the browser's favicon probe,
    // and the extension's own files. Anything else (from the worker, the content script or
    // a page) is a leak.
    const all = [...SITES, SHADOW_SITE];
    const pages = new Set(all.map((s) => s.url.split('?')[0]));
    const fixtureHosts = new Set(all.map((s) => new URL(s.url).host));
    const leaks = L.requests.filter((r) => {
      if (r.url.startsWith(`chrome-extension://${L.extId}/`)) return false;
      if (r.url.startsWith('chrome://') && !r.sw) return false; // the test's own visit to chrome://extensions
      if (pages.has(r.url.split('?')[0])) return false;
      const u = new URL(r.url);
      const fixtureFile = u.pathname.startsWith('/__fixture/') || u.pathname === '/favicon.ico';
      return !(u.protocol === 'https:' && fixtureHosts.has(u.host) && fixtureFile);
    });
    assert.deepEqual(leaks, []);
    assert.deepEqual(L.blocked, []);
  });

  test('the recorder sees the extension worker\'s requests (so the check above can fail)', async () => {
    const before = L.requests.length;
    const status = await L.recorder.evalInWorker(`fetch(chrome.runtime.getURL('managed_schema.json')).then((r) => r.status)`);
    assert.equal(status, 200);
    for (let i = 0; i < 20 && !L.requests.slice(before).some((r) => r.sw && r.url.endsWith('/managed_schema.json')); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(L.requests.slice(before).some((r) => r.sw && r.url.endsWith('/managed_schema.json')), 'worker fetch recorded over CDP');
    // The restarted worker's own start-up (engine load) was recorded too.
    assert.ok(L.requests.some((r) => r.sw && r.url.endsWith('/pkg/preflight_wasm_bg.wasm')), 'engine load recorded');
  });
});
