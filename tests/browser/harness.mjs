// Shared setup for the browser tests: builds the fixture pages from the real editor libraries
// (esbuild, at test time), launches Debian Chromium with the built extension, serves fixtures
// under the sites' real hostnames through Playwright routing, blocks everything else, and
// records every request so tests can assert that nothing leaves.
import { chromium } from 'playwright-core';
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '../..');
export const EXT_DIR = process.env.PREFLIGHT_EXT_DIR || path.join(ROOT, 'dist/chrome');
export const FIXTURES = path.join(HERE, 'fixtures');
const BUILD = path.join(HERE, '.build');
export const SCREENSHOTS = path.join(ROOT, 'docs/screenshots');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** Chrome extension id from the manifest's public key. */
export function extensionId(dir = EXT_DIR) {
  const m = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  const hex = createHash('sha256').update(Buffer.from(m.key, 'base64')).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

/** Every site: real host, a path, the fixture page and the compose field selector. */
export const SITES = [
  { id: 'x', url: 'https://x.com/compose/post', page: 'x.html', field: '[data-testid="tweetTextarea_0"]', family: 'draft' },
  { id: 'facebook', url: 'https://www.facebook.com/', page: 'facebook.html', field: '[data-lexical-editor="true"]', family: 'lexical' },
  { id: 'threads', url: 'https://www.threads.net/', page: 'threads.html', field: '[data-lexical-editor="true"]', family: 'lexical' },
  { id: 'instagram', url: 'https://www.instagram.com/create/', page: 'instagram.html', field: '[data-lexical-editor="true"]', family: 'lexical' },
  { id: 'linkedin', url: 'https://www.linkedin.com/feed/', page: 'linkedin.html', field: '.ql-editor', family: 'quill' },
  { id: 'bluesky', url: 'https://bsky.app/', page: 'bluesky.html', field: '.ProseMirror', family: 'prosemirror' },
  { id: 'mastodon', url: 'https://mastodon.social/home', page: 'mastodon.html', field: 'textarea', family: 'textarea' },
  { id: 'reddit', url: 'https://www.reddit.com/submit', page: 'reddit.html', field: 'shreddit-composer [data-lexical-editor="true"]', family: 'lexical' },
  { id: 'oldreddit', url: 'https://old.reddit.com/submit', page: 'oldreddit.html', field: 'textarea', family: 'textarea' },
  { id: 'youtube', url: 'https://www.youtube.com/watch?v=fixture', page: 'youtube.html', field: '#contenteditable-root', family: 'plain' },
];

/** Extra fixture: a comment box inside an open shadow root (Playwright's CSS pierces it). */
export const SHADOW_SITE = { id: 'shadow', url: 'https://new.reddit.com/r/example/comments/1/', page: 'shadow.html', field: 'comment-composer-host textarea', family: 'textarea' };

const ENTRIES = ['draft', 'lexical', 'quill', 'prosemirror', 'plain'];
let built = null;
export async function buildFixtures() {
  if (built) return built;
  mkdirSync(BUILD, { recursive: true });
  await esbuild.build({
    entryPoints: Object.fromEntries(ENTRIES.map((e) => [e, path.join(FIXTURES, `${e}.entry.js`)])),
    outdir: BUILD,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome110',
    define: { 'process.env.NODE_ENV': '"production"', global: 'window' },
    logLevel: 'error',
  });
  built = BUILD;
  return built;
}

function fixtureFor(url) {
  const u = new URL(url);
  if (u.pathname.startsWith('/__fixture/')) {
    const name = path.basename(u.pathname);
    // The pages' shared stylesheet lives beside them; the editor bundles are built.
    if (name.endsWith('.css')) {
      const css = path.join(FIXTURES, name);
      return existsSync(css) ? { body: readFileSync(css), contentType: 'text/css' } : null;
    }
    const file = path.join(BUILD, name);
    if (existsSync(file)) return { body: readFileSync(file), contentType: 'application/javascript' };
    return null;
  }
  const site = [...SITES, SHADOW_SITE].find((s) => new URL(s.url).host === u.host);
  if (!site) return null;
  if (u.pathname === '/favicon.ico') return { body: '', contentType: 'image/x-icon', status: 404 };
  return { body: readFileSync(path.join(FIXTURES, site.page)), contentType: 'text/html; charset=utf-8' };
}

/**
 * Launch Chromium, with the extension unless `extension: false`. Returns
 * { context, requests, blocked, close, extId, serviceWorker() }.
 */
export async function launch({ extension = true } = {}) {
  await buildFixtures();
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'preflight-chromium-'));
  const args = [
    '--headless=new',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-features=DisableLoadExtensionCommandLineSwitch',
    // Nothing may reach the network: unrouted hosts do not resolve.
    '--host-resolver-rules=MAP * ~NOTFOUND',
  ];
  if (extension) args.push(`--disable-extensions-except=${EXT_DIR}`, `--load-extension=${EXT_DIR}`);
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: false,
    args,
    ignoreDefaultArgs: ['--disable-extensions', '--headless'],
    viewport: { width: 1100, height: 820 },
    colorScheme: 'light',
  });
  const requests = []; // every request any page or worker made
  const blocked = [];
  context.on('request', (r) => requests.push({ url: r.url(), sw: !!r.serviceWorker?.(), frame: safeFrameUrl(r) }));
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith('chrome-extension://')) return route.continue();
    const f = fixtureFor(url);
    if (f) return route.fulfill({ status: f.status ?? 200, body: f.body, contentType: f.contentType });
    blocked.push(url);
    return route.abort('blockedbyclient');
  });
  const extId = extension ? extensionId() : null;
  const recorder = extension ? await startWorkerRecorder(context, extId, requests) : null;
  async function serviceWorker() {
    let sw = context.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${extId}/`));
    if (!sw) sw = await context.waitForEvent('serviceworker', { predicate: (w) => w.url().startsWith(`chrome-extension://${extId}/`), timeout: 15000 });
    return sw;
  }
  async function close() {
    await context.close().catch(() => {});
    rmSync(userDataDir, { recursive: true, force: true });
  }
  return { context, requests, blocked, close, extId, serviceWorker, recorder };
}

/**
 * Record the extension worker's network over CDP. Playwright reports page requests (content
 * scripts included) but not reliably those of an extension service worker, nor those of a
 * worker restarted by the browser; so a CDP session from a blank page discovers every worker
 * target of the extension (including restarts), attaches to it and enables the Network domain.
 */
async function startWorkerRecorder(context, extId, requests) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const sessions = new Map(); // targetId -> sessionId
  const pending = new Map(); // message id -> resolve
  let msgId = 0;
  const sendTo = (sessionId, method, params = {}) => new Promise((resolve) => {
    const id = ++msgId;
    pending.set(id, resolve);
    cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(() => resolve(null));
  });
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    let m;
    try {
      m = JSON.parse(e.message);
    } catch (_) {
      return;
    }
    if (m.id && pending.has(m.id)) {
      pending.get(m.id)(m);
      pending.delete(m.id);
    } else if (m.method === 'Network.requestWillBeSent') {
      requests.push({ url: m.params.request.url, sw: true, via: 'cdp' });
    }
  });
  const isOurs = (t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${extId}/`);
  async function attach(t) {
    if (!isOurs(t) || sessions.has(t.targetId)) return;
    sessions.set(t.targetId, null);
    try {
      const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: t.targetId, flatten: false });
      sessions.set(t.targetId, sessionId);
      await sendTo(sessionId, 'Network.enable');
    } catch (_) {
      sessions.delete(t.targetId);
    }
  }
  cdp.on('Target.targetCreated', (e) => attach(e.targetInfo));
  cdp.on('Target.targetInfoChanged', (e) => attach(e.targetInfo));
  cdp.on('Target.targetDestroyed', (e) => sessions.delete(e.targetId));
  cdp.on('Target.detachedFromTarget', (e) => {
    for (const [k, v] of sessions) if (v === e.sessionId) sessions.delete(k);
  });
  await cdp.send('Target.setDiscoverTargets', { discover: true });
  for (const t of (await cdp.send('Target.getTargets')).targetInfos) await attach(t);
  return {
    /** Evaluate an expression in the extension's running worker (awaits promises). */
    async evalInWorker(expression) {
      for (let i = 0; i < 50; i++) {
        const sid = [...sessions.values()].find(Boolean);
        if (sid) {
          const r = await sendTo(sid, 'Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
          return r?.result?.result?.value;
        }
        await new Promise((res) => setTimeout(res, 100));
      }
      throw new Error('no extension worker attached');
    },
    attachedCount: () => [...sessions.values()].filter(Boolean).length,
  };
}

function safeFrameUrl(r) {
  try {
    return r.frame()?.url() ?? null;
  } catch (_) {
    return null;
  }
}

/** Open a site's fixture page and wait for its editor. */
export async function openSite(context, site) {
  const page = await context.newPage();
  await page.goto(site.url);
  await page.waitForFunction(() => window.__editorReady && window.__editorReady());
  await page.locator(site.field).first().waitFor();
  return page;
}

/** Type a draft into the field like a user (Enter for newlines). */
export async function typeDraft(page, site, text) {
  const field = page.locator(site.field).first();
  await field.click();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (i > 0) await page.keyboard.press('Enter');
    if (lines[i]) await page.keyboard.type(lines[i]);
  }
}

export function badge(page) {
  return page.locator('preflight-check .badge').first();
}

export function card(page) {
  return page.locator('preflight-check .card').first();
}

/** Wait until the badge reflects an analysis of the current text (badge visible). */
export async function waitBadge(page, predicate, timeout = 10000) {
  await page.waitForFunction(
    (pred) => {
      const host = document.querySelector('preflight-check');
      const b = host?.shadowRoot?.querySelector('.badge');
      if (!b || host.shadowRoot.querySelector('.wrap').style.display === 'none') return false;
      const d = { use: b.dataset.use, violations: +b.dataset.violations, warnings: +b.dataset.warnings, advice: +b.dataset.advice, text: b.textContent };
      return new Function('d', `return (${pred})(d)`)(d);
    },
    predicate.toString(),
    { timeout },
  );
  return badge(page).evaluate((b) => ({ ...b.dataset, text: b.textContent }));
}

export async function editorText(page) {
  return page.evaluate(() => window.__editorText());
}

export const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Screenshot of the compose area and the open card (cropped, 2x for legibility). */
export async function cardScreenshot(page, file) {
  const box = await page.evaluate(() => {
    const rects = [document.querySelector('.shell')?.getBoundingClientRect()];
    const host = document.querySelector('preflight-check');
    const c = host?.shadowRoot?.querySelector('.card:not([hidden])') || host?.shadowRoot?.querySelector('.badge');
    if (c) rects.push(c.getBoundingClientRect());
    const r = rects.filter(Boolean);
    const x = Math.min(...r.map((a) => a.left)) - 16;
    const y = Math.min(...r.map((a) => a.top)) - 16;
    const w = Math.max(...r.map((a) => a.right)) + 16 - x;
    const h = Math.max(...r.map((a) => a.bottom)) + 16 - y;
    return { x: Math.max(0, x), y: Math.max(0, y), width: w, height: h };
  });
  await page.screenshot({ path: file, clip: box });
}
