// Preflight background service worker (Chrome: module service worker; Firefox: module
// background script). Hosts the WASM engine, loads and validates the rule bundle, answers
// analyze requests from content scripts. Makes no network requests: the only fetch is the
// extension's own files (the .wasm module, the use model and the word list beside it).
import {
  guard, loadUseModel, loadWordList, newEngine, onRestart, start as startEngine, validateBundle,
  version as engineVersion,
} from './engine-host.js';

const api = globalThis.browser ?? globalThis.chrome;

// chrome.storage.managed.get() can read empty for ~3 s after browser start and a call made
// in that window can stay pending forever: race it against this timeout.
const MANAGED_TIMEOUT_MS = 1500;
// If managed storage reads empty but we had a policy before, re-check after this delay
// before believing the policy was removed.
const MANAGED_RECHECK_MS = 4000;

const DEFAULT_SETTINGS = { enabled: true, showAdvice: true };

// Longest draft passed to the engine, in UTF-16 units: the engine checks the first 65,536
// characters and says so; two units per character and one more character than that keep
// its note when a longer draft is cut here, without copying megabytes into the module.
const MAX_TEXT_UNITS = 2 * 65536 + 2;

let wasmReady = null; // Promise<void>
let state = null; // { engine, source, meta, errors, managed, settings, loadedAt }
let loading = null; // Promise<state>
const tabStatus = new Map(); // tabId -> last report from the content script

// A panic or a trap replaced the engine's instance (engine-host.js): the engines compiled on
// the old one are gone, so the next request loads the bundle again.
onRestart(() => {
  state = null;
  loading = null;
});

function withTimeout(promise, ms) {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve({ timedOut: true }), ms);
    Promise.resolve(promise).then(
      (value) => { clearTimeout(t); resolve({ value }); },
      (error) => { clearTimeout(t); resolve({ error }); },
    );
  });
}

function ensureWasm() {
  if (!wasmReady) {
    wasmReady = startEngine(api.runtime.getURL('pkg/preflight_wasm_bg.wasm'))
      .then(loadModel)
      .catch((e) => {
        wasmReady = null;
        throw e;
      });
  }
  return wasmReady;
}

// The use classifier's model and the hashtag splitter's word list ship beside the module
// (pkg/use-model.bin, pkg/words-en.fc), fetched side by side. Without the model the rules still
// run and the use reads "unknown"; without the word list run-together hashtags are found only
// when long: a missing or damaged file never stops checking.
async function loadModel() {
  const file = async (name, install, without) => {
    try {
      const res = await fetch(api.runtime.getURL(`pkg/${name}`));
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      install(new Uint8Array(await res.arrayBuffer()));
    } catch (e) {
      console.error(`preflight: ${name} not loaded; ${without}`, e);
    }
  };
  await Promise.all([
    file('use-model.bin', loadUseModel, 'the use reads unknown'),
    file('words-en.fc', loadWordList, 'only long run-together hashtags are found'),
  ]);
}

function isEmpty(obj) {
  return !obj || Object.keys(obj).length === 0;
}

/** Read managed storage without hanging; fall back to the cached copy. */
async function readManaged() {
  const { managedCache } = await api.storage.local.get('managedCache');
  if (!api.storage.managed) return { values: managedCache ?? {}, from: 'cache' };
  const r = await withTimeout(api.storage.managed.get(null), MANAGED_TIMEOUT_MS);
  if (r.timedOut) {
    scheduleRecheck();
    return { values: managedCache ?? {}, from: 'cache (managed storage timed out)' };
  }
  if (r.error) {
    // Firefox throws when no policy is set for the extension.
    return { values: {}, from: 'none' };
  }
  const values = r.value ?? {};
  if (isEmpty(values) && !isEmpty(managedCache)) {
    // Possibly the startup window where managed storage reads empty: keep the cached
    // policy for now and re-check shortly.
    if (!recheckDone) {
      scheduleRecheck();
      return { values: managedCache, from: 'cache (managed storage empty at startup)' };
    }
  }
  await api.storage.local.set({ managedCache: values });
  return { values, from: 'policy' };
}

let recheckTimer = null;
let recheckDone = false;
function scheduleRecheck() {
  if (recheckTimer) return;
  recheckTimer = setTimeout(() => {
    recheckTimer = null;
    recheckDone = true;
    reload('recheck');
  }, MANAGED_RECHECK_MS);
}

/**
 * Check that a raw policy/user value can be a bundle. Strings stay strings (the engine then
 * reports problems with line and column); objects are accepted as they are (Firefox policies).
 */
function parseBundle(raw) {
  if (raw == null || raw === '') return { error: 'empty' };
  if (typeof raw === 'object') return { bundle: raw };
  if (typeof raw !== 'string') return { error: `bundle must be a JSON string or object, got ${typeof raw}` };
  try {
    JSON.parse(raw);
  } catch (e) {
    return { error: `bundle is not valid JSON: ${e.message}` };
  }
  return { bundle: raw };
}

/** Pinned public keys from the policy (`bundleKeys`: base64 Ed25519 keys). */
function pinnedKeys(mv) {
  const k = mv.bundleKeys;
  const list = Array.isArray(k) ? k : typeof k === 'string' && k ? [k] : [];
  return list.map((x) => String(x).trim()).filter(Boolean);
}

function fromBase64(b64) {
  const bin = atob(String(b64).trim());
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/**
 * A signed bundle (`{"preflight_signed": 1, "bundle", "key", "signature"}`, docs/BUNDLE.md
 * "Signed bundles") is verified here with WebCrypto Ed25519 over the UTF-8 bytes of `bundle`.
 * Returns { bundle, signature: {state, key} } or { error, signature }. With keys pinned, an
 * unsigned bundle or a key that is not pinned is refused.
 */
async function checkSignature(bundle, keys) {
  let env = null;
  try {
    const v = typeof bundle === 'string' ? JSON.parse(bundle) : bundle;
    if (v && typeof v === 'object' && 'preflight_signed' in v) env = v;
  } catch (_) { /* parseBundle reported it */ }
  if (!env) {
    if (keys.length) return { error: 'the bundle is not signed, and your administrator accepts only bundles signed by a pinned key', signature: { state: 'unsigned' } };
    return { bundle, signature: { state: 'unsigned' } };
  }
  const key = String(env.key ?? '');
  const bad = (why) => ({ error: why, signature: { state: 'refused', key } });
  if (env.preflight_signed !== 1 || typeof env.bundle !== 'string' || typeof env.signature !== 'string') {
    return bad('not a signed bundle: expected preflight_signed 1, bundle (a string), key and signature');
  }
  if (keys.length && !keys.includes(key)) return bad(`signed by key ${key}, which is not pinned`);
  let ok = false;
  try {
    const k = await crypto.subtle.importKey('raw', fromBase64(key), { name: 'Ed25519' }, false, ['verify']);
    ok = await crypto.subtle.verify({ name: 'Ed25519' }, k, fromBase64(env.signature), new TextEncoder().encode(env.bundle));
  } catch (e) {
    return bad(`the signature cannot be checked: ${e?.message ?? e}`);
  }
  if (!ok) return bad('the signature does not match the bundle (it was changed after signing, or signed by another key)');
  return { bundle: env.bundle, signature: { state: keys.length ? 'verified' : 'signed (no key pinned)', key } };
}

/** `1.10.0` > `1.9.3`: numeric dot parts, pre-release suffixes ignored. */
function compareVersions(a, b) {
  const parts = (v) => String(v ?? '').split(/[-+]/)[0].split('.').map((x) => parseInt(x, 10) || 0);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d) return Math.sign(d);
  }
  return 0;
}

/** id and version from a bundle's own metadata (an extending bundle has its own). */
function idVersion(bundle) {
  try {
    const v = typeof bundle === 'string' ? JSON.parse(bundle) : bundle;
    return { id: v?.metadata?.id, version: v?.metadata?.version };
  } catch (_) {
    return {};
  }
}

function bundleText(bundle) {
  return typeof bundle === 'string' ? bundle : JSON.stringify(bundle);
}

/** Validate and compile; returns { engine } or { problems: [{path, line, column, message}] }. */
function compile(bundle) {
  try {
    return { engine: guard(() => newEngine(bundle)) };
  } catch (e) {
    if (e?.fatal) return { problems: [{ path: '$', message: String(e.message) }] };
    // Structured problems (JSON path, line, column) for the options page.
    try {
      const v = guard(() => validateBundle(bundle));
      if (v && v.ok === false && v.problems?.length) return { problems: v.problems };
    } catch (_) { /* fall through */ }
    return { problems: [{ path: '$', message: String(e?.message ?? e) }] };
  }
}

function metaOf(engine) {
  let m = {};
  try {
    m = guard(() => engine.metadata()) ?? {};
  } catch (_) { /* older engine */ }
  const md = m.metadata ?? m;
  return {
    id: md.id,
    version: md.version,
    organization: md.organization,
    policy_url: md.policy_url,
    time_zone: m.duty_hours?.time_zone ?? m.time_zone ?? md.duty_hours?.time_zone ?? null,
    sites: m.sites ?? md.sites ?? [],
  };
}

async function loadState() {
  await ensureWasm();
  const managed = await readManaged();
  const mv = managed.values ?? {};
  const local = await api.storage.local.get(['userBundle', 'lastGood', 'settings']);
  const errors = [];
  const allowUserBundle = mv.allowUserBundle !== false;

  const keys = pinnedKeys(mv);
  let candidate = null; // { source, bundle, signature }
  const consider = async (source, raw) => {
    const p = parseBundle(raw);
    if (p.error) return errors.push({ source, problems: [{ path: '$', message: p.error }] });
    const sig = await checkSignature(p.bundle, keys);
    if (sig.error) return errors.push({ source, reason: 'signature', signature: sig.signature, problems: [{ path: '$', message: sig.error }] });
    // A replayed older bundle: refused unless the policy allows a downgrade.
    const mine = idVersion(sig.bundle);
    const last = local.lastGood;
    if (last?.id && last.id === mine.id && compareVersions(mine.version, last.version) < 0 && mv.allowDowngrade !== true) {
      return errors.push({ source, reason: 'downgrade', signature: sig.signature, problems: [{ path: '$.metadata.version', message: `version ${mine.version} is lower than ${last.version}, the last good version of ${mine.id}: refused (the policy's allowDowngrade accepts it)` }] });
    }
    candidate = { source, bundle: sig.bundle, signature: sig.signature, ...mine };
  };
  if (mv.bundle != null && mv.bundle !== '') await consider('policy', mv.bundle);
  else if (allowUserBundle && local.userBundle) await consider('user', local.userBundle);

  let engine = null;
  let source = 'default';
  let signature = { state: 'built in' };
  let appliedAt = Date.now();
  if (candidate) {
    const c = compile(candidate.bundle);
    if (c.engine) {
      engine = c.engine;
      source = candidate.source;
      signature = candidate.signature;
      const same = local.lastGood && local.lastGood.bundle === bundleText(candidate.bundle);
      appliedAt = same ? local.lastGood.at : Date.now();
      await api.storage.local.set({
        lastGood: { source, bundle: bundleText(candidate.bundle), at: appliedAt, signature, id: candidate.id, version: candidate.version },
      });
    } else {
      errors.push({ source: candidate.source, signature: candidate.signature, problems: c.problems });
    }
  }
  if (!engine && errors.length && local.lastGood?.bundle) {
    const p = parseBundle(local.lastGood.bundle);
    const c = p.bundle ? compile(p.bundle) : {};
    if (c.engine) {
      engine = c.engine;
      source = `last good (${local.lastGood.source})`;
      signature = local.lastGood.signature ?? { state: 'unsigned' };
      appliedAt = local.lastGood.at;
    }
  }
  if (!engine) {
    engine = guard(() => newEngine());
    source = 'default';
  }

  const settings = { ...DEFAULT_SETTINGS, ...(local.settings ?? {}) };
  const locked = {};
  if (mv.allowDisable === false) {
    settings.enabled = true;
    locked.enabled = true;
  }
  if (typeof mv.showAdvice === 'boolean') {
    settings.showAdvice = mv.showAdvice;
    locked.showAdvice = mv.showAdvice;
  }
  if (mv.bundle != null) locked.bundle = true;
  if (!allowUserBundle) locked.userBundle = true;

  const s = {
    engine,
    source,
    meta: metaOf(engine),
    errors,
    managedFrom: managed.from,
    hasPolicy: !isEmpty(mv),
    allowUserBundle,
    locked,
    settings,
    loadedAt: Date.now(),
    signature,
    appliedAt,
    pinnedKeys: keys.length,
  };
  await api.storage.local.set({
    status: {
      source: s.source,
      meta: s.meta,
      errors: s.errors,
      managedFrom: s.managedFrom,
      at: s.loadedAt,
    },
  });
  return s;
}

async function getState() {
  if (state) return state;
  if (!loading) {
    loading = loadState().then(
      (s) => { state = s; loading = null; return s; },
      (e) => { loading = null; throw e; },
    );
  }
  return loading;
}

async function reload(reason) {
  state = null;
  loading = null;
  try {
    const s = await getState();
    broadcast({ type: 'preflight:bundle-changed', reason, source: s.source, version: s.meta.version });
  } catch (e) {
    console.error('preflight: reload failed', e);
  }
}

async function broadcast(msg) {
  try {
    const tabs = await api.tabs.query({});
    for (const t of tabs) {
      if (t.id == null) continue;
      api.tabs.sendMessage(t.id, msg).catch?.(() => {});
    }
  } catch (_) { /* no tabs access */ }
}

const WEEKDAYS = { Mon: 'mon', Tue: 'tue', Wed: 'wed', Thu: 'thu', Fri: 'fri', Sat: 'sat', Sun: 'sun' };

/** The current wall-clock time in the bundle's duty-hours time zone. */
function localTime(timeZone, now = new Date()) {
  try {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: timeZone || undefined,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(now);
    const get = (t) => parts.find((p) => p.type === t)?.value;
    return { weekday: WEEKDAYS[get('weekday')], hour: Number(get('hour')) % 24, minute: Number(get('minute')) };
  } catch (_) {
    return undefined;
  }
}

function buildContext(s, ctx = {}) {
  const out = {};
  if (ctx.site) out.site = String(ctx.site);
  if (ctx.account) out.account = String(ctx.account);
  if (typeof ctx.reply === 'boolean') out.reply = ctx.reply;
  if (typeof ctx.on_duty === 'boolean') out.on_duty = ctx.on_duty;
  const lt = localTime(s.meta.time_zone);
  if (lt && lt.weekday) out.local_time = lt;
  return out;
}

async function analyze(msg) {
  const s = await getState();
  if (!s.settings.enabled) return { disabled: true, bundle: bundleInfo(s) };
  const context = buildContext(s, msg.context);
  let text = String(msg.text ?? '');
  if (text.length > MAX_TEXT_UNITS) text = text.slice(0, MAX_TEXT_UNITS);
  let analysis;
  try {
    analysis = guard(() => s.engine.analyze(text, context));
  } catch (e) {
    // A panic or trap restarted the instance (the next request loads the bundle again);
    // this request reports the error.
    if (e?.fatal) console.error('preflight: engine failure, restarted', e);
    return { error: String(e?.message ?? e), bundle: bundleInfo(s) };
  }
  if (!s.settings.showAdvice && analysis?.findings) {
    // The engine's own notes (preflight.*, e.g. a draft checked in part) stay.
    analysis.findings = analysis.findings.filter((f) => f.severity !== 'advice' || f.rule_id.startsWith('preflight.'));
    const advice = analysis.findings.filter((f) => f.severity === 'advice').length;
    analysis.counts = { ...analysis.counts, advice };
  }
  return { analysis, context, bundle: bundleInfo(s) };
}

function bundleInfo(s) {
  return { source: s.source, id: s.meta.id, version: s.meta.version, organization: s.meta.organization };
}

async function status() {
  const s = await getState();
  return {
    engineVersion: safeVersion(),
    source: s.source,
    meta: { id: s.meta.id, version: s.meta.version, organization: s.meta.organization, policy_url: s.meta.policy_url, time_zone: s.meta.time_zone },
    signature: s.signature,
    appliedAt: s.appliedAt,
    pinnedKeys: s.pinnedKeys,
    coverage: coverageOf(s.engine),
    errors: s.errors,
    managedFrom: s.managedFrom,
    hasPolicy: s.hasPolicy,
    allowUserBundle: s.allowUserBundle,
    locked: s.locked,
    settings: s.settings,
    loadedAt: s.loadedAt,
  };
}

/** Per policy element, the enabled rules with their severity and number of inline examples. */
function coverageOf(engine) {
  try {
    return engine.coverage();
  } catch (_) {
    return [];
  }
}

function safeVersion() {
  try {
    return engineVersion();
  } catch (_) {
    return null;
  }
}

async function setUserBundle(text) {
  await ensureWasm();
  const s = await getState();
  if (!s.allowUserBundle) return { ok: false, problems: [{ path: '$', message: 'Your administrator does not allow local bundles.' }] };
  const p = parseBundle(text);
  if (p.error) return { ok: false, problems: [{ path: '$', message: p.error }] };
  const managed = await readManaged();
  const sig = await checkSignature(p.bundle, pinnedKeys(managed.values ?? {}));
  if (sig.error) return { ok: false, problems: [{ path: '$', message: sig.error }] };
  const c = compile(sig.bundle);
  if (!c.engine) return { ok: false, problems: c.problems };
  await api.storage.local.set({ userBundle: bundleText(p.bundle) });
  await reload('user bundle');
  return { ok: true, status: await status() };
}

async function setSettings(patch) {
  const s = await getState();
  const { settings } = await api.storage.local.get('settings');
  const next = { ...DEFAULT_SETTINGS, ...(settings ?? {}) };
  for (const [k, v] of Object.entries(patch ?? {})) {
    if (k in s.locked) continue;
    if (k in DEFAULT_SETTINGS && typeof v === 'boolean') next[k] = v;
  }
  await api.storage.local.set({ settings: next });
  await reload('settings');
  return status();
}

async function report(msg, sender) {
  const tabId = sender?.tab?.id;
  if (tabId == null) return {};
  const r = { site: msg.site, family: msg.family, counts: msg.counts, use: msg.use, fields: msg.fields, at: Date.now() };
  tabStatus.set(tabId, r);
  try {
    await api.storage.session?.set({ [`tab:${tabId}`]: r });
  } catch (_) { /* storage.session unavailable */ }
  const n = (msg.counts?.violation ?? 0) + (msg.counts?.warning ?? 0);
  try {
    await api.action.setBadgeText({ tabId, text: n ? String(n) : '' });
    await api.action.setBadgeBackgroundColor({ tabId, color: msg.counts?.violation ? '#b3261e' : '#a15c00' });
  } catch (_) { /* ignore */ }
  return {};
}

async function tabReport(tabId) {
  if (tabStatus.has(tabId)) return tabStatus.get(tabId);
  try {
    const v = await api.storage.session?.get(`tab:${tabId}`);
    return v?.[`tab:${tabId}`] ?? null;
  } catch (_) {
    return null;
  }
}

async function handle(msg, sender) {
  switch (msg?.type) {
    case 'preflight:analyze':
      return analyze(msg);
    case 'preflight:status':
      return status();
    case 'preflight:set-user-bundle':
      return setUserBundle(msg.text);
    case 'preflight:clear-user-bundle':
      await api.storage.local.remove('userBundle');
      await reload('user bundle cleared');
      return status();
    case 'preflight:set-settings':
      return setSettings(msg.settings);
    case 'preflight:report':
      return report(msg, sender);
    case 'preflight:tab-status':
      return { tab: await tabReport(msg.tabId), status: await status() };
    case 'preflight:extra-hosts':
      return { hosts: await syncExtraHosts(), sites: (await getState()).meta.sites };
    case 'preflight:validate':
      await ensureWasm();
      return guard(() => validateBundle(msg.text));
    default:
      return { error: `unknown message ${msg?.type}` };
  }
}

// Listeners are registered synchronously at top level so a restarted worker gets the
// message that woke it; state is rebuilt lazily.
api.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  if (!msg || typeof msg.type !== 'string' || !msg.type.startsWith('preflight:')) return false;
  handle(msg, sender).then(sendResponse, (e) => sendResponse({ error: String(e?.message ?? e) }));
  return true;
});

api.storage.onChanged.addListener((changes, area) => {
  if (area === 'managed') {
    recheckDone = true;
    reload('policy changed');
  } else if (area === 'local' && (changes.userBundle || changes.settings) && !loading) {
    // setUserBundle/setSettings reload themselves; this covers other writers (e.g. other windows).
    if (state) reload('local change');
  }
});

api.tabs?.onRemoved?.addListener((tabId) => {
  tabStatus.delete(tabId);
  api.storage.session?.remove(`tab:${tabId}`).catch?.(() => {});
});

// Other hosts (Mastodon instances, sites the bundle lists): the user grants an optional host
// permission on the options page; the content script is then registered for those origins.
const CONTENT_JS = ['content/text.js', 'content/adapters.js', 'content/writers.js', 'content/ui.js', 'content/main.js'];
const EXTRA_ID = 'preflight-extra-hosts';

async function syncExtraHosts() {
  if (!api.scripting?.registerContentScripts || !api.permissions) return [];
  const manifestHosts = new Set(api.runtime.getManifest().host_permissions ?? []);
  const { origins = [] } = await api.permissions.getAll();
  const extra = origins.filter((o) => !manifestHosts.has(o) && o !== 'https://*/*');
  try {
    await api.scripting.unregisterContentScripts({ ids: [EXTRA_ID] });
  } catch (_) { /* not registered */ }
  if (extra.length) {
    await api.scripting.registerContentScripts([{ id: EXTRA_ID, matches: extra, js: CONTENT_JS, runAt: 'document_idle' }]);
  }
  return extra;
}

api.permissions?.onAdded?.addListener(() => syncExtraHosts().catch((e) => console.error('preflight:', e)));
api.permissions?.onRemoved?.addListener(() => syncExtraHosts().catch((e) => console.error('preflight:', e)));

api.runtime.onStartup?.addListener(() => {
  getState().catch(() => {});
  syncExtraHosts().catch(() => {});
});
api.runtime.onInstalled?.addListener(() => {
  getState().catch(() => {});
  syncExtraHosts().catch(() => {});
});
