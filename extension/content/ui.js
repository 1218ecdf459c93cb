// Preflight content script, part 4: the badge and card, in a shadow root anchored to the
// field (appended to <html>, never inside the editor), span highlights via the CSS Custom
// Highlight API for contenteditables and a positioned overlay for textareas.
'use strict';
var PF = globalThis.__preflight || (globalThis.__preflight = {});

(function () {
  const ELEMENT_LABELS = {
    employee_access: 'Employee access',
    account_management: 'Account management',
    acceptable_use: 'Acceptable use',
    employee_conduct: 'Employee conduct',
    content: 'Content',
    security: 'Security',
    legal: 'Legal issues',
    citizen_conduct: 'Citizen conduct',
  };
  const ELEMENT_ORDER = Object.keys(ELEMENT_LABELS);
  const USE = {
    organizational: { icon: 'building', word: 'Organizational' },
    professional: { icon: 'briefcase', word: 'Professional' },
    personal: { icon: 'person', word: 'Personal' },
  };
  // 16px line icons (no emoji font needed).
  const ICONS = {
    building: 'M2 14h12M3 14V7h10v7M2 7l6-4 6 4M5 9v3M8 9v3M11 9v3',
    briefcase: 'M2 6h12v8H2zM6 6V4h4v2M2 9h12',
    person: 'M8 8a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM2.5 14.5c.5-3 2.8-4.5 5.5-4.5s5 1.5 5.5 4.5',
    unknown: 'M6 6a2 2 0 1 1 3 1.7c-.7.4-1 .9-1 1.6V10M8 12.5v.5',
  };
  function icon(name) {
    const NS = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('viewBox', '0 0 16 16');
    svg.setAttribute('width', '16');
    svg.setAttribute('height', '16');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('class', 'icon');
    const path = document.createElementNS(NS, 'path');
    path.setAttribute('d', ICONS[name] || ICONS.unknown);
    path.setAttribute('fill', 'none');
    path.setAttribute('stroke', 'currentColor');
    path.setAttribute('stroke-width', '1.5');
    path.setAttribute('stroke-linecap', 'round');
    path.setAttribute('stroke-linejoin', 'round');
    svg.append(path);
    return svg;
  }
  const SEV_ORDER = ['violation', 'warning', 'advice'];
  const SEV_WORD = { violation: ['violation', 'violations'], warning: ['warning', 'warnings'], advice: ['advice', 'advice'] };

  const CSS_TEXT = `
  :host { all: initial; }
  * { box-sizing: border-box; }
  .wrap { position: fixed; z-index: 2147483646; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
    color: #1b1b1f; pointer-events: none; display: flex; flex-direction: column; align-items: flex-end; gap: 6px; }
  .wrap.above { flex-direction: column-reverse; }
  .badge { pointer-events: auto; display: inline-flex; align-items: center; gap: 6px; border: 1px solid #c4c7c5;
    background: #fff; color: inherit; border-radius: 999px; padding: 3px 10px; font: inherit; cursor: pointer;
    box-shadow: 0 1px 3px rgba(0,0,0,.18); white-space: nowrap; }
  .badge:focus-visible, .card :focus-visible { outline: 2px solid #0b57d0; outline-offset: 2px; }
  .badge .use { font-weight: 600; }
  .icon { flex: none; vertical-align: -3px; }
  .title { display: inline-flex; gap: 6px; align-items: center; }
  .chip { border-radius: 999px; padding: 0 7px; font-weight: 600; font-size: 12px; }
  .chip.violation { background: #b3261e; color: #fff; }
  .chip.warning { background: #f9dd6f; color: #3d2e00; }
  .chip.advice { background: #d3e3fd; color: #062e6f; }
  .ok { color: #146c2e; font-weight: 600; }
  .card { pointer-events: auto; width: min(420px, 92vw); max-height: min(60vh, 520px); overflow: auto;
    background: #fff; border: 1px solid #c4c7c5; border-radius: 12px; box-shadow: 0 6px 24px rgba(0,0,0,.22); padding: 12px 14px; }
  .card[hidden] { display: none; }
  .card h2 { font-size: 14px; margin: 0 0 4px; display: flex; justify-content: space-between; align-items: center; gap: 8px; }
  .card h3 { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: #444746; margin: 12px 0 4px; }
  .signals { color: #444746; margin: 0 0 6px; }
  ul { list-style: none; margin: 0; padding: 0; }
  li.finding { border-left: 4px solid #c4c7c5; padding: 6px 8px; margin: 6px 0; background: #f8f9fa; border-radius: 0 8px 8px 0; }
  li.finding.violation { border-color: #b3261e; }
  li.finding.warning { border-color: #e2a500; }
  li.finding.advice { border-color: #0b57d0; }
  .sev { font-size: 11px; font-weight: 700; text-transform: uppercase; margin-right: 6px; }
  .violation .sev { color: #b3261e; } .warning .sev { color: #8a6100; } .advice .sev { color: #0b57d0; }
  .msg { font-weight: 600; }
  .why { margin: 2px 0; color: #303030; }
  .matched { font-family: ui-monospace, monospace; font-size: 12px; color: #444746; }
  .row { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-top: 4px; }
  a { color: #0b57d0; }
  button.act { font: inherit; border: 1px solid #0b57d0; background: #0b57d0; color: #fff; border-radius: 8px; padding: 3px 10px; cursor: pointer; }
  button.act.secondary { background: transparent; color: #0b57d0; }
  button.close { font: inherit; background: none; border: none; cursor: pointer; font-size: 18px; line-height: 1; color: inherit; padding: 2px 6px; }
  .disclaimer { background: #e8f0fe; border-radius: 8px; padding: 8px; margin: 8px 0; }
  .disclaimer q { display: block; font-style: italic; margin: 4px 0; }
  .disclaimer .note { margin: 4px 0; font-weight: 600; color: #a50e0e; }
  .foot { color: #5f6368; font-size: 11px; margin-top: 10px; }
  .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  .overlay { position: fixed; pointer-events: none; overflow: hidden; color: transparent; z-index: 2147483645; }
  .overlay .inner { white-space: pre-wrap; overflow-wrap: break-word; }
  .overlay mark { color: transparent; border-radius: 2px; }
  .overlay mark.violation { background: rgba(179,38,30,.22); border-bottom: 2px solid #b3261e; }
  .overlay mark.warning { background: rgba(226,165,0,.25); border-bottom: 2px solid #e2a500; }
  .overlay mark.advice { background: rgba(11,87,208,.15); border-bottom: 2px dotted #0b57d0; }
  @media (prefers-color-scheme: dark) {
    .wrap { color: #e3e3e3; }
    .badge, .card { background: #1f1f1f; border-color: #5e5e5e; }
    .card h3, .signals, .matched, .foot { color: #c4c7c5; }
    .why { color: #d0d0d0; }
    li.finding { background: #2a2a2a; }
    .disclaimer { background: #0f2a4d; }
    .disclaimer .note { color: #f28b82; }
    a { color: #a8c7fa; }
    button.act.secondary { color: #a8c7fa; border-color: #a8c7fa; }
    .ok { color: #6dd58c; }
    .advice .sev { color: #a8c7fa; } .warning .sev { color: #f9dd6f; } .violation .sev { color: #ffb4ab; }
  }`;

  const HIGHLIGHT_CSS = `
  ::highlight(preflight-violation) { background-color: rgba(179,38,30,.18); text-decoration: underline wavy #b3261e; text-decoration-skip-ink: none; }
  ::highlight(preflight-warning) { background-color: rgba(226,165,0,.22); text-decoration: underline wavy #e2a500; text-decoration-skip-ink: none; }
  ::highlight(preflight-advice) { text-decoration: underline dotted #0b57d0; text-decoration-skip-ink: none; }`;

  // ---- highlights (shared by all fields on the page) ----
  const highlightSets = new Map(); // owner -> { violation: Range[], ... }
  let highlightStyleAdded = false;
  function setHighlights(owner, bySev) {
    if (!globalThis.CSS || !CSS.highlights || typeof Highlight === 'undefined') return false;
    if (!highlightStyleAdded) {
      const style = document.createElement('style');
      style.id = 'preflight-highlight-style';
      style.textContent = HIGHLIGHT_CSS;
      (document.head || document.documentElement).appendChild(style);
      highlightStyleAdded = true;
    }
    if (bySev) highlightSets.set(owner, bySev);
    else highlightSets.delete(owner);
    for (const sev of SEV_ORDER) {
      const ranges = [];
      for (const s of highlightSets.values()) ranges.push(...(s[sev] || []));
      if (ranges.length) CSS.highlights.set(`preflight-${sev}`, new Highlight(...ranges));
      else CSS.highlights.delete(`preflight-${sev}`);
    }
    return true;
  }

  function el(tag, attrs = {}, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v == null || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const k of kids.flat()) if (k != null) e.append(k);
    return e;
  }

  // Buttons must not take focus from the editor on mouse clicks.
  const keepFocus = (e) => e.preventDefault();

  let uid = 0;

  class Ui {
    constructor(field, handlers) {
      this.field = field;
      this.handlers = handlers; // { onAddDisclaimer(s), onFix(finding), onClosed() }
      this.id = ++uid;
      this.host = document.createElement('preflight-check');
      this.host.setAttribute('data-preflight-for', String(this.id));
      this.shadow = this.host.attachShadow({ mode: 'open' });
      const style = el('style', { text: CSS_TEXT });
      this.status = el('div', { class: 'sr', role: 'status', 'aria-live': 'polite' });
      this.badge = el('button', {
        class: 'badge', type: 'button', 'aria-haspopup': 'dialog', 'aria-expanded': 'false',
        'aria-controls': `preflight-card-${this.id}`, title: 'Preflight policy check (Alt+Shift+P)',
        onmousedown: keepFocus, onclick: () => this.toggle(false),
      });
      this.card = el('div', {
        class: 'card', id: `preflight-card-${this.id}`, role: 'dialog', 'aria-modal': 'false',
        'aria-label': 'Preflight policy check', hidden: true, tabindex: '-1',
        onkeydown: (e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            e.preventDefault();
            this.close(true);
          }
        },
      });
      this.overlay = null;
      this.wrap = el('div', { class: 'wrap' }, this.badge, this.card);
      this.shadow.append(style, this.status, this.wrap);
      document.documentElement.appendChild(this.host);
      this.analysis = null;
      this.reading = null;
      this.reposition = this.reposition.bind(this);
      window.addEventListener('scroll', this.reposition, { capture: true, passive: true });
      window.addEventListener('resize', this.reposition, { passive: true });
      this.hide();
    }

    destroy() {
      window.removeEventListener('scroll', this.reposition, { capture: true });
      window.removeEventListener('resize', this.reposition);
      setHighlights(this, null);
      this.host.remove();
    }

    hide() {
      this.wrap.style.display = 'none';
      if (this.overlay) this.overlay.style.display = 'none';
      setHighlights(this, null);
    }

    get isOpen() {
      return !this.card.hidden;
    }

    toggle(focusCard) {
      if (this.isOpen) this.close(false);
      else this.open(focusCard);
    }

    open(focusCard) {
      this.card.hidden = false;
      this.badge.setAttribute('aria-expanded', 'true');
      this.reposition();
      if (focusCard) (this.card.querySelector('button.act, a, button') || this.card).focus();
    }

    close(returnFocus) {
      this.card.hidden = true;
      this.badge.setAttribute('aria-expanded', 'false');
      if (returnFocus) this.field.focus({ preventScroll: true });
      this.handlers.onClosed?.();
    }

    reposition() {
      if (!this.field.isConnected) return;
      const r = this.field.getBoundingClientRect();
      const vw = document.documentElement.clientWidth;
      const vh = document.documentElement.clientHeight;
      const w = this.wrap;
      // Right-aligned with the field; below it, or above it when the card would not fit.
      const right = Math.max(4, vw - Math.min(r.right, vw));
      const room = Math.max(160, vw - right - 8);
      this.card.style.width = `${Math.min(420, room)}px`;
      const cardH = this.isOpen ? this.card.offsetHeight || 300 : 0;
      const badgeH = this.badge.offsetHeight || 26;
      const below = r.bottom + 4;
      const fitsBelow = below + badgeH + 6 + cardH <= vh;
      const fitsAbove = r.top - 4 - badgeH - 6 - cardH >= 0;
      const above = this.isOpen && !fitsBelow && fitsAbove;
      w.classList.toggle('above', above);
      w.style.right = `${right}px`;
      w.style.left = 'auto';
      w.style.top = above ? `${r.top - 4 - badgeH - 6 - cardH}px` : `${Math.min(Math.max(4, below), vh - badgeH - 4)}px`;
      if (this.overlay && this.overlay.style.display !== 'none') this.positionOverlay();
    }

    /** Render an analysis. `reading` is the PF.text reading it was made from. */
    render(result, reading) {
      this.analysis = result?.analysis ?? null;
      this.reading = reading;
      const a = this.analysis;
      if (!a || !reading.text.trim()) {
        this.hide();
        if (this.isOpen) this.close(false);
        return;
      }
      this.wrap.style.display = '';
      const counts = a.counts || { advice: 0, warning: 0, violation: 0 };
      const useKey = a.use?.use;
      const use = USE[useKey] || { icon: 'unknown', word: 'Use unclear', unknown: true };
      // Badge
      const chips = SEV_ORDER.filter((s) => counts[s] > 0).map((s) =>
        el('span', { class: `chip ${s}`, 'data-sev': s, title: `${counts[s]} ${SEV_WORD[s][counts[s] === 1 ? 0 : 1]}` },
          `${counts[s]} ${SEV_WORD[s][counts[s] === 1 ? 0 : 1]}`));
      const needsDisclaimer = a.disclaimer?.needed && !a.disclaimer?.present;
      const badgeKids = [
        icon(use.icon),
        el('span', { class: 'use', text: use.word }),
        ...chips,
      ];
      if (!chips.length && !needsDisclaimer) badgeKids.push(el('span', { class: 'ok', text: 'OK' }));
      if (needsDisclaimer) badgeKids.push(el('span', { class: 'chip advice', 'data-sev': 'disclaimer', text: 'disclaimer' }));
      this.badge.replaceChildren(...badgeKids);
      const total = counts.violation + counts.warning + counts.advice;
      this.badge.setAttribute('aria-label', `Preflight: ${use.unknown ? 'use unclear' : 'reads as ' + use.word.toLowerCase()}; ${summary(counts)}${needsDisclaimer ? '; disclaimer suggested' : ''}. Open details.`);
      this.badge.dataset.use = useKey || 'unknown';
      this.badge.dataset.violations = String(counts.violation);
      this.badge.dataset.warnings = String(counts.warning);
      this.badge.dataset.advice = String(counts.advice);
      const statusText = `Preflight: ${total ? summary(counts) : 'no findings'}${needsDisclaimer ? ', disclaimer suggested' : ''}.`;
      if (this.status.textContent !== statusText) this.status.textContent = statusText;
      this.renderCard(result, a, use, counts, needsDisclaimer);
      this.renderHighlights(a, reading);
      this.reposition();
    }

    renderCard(result, a, use, counts, needsDisclaimer) {
      const kids = [];
      kids.push(el('h2', {},
        el('span', { class: 'title' }, icon(use.icon), use.unknown ? 'Use not determined' : `Reads as ${use.word.toLowerCase()}`),
        el('button', { class: 'close', type: 'button', 'aria-label': 'Close', text: '×', onmousedown: keepFocus, onclick: () => this.close(false) })));
      const sig = [...(a.use?.signals || [])];
      if (a.use?.override_reason) sig.unshift(a.use.override_reason);
      if (a.use?.blurred) sig.push('close call between uses');
      const p = a.use?.probabilities;
      if (Array.isArray(p) && p.length === 3) {
        sig.push(['organizational', 'professional', 'personal'].map((u, i) => `${u} ${Math.round(p[i] * 100)}%`).join(', '));
      }
      if (sig.length) kids.push(el('p', { class: 'signals', text: sig.join(' · ') }));

      if (needsDisclaimer || a.disclaimer?.present) {
        const d = a.disclaimer;
        const box = el('div', { class: 'disclaimer' });
        if (d.present) box.append(el('span', { text: 'Disclaimer present.' }));
        else {
          box.append(el('span', { text: d.reason || 'A disclaimer is suggested.' }));
          // A disclaimer does not cure a violation: the engine says so when the draft has one.
          if (d.note) box.append(el('p', { class: 'note', text: d.note }));
          if (d.suggestion) {
            box.append(el('q', { text: d.suggestion.text }));
            box.append(el('button', {
              class: 'act', type: 'button', 'data-action': 'add-disclaimer', onmousedown: keepFocus,
              onclick: () => this.handlers.onAddDisclaimer?.(d.suggestion),
            }, 'Add disclaimer'));
          } else if (d.chars_left != null) {
            box.append(el('p', { text: `No disclaimer fits: ${d.chars_left} characters left.` }));
          }
        }
        kids.push(box);
      }

      const groups = new Map();
      for (const f of a.findings || []) {
        if (!groups.has(f.element)) groups.set(f.element, []);
        groups.get(f.element).push(f);
      }
      const order = [...groups.keys()].sort((x, y) => ELEMENT_ORDER.indexOf(x) - ELEMENT_ORDER.indexOf(y));
      for (const element of order) {
        const items = groups.get(element).sort((x, y) => SEV_ORDER.indexOf(x.severity) - SEV_ORDER.indexOf(y.severity));
        const section = el('section', { 'data-element': element },
          el('h3', { text: ELEMENT_LABELS[element] || element }),
          el('ul', {}, items.map((f) => this.findingItem(f))));
        kids.push(section);
      }
      if (!(a.findings || []).length) kids.push(el('p', { class: 'ok', text: 'No policy findings.' }));
      const b = result.bundle || {};
      kids.push(el('p', { class: 'foot', text: `Bundle ${b.id || '?'} ${b.version || ''} (${b.source || '?'}) · checked on this device, nothing is sent.` }));
      const hadFocus = this.shadow.activeElement;
      this.card.replaceChildren(...kids);
      if (hadFocus && this.isOpen) (this.card.querySelector('button.act') || this.card).focus();
    }

    findingItem(f) {
      const row = el('div', { class: 'row' });
      if (f.reference?.clause) {
        if (f.reference.url) row.append(el('a', { href: f.reference.url, target: '_blank', rel: 'noopener noreferrer', text: f.reference.clause }));
        else row.append(el('span', { text: f.reference.clause }));
      }
      if (f.fix && f.spans?.length) {
        row.append(el('button', {
          class: 'act secondary', type: 'button', 'data-action': 'fix', onmousedown: keepFocus,
          onclick: () => this.handlers.onFix?.(f),
        }, f.fix.label || 'Fix'));
      }
      return el('li', { class: `finding ${f.severity}`, 'data-rule': f.rule_id },
        el('div', {}, el('span', { class: 'sev', text: f.severity }), el('span', { class: 'msg', text: f.message })),
        f.why ? el('p', { class: 'why', text: f.why }) : null,
        f.matched?.length ? el('div', { class: 'matched', text: f.matched.map((m) => `“${m}”`).join(', ') }) : null,
        row);
    }

    renderHighlights(a, reading) {
      const bySev = { violation: [], warning: [], advice: [] };
      if (reading.plain) {
        setHighlights(this, null);
        this.renderOverlay(a, reading);
        return;
      }
      for (const f of a.findings || []) {
        for (const s of f.spans || []) {
          const r = PF.text.rangeFor(reading, s.start, s.end);
          if (r) (bySev[f.severity] || bySev.advice).push(r);
        }
      }
      setHighlights(this, bySev);
    }

    // Textareas cannot carry highlights: draw marks in a mirror positioned over them.
    renderOverlay(a, reading) {
      const spans = [];
      for (const f of a.findings || []) for (const s of f.spans || []) spans.push({ ...s, sev: f.severity });
      if (!spans.length) {
        if (this.overlay) this.overlay.style.display = 'none';
        return;
      }
      spans.sort((x, y) => x.start - y.start);
      if (!this.overlay) {
        this.overlay = el('div', { class: 'overlay', 'aria-hidden': 'true' }, el('div', { class: 'inner' }));
        this.shadow.append(this.overlay);
        this.field.addEventListener('scroll', () => this.positionOverlay(), { passive: true });
      }
      const inner = this.overlay.firstChild;
      const text = reading.text;
      const parts = [];
      let at = 0;
      for (const s of spans) {
        if (s.start < at) continue;
        parts.push(document.createTextNode(text.slice(at, s.start)));
        parts.push(el('mark', { class: s.sev, text: text.slice(s.start, s.end) }));
        at = s.end;
      }
      parts.push(document.createTextNode(text.slice(at) + '\n'));
      inner.replaceChildren(...parts);
      this.overlay.style.display = '';
      this.positionOverlay();
    }

    positionOverlay() {
      const f = this.field;
      const cs = getComputedStyle(f);
      const r = f.getBoundingClientRect();
      const o = this.overlay;
      Object.assign(o.style, {
        left: `${r.left}px`, top: `${r.top}px`, width: `${r.width}px`, height: `${r.height}px`,
        borderStyle: 'solid', borderColor: 'transparent',
        borderWidth: `${cs.borderTopWidth} ${cs.borderRightWidth} ${cs.borderBottomWidth} ${cs.borderLeftWidth}`,
        padding: `${cs.paddingTop} ${cs.paddingRight} ${cs.paddingBottom} ${cs.paddingLeft}`,
        font: cs.font, letterSpacing: cs.letterSpacing, lineHeight: cs.lineHeight, textAlign: cs.textAlign,
        boxSizing: 'border-box',
      });
      const inner = o.firstChild;
      inner.style.transform = `translate(${-f.scrollLeft}px, ${-f.scrollTop}px)`;
      inner.style.width = `${f.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight)}px`;
    }
  }

  function summary(c) {
    const parts = SEV_ORDER.filter((s) => c[s] > 0).map((s) => `${c[s]} ${SEV_WORD[s][c[s] === 1 ? 0 : 1]}`);
    return parts.length ? parts.join(', ') : 'no findings';
  }

  PF.Ui = Ui;
  PF.setHighlights = setHighlights;
})();
