#!/usr/bin/env bash
# Build the Preflight extension for Chrome/Edge and Firefox from one MV3 source.
# Outputs dist/chrome/, dist/firefox/, dist/preflight-chrome.zip, dist/preflight-firefox.zip.
# Needs the WASM engine in extension/pkg/ (built by scripts/build-wasm.sh when missing).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="$ROOT/extension"
DIST="$ROOT/dist"

if [[ ! -f "$SRC/pkg/preflight_wasm.js" || ! -f "$SRC/pkg/preflight_wasm_bg.wasm" ]]; then
  if [[ -x "$ROOT/scripts/build-wasm.sh" || -f "$ROOT/scripts/build-wasm.sh" ]]; then
    echo "build-extension: extension/pkg missing, running scripts/build-wasm.sh" >&2
    bash "$ROOT/scripts/build-wasm.sh"
  else
    echo "build-extension: extension/pkg/preflight_wasm.js missing and scripts/build-wasm.sh not found" >&2
    exit 1
  fi
fi
command -v node >/dev/null || { echo "build-extension: node is required" >&2; exit 1; }

rm -rf "$DIST/chrome" "$DIST/firefox" "$DIST"/preflight-*.zip
mkdir -p "$DIST"
for target in chrome firefox; do
  out="$DIST/$target"
  mkdir -p "$out/content" "$out/icons" "$out/pkg"
  cp "$SRC"/background.js "$SRC"/engine-host.js "$SRC"/popup.html "$SRC"/popup.js "$SRC"/options.html "$SRC"/options.js \
     "$SRC"/pages.css "$SRC"/managed_schema.json "$out/"
  cp "$SRC"/content/*.js "$out/content/"
  cp "$SRC"/icons/*.png "$out/icons/"
  cp "$SRC/pkg/preflight_wasm.js" "$SRC/pkg/preflight_wasm_bg.wasm" "$out/pkg/"
  # The use model (left out of the module): from the source tree, so a retrained model needs
  # no WASM rebuild.
  cp "$ROOT/model/use-model.bin" "$out/pkg/use-model.bin"
  # The hashtag splitter's word list, likewise beside the module.
  cp "$ROOT/model/words-en.fc" "$out/pkg/words-en.fc"
  node - "$SRC/manifest.template.json" "$out/manifest.json" "$target" <<'JS'
const fs = require('fs');
const [src, dst, target] = process.argv.slice(2);
const m = JSON.parse(fs.readFileSync(src, 'utf8'));
// Content scripts run on exactly the social hosts we ask permission for.
m.content_scripts[0].matches = m.host_permissions.slice();
if (target === 'firefox') {
  delete m.key;
  delete m.minimum_chrome_version;
  m.background = { scripts: ['background.js'], type: 'module' };
  m.browser_specific_settings = {
    gecko: { id: 'preflight@preflight.example.gov', strict_min_version: '140.0', data_collection_permissions: { required: ['none'] } },
    gecko_android: { strict_min_version: '142.0' },
  };
  // Firefox reads admin settings from policies.json ("3rdparty"), not a managed_schema.
  delete m.storage;
  delete m.web_accessible_resources;
} else {
  m.background = { service_worker: 'background.js', type: 'module' };
  delete m.web_accessible_resources;
}
fs.writeFileSync(dst, JSON.stringify(m, null, 2) + '\n');
JS
  if [[ "$target" == firefox ]]; then rm -f "$out/managed_schema.json"; fi
  (cd "$out" && zip -qr -X "$DIST/preflight-$target.zip" .)
done
echo "build-extension: dist/chrome dist/firefox dist/preflight-chrome.zip dist/preflight-firefox.zip"
