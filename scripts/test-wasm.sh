#!/usr/bin/env bash
# Run the Node tests (node:test) against the WebAssembly engine, building it first when the
# Node build is missing or older than the Rust sources, the bundle or Cargo.lock.
#
#   scripts/test-wasm.sh            # build if needed, then test
#   PREFLIGHT_REBUILD=1 scripts/test-wasm.sh   # always rebuild
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

built="$root/target/wasm-node/preflight_wasm_bg.wasm"
stale=0
if [[ ! -f "$built" || "${PREFLIGHT_REBUILD:-0}" == 1 ]]; then
    stale=1
elif [[ -n "$(find crates model Cargo.lock Cargo.toml -newer "$built" \( -name '*.rs' -o -name '*.json' -o -name '*.toml' -o -name '*.lock' -o -name '*.bin' \) -print -quit)" ]]; then
    stale=1
fi
if [[ "$stale" == 1 ]]; then
    scripts/build-wasm.sh
fi

exec node --test --test-reporter=spec tests/node/
