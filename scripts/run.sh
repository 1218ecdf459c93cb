#!/usr/bin/env bash
# The main job: build preflight, check sample drafts on the embedded default bundle, and show
# the browser extension on a local compose page (screenshot in docs/screenshots/demo.png).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "==> Building the CLI (release)"
cargo build --locked --release -q -p preflight-cli
pf=target/release/preflight

run() {
  printf '\n$ preflight %s\n' "$*"
  set +e
  "$pf" "$@"
  local code=$?
  set -e
  printf '(exit code %d)\n' "$code"
}

run bundle test model/default-bundle.json
run check --site x.com "My SSN is 123-45-6789 — chip in to my campaign at https://secure.actblue.com/donate/smith"
run check --site x.com --account @jane_doe "Grabbed tacos for lunch with my sister, best salsa in town 🌮"
run check --site x.com --account @jane_doe "Our team at the U.S. Department of Public Services just published new guidance on permit wait times. Proud of this work!"
run check --site x.com --account @jane_doe "Our team at the U.S. Department of Public Services just published new guidance on permit wait times. Views are my own."

if [ -x scripts/demo.sh ]; then
  echo
  echo "==> Browser extension demo (headless Chromium)"
  scripts/demo.sh
fi
