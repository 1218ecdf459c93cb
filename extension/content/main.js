// Preflight content script, part 5: finds compose fields (focus events and a MutationObserver,
// open shadow roots included), reads their text on change (debounced), asks the background
// worker to analyze it, and shows the result. Never edits text unless the user clicks a button.
'use strict';
var PF = globalThis.__preflight || (globalThis.__preflight = {});

(function () {
  if (PF.started) return;
  PF.started = true;
  const api = globalThis.browser ?? globalThis.chrome;
  const DEBOUNCE_MS = 250;
  const adapter = PF.adapters.forHost(location.hostname);
  const controllers = new Map(); // field element -> Controller
  let lastReport = '';

  // Promise form only: Firefox's `browser` namespace takes no callback, and Chrome MV3 returns
  // a promise when none is given.
  async function send(msg) {
    try {
      return await api.runtime.sendMessage(msg);
    } catch (_) {
      return null; // worker unavailable, or the extension was reloaded (orphaned script)
    }
  }

  class Controller {
    constructor(field) {
      this.field = field;
      this.family = PF.adapters.family(field);
      this.writer = PF.writers.for(this.family);
      this.timer = null;
      this.seq = 0;
      this.lastText = null;
      this.result = null;
      this.ui = new PF.Ui(field, {
        onAddDisclaimer: (s) => this.addDisclaimer(s),
        onFix: (f) => this.fix(f),
      });
      this.schedule = this.schedule.bind(this);
      this.onKey = this.onKey.bind(this);
      if (this.family === 'textarea') field.addEventListener('input', this.schedule);
      this.mo = new MutationObserver(this.schedule);
      this.mo.observe(field, { subtree: true, childList: true, characterData: true });
      field.addEventListener('keydown', this.onKey, true);
    }

    onKey(e) {
      if (e.altKey && e.shiftKey && (e.key === 'P' || e.key === 'p' || e.code === 'KeyP')) {
        e.preventDefault();
        this.ui.wrap.style.display = '';
        this.ui.open(true);
      } else if (e.key === 'Escape' && this.ui.isOpen) {
        this.ui.close(false);
      }
    }

    schedule() {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.run(), DEBOUNCE_MS);
    }

    context() {
      // The engine resolves the host name to the bundle's site id (and its limits).
      const ctx = { site: location.hostname };
      try {
        const account = adapter.account(this.field);
        if (account) ctx.account = account;
      } catch (_) { /* site changed its markup */ }
      try {
        const reply = adapter.reply(this.field);
        if (typeof reply === 'boolean') ctx.reply = reply;
      } catch (_) { /* ignore */ }
      return ctx;
    }

    async run(force) {
      if (!this.field.isConnected) return this.destroy();
      const reading = PF.text.read(this.field);
      if (!force && reading.text === this.lastText) {
        this.ui.render(this.result, reading); // DOM may have been re-rendered: refresh ranges
        return;
      }
      this.lastText = reading.text;
      const seq = ++this.seq;
      if (!reading.text.trim()) {
        this.result = null;
        this.ui.render(null, reading);
        report();
        return;
      }
      const res = await send({ type: 'preflight:analyze', text: reading.text, context: this.context() });
      if (seq !== this.seq) return; // a newer run superseded this one
      if (!res || res.error || res.disabled) {
        this.result = null;
        this.ui.render(null, reading);
        if (res?.error) console.warn('preflight:', res.error);
        return;
      }
      this.result = res;
      // Re-read: the DOM may have changed while we waited (ranges must match the DOM now).
      const now = PF.text.read(this.field);
      if (now.text !== reading.text) return this.schedule();
      this.ui.render(res, now);
      report();
    }

    async addDisclaimer(suggestion) {
      const insert = suggestion.insert ?? `\n\n${suggestion.text}`;
      await this.writer.append(this.field, insert);
      this.schedule();
    }

    async fix(finding) {
      const repl = finding.fix?.replace_with ?? '';
      // Apply from the last span backwards so earlier offsets stay valid.
      const spans = [...(finding.spans || [])].sort((a, b) => b.start - a.start);
      for (const s of spans) {
        await this.writer.replace(this.field, s.start, s.end, repl);
      }
      this.schedule();
    }

    destroy() {
      clearTimeout(this.timer);
      this.mo.disconnect();
      this.field.removeEventListener('input', this.schedule);
      this.field.removeEventListener('keydown', this.onKey, true);
      this.ui.destroy();
      controllers.delete(this.field);
      report();
    }
  }

  function report() {
    const counts = { advice: 0, warning: 0, violation: 0 };
    let use = null;
    const families = [];
    for (const c of controllers.values()) {
      families.push(c.family);
      const a = c.result?.analysis;
      if (!a) continue;
      for (const k of Object.keys(counts)) counts[k] += a.counts?.[k] ?? 0;
      use = use ?? a.use?.use ?? null;
    }
    const msg = { type: 'preflight:report', site: adapter.id, family: families[0] ?? null, fields: controllers.size, counts, use };
    const key = JSON.stringify(msg);
    if (key === lastReport) return;
    lastReport = key;
    send(msg);
  }

  function attach(el) {
    const root = PF.adapters.editingRoot(el);
    if (!root || controllers.has(root)) return controllers.get(root) ?? null;
    if (!isComposeField(root)) return null;
    const c = new Controller(root);
    controllers.set(root, c);
    c.run(true);
    return c;
  }

  function isComposeField(root) {
    if (root.matches?.(adapter.fields)) return true;
    if (root.querySelector?.(adapter.fields)) return true;
    if (adapter.id === 'generic') return false;
    // Family markers count everywhere (LinkedIn's Quill is detected by class).
    return PF.adapters.family(root) !== 'plain' || root instanceof HTMLTextAreaElement;
  }

  // Focus: composedPath()[0] is the real target even inside open shadow roots.
  document.addEventListener('focusin', (e) => {
    const t = e.composedPath?.()[0] ?? e.target;
    attach(t);
  }, true);

  // Discovery: fields that appear (already focused, autofocus, or inside shadow roots). Only
  // the subtrees that mutations add are scanned, so big pages stay cheap.
  const observed = new WeakSet();
  const watched = new WeakSet(); // fields with a one-time focus listener (no attributes on the page's DOM)
  function consider(f) {
    const r = PF.adapters.editingRoot(f);
    if (!r) return;
    if (r === document.activeElement || r.contains(deepActive())) attach(r);
    else if (!controllers.has(r) && !watched.has(r)) {
      watched.add(r);
      r.addEventListener('focusin', () => attach(r), { once: true });
    }
  }
  function watchShadow(el) {
    if (el.shadowRoot && !observed.has(el.shadowRoot)) {
      observed.add(el.shadowRoot);
      observe(el.shadowRoot);
      scan(el.shadowRoot);
    }
  }
  /** Scan a document, shadow root or element (itself included) for fields and shadow roots. */
  function scan(root) {
    try {
      if (root.nodeType === 1) {
        if (root.matches(adapter.fields)) consider(root);
        watchShadow(root);
      }
      for (const f of root.querySelectorAll(adapter.fields)) consider(f);
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) watchShadow(el);
    } catch (_) { /* invalid selector on an odd page: ignore */ }
  }

  function deepActive() {
    let a = document.activeElement;
    while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
    return a;
  }

  const pendingNodes = new Set();
  let scanQueued = false;
  function queueScan(nodes) {
    for (const n of nodes) if (n.nodeType === 1) pendingNodes.add(n);
    if (scanQueued) return;
    scanQueued = true;
    setTimeout(() => {
      scanQueued = false;
      const nodes = [...pendingNodes];
      pendingNodes.clear();
      for (const n of nodes) if (n.isConnected) scan(n);
      for (const c of [...controllers.values()]) if (!c.field.isConnected) c.destroy();
    }, 200);
  }

  function observe(root) {
    new MutationObserver((records) => {
      const added = [];
      let removed = false;
      for (const r of records) {
        for (const n of r.addedNodes) added.push(n);
        if (r.removedNodes.length) removed = true;
      }
      if (added.length || removed) queueScan(added);
    }).observe(root, { childList: true, subtree: true });
  }

  observe(document);
  scan(document);
  const active = deepActive();
  if (active) attach(active);

  api.runtime.onMessage.addListener((msg, _sender, sendResponse) => {
    if (msg?.type === 'preflight:bundle-changed') {
      for (const c of controllers.values()) c.run(true);
    } else if (msg?.type === 'preflight:page-status') {
      sendResponse({ site: adapter.id, fields: controllers.size });
    }
    return false;
  });

  // For tests and debugging: which fields are attached (no page-world access).
  PF.controllers = controllers;
})();
