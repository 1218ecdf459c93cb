const api = globalThis.browser ?? globalThis.chrome;
const $ = (id) => document.getElementById(id);

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text != null) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function problemsList(problems) {
  const ul = el('ul');
  for (const p of problems || []) {
    const where = [p.path, p.line ? `line ${p.line}` : null, p.column ? `col ${p.column}` : null].filter(Boolean).join(', ');
    ul.append(el('li', `${where ? where + ': ' : ''}${p.message}`));
  }
  return ul;
}

function render(s) {
  const dl = $('bundle');
  dl.replaceChildren();
  const add = (k, v) => { dl.append(el('dt', k), el('dd', v)); };
  add('Source', s.source);
  add('Bundle', `${s.meta.id ?? '?'} — version ${s.meta.version ?? '?'}`);
  add('Organization', s.meta.organization ?? '?');
  if (s.meta.time_zone) add('Duty-hours time zone', s.meta.time_zone);
  const sig = s.signature ?? {};
  add('Signature', `${sig.state ?? 'unknown'}${sig.key ? ` (key ${sig.key})` : ''}${s.pinnedKeys ? `; ${s.pinnedKeys} key${s.pinnedKeys > 1 ? 's' : ''} pinned by policy` : ''}`);
  if (s.appliedAt) add('Applied', new Date(s.appliedAt).toLocaleString());
  add('Engine', s.engineVersion ?? '?');
  add('Policy storage', s.managedFrom ?? 'none');
  const errs = $('errors');
  errs.replaceChildren();
  for (const e of s.errors || []) {
    const box = el('div', null, 'error');
    box.dataset.source = e.source;
    const why = { signature: 'refused (signature)', downgrade: 'refused (older version)' }[e.reason] ?? 'invalid';
    box.dataset.reason = e.reason ?? 'invalid';
    box.append(el('strong', `The ${e.source === 'policy' ? "administrator's" : 'local'} bundle is ${why}; ${s.source.startsWith('last good') ? 'the last good bundle is still in use' : 'the ' + s.source + ' bundle is in use'}.`));
    box.append(problemsList(e.problems));
    errs.append(box);
  }
  const body = $('coverage').tBodies[0];
  body.replaceChildren();
  for (const row of s.coverage ?? []) {
    const tr = el('tr');
    tr.dataset.element = row.element;
    const n = (sev) => row.rules.filter((r) => r.severity === sev).length;
    const examples = row.rules.reduce((a, r) => a + (r.examples ?? 0), 0);
    tr.append(el('th', row.element.replaceAll('_', ' ')));
    if (!row.rules.length) {
      const td = el('td', 'no rule', 'uncovered');
      td.colSpan = 5;
      tr.append(td);
    } else {
      for (const v of [row.rules.length, n('violation'), n('warning'), n('advice'), examples || '—']) tr.append(el('td', String(v)));
      tr.title = row.rules.map((r) => `${r.id} (${r.severity}, ${r.examples ?? '?'} examples)`).join('\n');
    }
    body.append(tr);
  }
  const locked = $('locked');
  locked.replaceChildren();
  const L = s.locked || {};
  if (L.bundle) locked.append(el('li', 'The rule bundle is pushed by policy.'));
  if (L.userBundle) locked.append(el('li', 'Loading a local bundle is not allowed.'));
  if (L.enabled) locked.append(el('li', 'Checking cannot be turned off.'));
  if ('showAdvice' in L) locked.append(el('li', `Advice is always ${L.showAdvice ? 'shown' : 'hidden'}.`));
  if (!locked.children.length) locked.append(el('li', s.hasPolicy ? 'Policy present, nothing locked.' : 'Nothing: no policy is set for this browser.'));
  for (const k of ['enabled', 'showAdvice']) {
    $(k).checked = !!s.settings[k];
    $(k).disabled = k in L;
  }
  const allowUser = s.allowUserBundle && !L.bundle;
  $('file').disabled = !allowUser;
  $('clear').disabled = !allowUser;
}

async function refresh() {
  render(await api.runtime.sendMessage({ type: 'preflight:status' }));
}

for (const k of ['enabled', 'showAdvice']) {
  $(k).addEventListener('change', async () => {
    render(await api.runtime.sendMessage({ type: 'preflight:set-settings', settings: { [k]: $(k).checked } }));
  });
}

$('file').addEventListener('change', async () => {
  const f = $('file').files[0];
  if (!f) return;
  const text = await f.text();
  const res = await api.runtime.sendMessage({ type: 'preflight:set-user-bundle', text });
  const out = $('user-result');
  out.replaceChildren();
  if (res.ok) {
    out.append(el('p', `Loaded ${f.name}.`));
    render(res.status);
  } else {
    out.append(el('p', `${f.name} was not loaded:`), problemsList(res.problems));
  }
});

$('clear').addEventListener('click', async () => {
  render(await api.runtime.sendMessage({ type: 'preflight:clear-user-bundle' }));
  $('user-result').textContent = 'Using the built-in bundle.';
});

api.storage.onChanged.addListener((changes, area) => {
  if (area === 'managed' || (area === 'local' && changes.status)) refresh();
});

async function refreshHosts() {
  const res = await api.runtime.sendMessage({ type: 'preflight:extra-hosts' });
  const ul = $('hosts');
  ul.replaceChildren();
  const known = new Set((api.runtime.getManifest().host_permissions || []).map((o) => new URL(o.replace('*', 'x')).host));
  for (const origin of res?.hosts || []) {
    const li = el('li', origin.replace(/^https:\/\//, '').replace(/\/\*$/, '') + ' ');
    const b = el('button', 'Remove');
    b.type = 'button';
    b.addEventListener('click', async () => {
      await api.permissions.remove({ origins: [origin] });
      refreshHosts();
    });
    li.append(b);
    ul.append(li);
  }
  // Sites the bundle lists that are not covered yet.
  for (const site of res?.sites || []) {
    for (const h of site.hosts || []) {
      if (h.includes('*') || known.has(h) || (res.hosts || []).includes(`https://${h}/*`)) continue;
      const li = el('li', `${site.name || site.id}: ${h} (listed by your bundle) `);
      const b = el('button', 'Allow');
      b.type = 'button';
      b.addEventListener('click', () => allowHost(h));
      li.append(b);
      ul.append(li);
    }
  }
}

async function allowHost(host) {
  const out = $('host-result');
  const h = host.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  if (!/^[a-z0-9.-]+\.[a-z]{2,}$/.test(h)) {
    out.textContent = `"${host}" is not a site address.`;
    return;
  }
  const granted = await api.permissions.request({ origins: [`https://${h}/*`] });
  out.textContent = granted ? `Preflight now runs on ${h} (reload its tabs).` : `Not allowed for ${h}.`;
  refreshHosts();
}

$('host-form').addEventListener('submit', (e) => {
  e.preventDefault();
  allowHost($('host').value);
});

refresh();
refreshHosts();

$('try').addEventListener('click', async () => {
  const out = $('draft-result');
  out.replaceChildren();
  const account = $('draft-account').value.trim();
  const res = await api.runtime.sendMessage({ type: 'preflight:analyze', text: $('draft').value, context: account ? { account } : {} });
  if (res.error || res.disabled) {
    out.append(el('p', res.error ?? 'Checking is turned off.'));
    return;
  }
  const findings = res.analysis?.findings ?? [];
  out.append(el('p', findings.length ? `${findings.length} finding${findings.length > 1 ? 's' : ''} (${res.bundle.id} ${res.bundle.version}):` : `No finding (${res.bundle.id} ${res.bundle.version}).`));
  const ul = el('ul');
  for (const f of findings) {
    const li = el('li', `${f.severity}: ${f.message} [${f.rule_id}]`);
    li.dataset.rule = f.rule_id;
    ul.append(li);
  }
  out.append(ul);
});
