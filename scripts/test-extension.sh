#!/usr/bin/env bash
# Extension tests: JS syntax checks, build for Chrome and Firefox, then the browser tests in
# real Debian Chromium (playwright-core + node:test): per-site checks on fixture pages built from
# the real editor libraries, editor integrity, admin policy (as root), no network, screenshots.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

step() { printf '\n--> %s\n' "$*"; }

apt_install() {
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
  else
    echo "test-extension: missing $*; install it (apt-get install $*)" >&2
    exit 1
  fi
}

command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || apt_install chromium
command -v zip >/dev/null || apt_install zip

# The engine must be the real WASM build (a .wasm module, not anything else).
wasm=extension/pkg/preflight_wasm_bg.wasm
if [ ! -f extension/pkg/preflight_wasm.js ] || [ ! -f "$wasm" ] || [ "$(head -c4 "$wasm" | od -An -tx1 | tr -d ' ')" != "0061736d" ]; then
  step "building the WASM engine (scripts/build-wasm.sh)"
  bash scripts/build-wasm.sh
fi

step "npm dependencies (tests/browser)"
(cd tests/browser && if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi)

step "JS syntax checks"
ESBUILD=tests/browser/node_modules/.bin/esbuild
for f in extension/background.js extension/engine-host.js extension/options.js extension/popup.js; do
  "$ESBUILD" "$f" --format=esm --log-level=error >/dev/null
done
for f in extension/content/*.js; do
  node --check "$f"
done
node -e 'for (const f of process.argv.slice(1)) JSON.parse(require("fs").readFileSync(f, "utf8"))' \
  extension/manifest.template.json extension/managed_schema.json

step "build (dist/chrome, dist/firefox, zips)"
bash scripts/build-extension.sh
node -e '
const fs = require("fs");
const c = JSON.parse(fs.readFileSync("dist/chrome/manifest.json"));
const f = JSON.parse(fs.readFileSync("dist/firefox/manifest.json"));
const assert = require("assert");
assert.equal(c.background.service_worker, "background.js");
assert.ok(c.key, "chrome manifest has a fixed key");
assert.deepEqual(f.background.scripts, ["background.js"]);
assert.ok(f.browser_specific_settings.gecko.id);
assert.ok(!f.key);
for (const m of [c, f]) {
  assert.equal(m.content_security_policy.extension_pages, "script-src '"'"'self'"'"' '"'"'wasm-unsafe-eval'"'"'; object-src '"'"'self'"'"'");
  assert.ok(m.host_permissions.every((h) => /^https:\/\/[a-z0-9.-]+\/\*$/.test(h)), "only named social hosts by default");
  assert.ok(!JSON.stringify(m).includes("http://"), "no plain-http hosts");
}
console.log("manifests ok");
'

step "Firefox build: addons-linter (Mozilla's AMO validator)"
tests/browser/node_modules/.bin/addons-linter --output json dist/firefox > "${TMPDIR:-/tmp}/preflight-addons-linter.json" || true
node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
for (const m of [...r.errors, ...r.warnings]) console.log(`${m._type}: ${m.code}: ${m.message} ${m.file || ""}`);
console.log(`addons-linter: ${r.summary.errors} errors, ${r.summary.warnings} warnings, ${r.summary.notices} notices`);
if (r.summary.errors || r.summary.warnings) process.exit(1);
' "${TMPDIR:-/tmp}/preflight-addons-linter.json"

step "browser tests (headless Chromium)"
cd tests/browser
node --test --test-concurrency=1 --test-reporter=spec sites.test.mjs integrity.test.mjs policy.test.mjs admin.test.mjs
