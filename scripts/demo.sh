#!/usr/bin/env bash
# Show the browser extension on a local X-like compose page (real Draft.js) in headless
# Chromium, on the embedded default bundle; saves docs/screenshots/demo.png.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm
fi
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
wasm=extension/pkg/preflight_wasm_bg.wasm
if [ ! -f "$wasm" ] || [ "$(head -c4 "$wasm" | od -An -tx1 | tr -d ' ')" != "0061736d" ]; then
  bash scripts/build-wasm.sh
fi
bash scripts/build-extension.sh
(cd tests/browser && if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi)
node tests/browser/demo.mjs
