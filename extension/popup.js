const api = globalThis.browser ?? globalThis.chrome;
const $ = (id) => document.getElementById(id);

function row(dl, k, v) {
  const dt = document.createElement('dt'); dt.textContent = k;
  const dd = document.createElement('dd'); dd.textContent = v;
  dl.append(dt, dd);
}

async function main() {
  // `?tab=<id>` lets the popup page be opened in a tab for a given tab (tests, support).
  const forced = Number(new URLSearchParams(location.search).get('tab'));
  const tabId = forced || (await api.tabs.query({ active: true, currentWindow: true }))[0]?.id;
  const res = await api.runtime.sendMessage({ type: 'preflight:tab-status', tabId });
  const t = res?.tab;
  const s = res?.status;
  if (!t) $('tab').textContent = 'No compose field checked on this tab yet.';
  else {
    const c = t.counts || {};
    const n = (c.violation || 0) + (c.warning || 0) + (c.advice || 0);
    $('tab').textContent = `${t.site}: ${t.fields} field(s) (${t.family || 'none'}). ` +
      (n ? `${c.violation || 0} violation(s), ${c.warning || 0} warning(s), ${c.advice || 0} advice.` : 'No findings.') +
      (t.use ? ` Reads as ${t.use}.` : '');
  }
  if (s) {
    const dl = $('bundle');
    row(dl, 'Bundle', `${s.meta.id ?? '?'} ${s.meta.version ?? ''}`);
    row(dl, 'Source', s.source);
    row(dl, 'Checking', s.settings.enabled ? 'on' : 'off');
    if (s.errors?.length) row(dl, 'Errors', s.errors.map((e) => `${e.source}: ${e.problems.length} problem(s)`).join('; '));
  }
  $('options').addEventListener('click', (e) => { e.preventDefault(); api.runtime.openOptionsPage(); });
}
main();
