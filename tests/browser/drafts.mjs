// Drafts used by the browser tests. The violation comes from the default bundle's own
// inline examples, so the tests follow the bundle the engine embeds.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './harness.mjs';

const bundle = JSON.parse(readFileSync(path.join(ROOT, 'model/default-bundle.json'), 'utf8'));

function pickViolation() {
  const preferred = bundle.rules.find((r) => r.id === 'hatch-act.solicit-contributions');
  const rules = [preferred, ...bundle.rules.filter((r) => r.severity === 'violation')].filter(Boolean);
  for (const r of rules) {
    if (r.severity !== 'violation' || r.enabled === false || r.when && Object.keys(r.when).length) continue;
    const ex = (r.examples?.flags || []).find((e) => typeof e === 'string');
    if (ex) return { rule: r.id, text: ex };
  }
  throw new Error('default bundle has no unconditional violation rule with a text example');
}

export const VIOLATION = pickViolation();
export const CLEAN = 'Lovely hike with the dog this morning, then pancakes with the kids.';
export const ORG = bundle.metadata.organization;
export const NAMES_EMPLOYER = `Proud of what my team at the ${ORG} shipped this week.`;
export const SCREENSHOT_DRAFT = `${VIOLATION.text} Proud of my team at the ${ORG}.`;
export const DEFAULT_BUNDLE = bundle;
