// Demo for the main job: the extension on a local X-like compose page (real Draft.js) in
// headless Chromium, on the embedded default bundle. Saves docs/screenshots/demo.png.
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import { launch, SITES, openSite, typeDraft, waitBadge, badge, card, SCREENSHOTS, editorText, cardScreenshot } from './harness.mjs';
import { VIOLATION, ORG } from './drafts.mjs';

const L = await launch();
try {
  await L.serviceWorker();
  const site = SITES.find((s) => s.id === 'x');
  const page = await openSite(L.context, site);
  const draft = `${VIOLATION.text}! So proud of my team at the ${ORG}.`;
  console.log(`draft typed on https://x.com/compose/post: ${JSON.stringify(draft)}`);
  await typeDraft(page, site, draft);
  const b = await waitBadge(page, (d) => d.violations + d.warnings + d.advice > 0 || d.text.includes('disclaimer'));
  console.log(`badge: ${b['use']} — ${b.violations} violation(s), ${b.warnings} warning(s), ${b.advice} advice`);
  await badge(page).click();
  await card(page).waitFor({ state: 'visible' });
  for (const li of await page.locator('preflight-check li.finding').all()) {
    console.log(`  [${await li.locator('.sev').textContent()}] ${await li.getAttribute('data-rule')}: ${await li.locator('.msg').textContent()}`);
  }
  const q = page.locator('preflight-check .disclaimer q');
  if (await q.count()) console.log(`  disclaimer suggested: ${await q.textContent()}`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.mouse.move(0, 0);
  const out = path.join(SCREENSHOTS, 'demo.png');
  await cardScreenshot(page, out);
  console.log(`screenshot: ${path.relative(process.cwd(), out)}`);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForTimeout(200);
  const dark = path.join(SCREENSHOTS, 'demo-dark.png');
  await cardScreenshot(page, dark);
  console.log(`screenshot (dark mode card): ${path.relative(process.cwd(), dark)}`);
  await page.emulateMedia({ colorScheme: 'light' });
  if (await page.locator('preflight-check [data-action="add-disclaimer"]').count()) {
    await page.locator('preflight-check [data-action="add-disclaimer"]').click();
    await page.waitForTimeout(500);
    console.log(`after "Add disclaimer", the editor holds: ${JSON.stringify(await editorText(page))}`);
  }
  const leaks = L.requests.filter((r) => !r.url.startsWith('chrome-extension://') && !r.url.startsWith('https://x.com/'));
  console.log(`network requests outside the page and the extension: ${leaks.length}`);
} finally {
  await L.close();
}
