// Preflight background service worker (Chrome: module service worker; Firefox: module
// background script). Hosts the WASM engine, loads and validates the rule bundle, answers
// analyze requests from content scripts. Makes no network requests: the only fetch is the
// extension's own .wasm file.
import {
  guard, loadUseModel, newEngine, onRestart, start as startEngine, validateBundle, version as engineVersion,
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

// The use classifier's model ships beside the module (pkg/use-model.bin). Without it the
// rules still run and the use reads "unknown": a missing or damaged file never stops checking.
async function loadModel() {
  try {
    const res = await fetch(api.runtime.getURL('pkg/use-model.bin'));
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    loadUseModel(new Uint8Array(await res.arrayBuffer()));
  } catch (e) {
    console.error('preflight: use model not loaded; the use reads unknown', e);
  }
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

  let candidate = null; // { source, bundle }
  if (mv.bundle != null && mv.bundle !== '') {
    const p = parseBundle(mv.bundle);
    if (p.error) errors.push({ source: 'policy', problems: [{ path: '$', message: p.error }] });
    else candidate = { source: 'policy', bundle: p.bundle };
  } else if (allowUserBundle && local.userBundle) {
    const p = parseBundle(local.userBundle);
    if (p.error) errors.push({ source: 'user', problems: [{ path: '$', message: p.error }] });
    else candidate = { source: 'user', bundle: p.bundle };
  }

  let engine = null;
  let source = 'default';
  if (candidate) {
    const c = compile(candidate.bundle);
    if (c.engine) {
      engine = c.engine;
      source = candidate.source;
      await api.storage.local.set({
        lastGood: { source, bundle: bundleText(candidate.bundle), at: Date.now() },
      });
    } else {
      errors.push({ source: candidate.source, problems: c.problems });
    }
  }
  if (!engine && errors.length && local.lastGood?.bundle) {
    const p = parseBundle(local.lastGood.bundle);
    const c = p.bundle ? compile(p.bundle) : {};
    if (c.engine) {
      engine = c.engine;
      source = `last good (${local.lastGood.source})`;
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
    errors: s.errors,
    managedFrom: s.managedFrom,
    hasPolicy: s.hasPolicy,
    allowUserBundle: s.allowUserBundle,
    locked: s.locked,
    settings: s.settings,
    loadedAt: s.loadedAt,
  };
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
  const c = compile(p.bundle);
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
