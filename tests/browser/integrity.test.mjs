// Editor integrity: typing long drafts (newlines, emoji, mentions, a finding mid-draft) with the
// extension on must leave exactly the same text in each editor's own model as with it off.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, SITES, openSite, editorText } from './harness.mjs';
import { VIOLATION, ORG } from './drafts.mjs';

const LONG = [
  'Hey @alice_w and @bob.smith 👋 quick update from the team.',
  'Line two has emoji 🎉🇺🇸👩🏽‍💻 and a #hashtag, plus a link https://example.gov/report?x=1&y=2.',
  '',
  'After a blank line: "quotes", apostrophes don\'t break — dashes too… and ünïcödé.',
  `${VIOLATION.text} (this line is flagged while typing).`,
  `Last line names the ${ORG} and ends here.`,
].join('\n');

// One site per editor family (plus Reddit's Lexical inside shreddit-composer).
const FAMILY_SITES = ['x', 'facebook', 'linkedin', 'bluesky', 'mastodon', 'reddit', 'youtube'].map((id) => SITES.find((s) => s.id === id));

async function typeSlowly(page, site, text) {
  await page.locator(site.field).first().click();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (i > 0) await page.keyboard.press('Enter');
    // Type in chunks with pauses, so analyses and highlight updates land mid-draft.
    const words = lines[i].split(/(?<= )/);
    for (let j = 0; j < words.length; j += 4) {
      await page.keyboard.type(words.slice(j, j + 4).join(''));
      await page.waitForTimeout(120);
    }
    await page.waitForTimeout(350);
  }
  await page.waitForTimeout(600);
}

async function collect(extension) {
  const L = await launch({ extension });
  const out = {};
  try {
    if (extension) await L.serviceWorker();
    for (const site of FAMILY_SITES) {
      const page = await openSite(L.context, site);
      await typeSlowly(page, site, LONG);
      out[site.id] = {
        text: await editorText(page),
        badge: extension ? await page.locator('preflight-check .badge').count() : 0,
      };
      await page.close();
    }
  } finally {
    await L.close();
  }
  return out;
}

let on;
let off;
before(async () => {
  off = await collect(false);
  on = await collect(true);
});

for (const site of FAMILY_SITES) {
  test(`${site.id} (${site.family}): same editor text with the extension on and off`, () => {
    assert.equal(on[site.id].text, off[site.id].text);
    assert.ok(on[site.id].badge >= 1, 'the extension was active on the field');
    // And the text is what was typed (modulo the editor's own newline model).
    for (const piece of ['@alice_w', '👋', '🇺🇸', '#hashtag', 'ünïcödé', ORG]) {
      assert.ok(off[site.id].text.includes(piece), `${piece} typed`);
    }
  });
}
