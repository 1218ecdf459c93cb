#!/usr/bin/env bash
# Instructions per `analyze` call, natively and in WebAssembly (V8 under callgrind): a measure of
# per-call cost that other work on a shared machine does not disturb, for A/B comparisons.
#
#   scripts/count-instructions.sh                    # this checkout: native and WASM
#   scripts/count-instructions.sh OLD_PKG…           # and older Node builds beside it (copies of
#                                                    # target/wasm-node made at other commits)
#   scripts/count-instructions.sh --no-native …      # WASM only
#
# The drafts are the benchmark's (`node scripts/bench-wasm.mjs --drafts-to DIR`: bench/posts.json
# cut to 280 and 5,000 characters, with and without non-ASCII text). Each count runs the same draft
# N1 and N2 times and divides the difference by N2 − N1, so start-up (bundle compile, V8
# compiling the module) cancels out. V8 runs with `--no-liftoff` (optimised code from the
# start: tiering up at a different call under valgrind would blur the counts) and
# `--single-threaded`. Figures are x86 instructions, not time; WASM ones include the JS glue.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

native=1
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-native) native=0 ;;
    -h|--help) sed -n 2,15p "$0"; exit 0 ;;
    *) extra+=("$1") ;;
  esac
  shift
done

if ! command -v valgrind >/dev/null; then
  echo "valgrind is missing: installing it (apt-get)" >&2
  apt-get update -qq >&2 && apt-get install -y -qq valgrind >&2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

node scripts/bench-wasm.mjs --drafts-to "$work"
cat > "$work/loop.cjs" <<'EOF'
const w = require(process.env.PKG);
// The use model beside the module, as the extension's worker and bench-wasm.mjs load it.
const path = require('path');
const model = path.join(path.dirname(process.env.PKG), 'use-model.bin');
if (require('fs').existsSync(model)) w.loadUseModel(require('fs').readFileSync(model));
const words = path.join(path.dirname(process.env.PKG), 'words-en.fc');
if (w.loadWordList && require('fs').existsSync(words)) w.loadWordList(require('fs').readFileSync(words));
const e = w.Engine.withDefaultBundle();
const text = require('fs').readFileSync(process.argv[2], 'utf8');
const n = +process.argv[3];
const ctx = JSON.parse(require('fs').readFileSync(process.env.CTX, 'utf8'));
for (let i = 0; i < n; i++) e.analyze(text, ctx);
EOF

refs() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 | awk '/Collected/ {print $4}'; }
per_call() { # per_call N1 N2 command… (the command gets the count appended)
  local n1=$1 n2=$2; shift 2
  local a b
  a=$(refs "$@" "$n1"); b=$(refs "$@" "$n2")
  echo $(((b - a) / (n2 - n1)))
}
counts() { case "$1" in 5000*) echo "100 300" ;; *) echo "1000 3000" ;; esac; }

if [ "$native" = 1 ]; then
  cargo build --release -q -p preflight-core --example profile
fi
if [ ! -f target/wasm-node/preflight_wasm.js ]; then
  scripts/build-wasm.sh >/dev/null
fi

pkgs=("$root/target/wasm-node" "${extra[@]}")
printf '%-11s' draft
[ "$native" = 1 ] && printf '%14s' native
for p in "${pkgs[@]}"; do printf '%22s' "wasm:$(basename "$(dirname "$p")")/$(basename "$p")"; done
echo
# PREFLIGHT_DRAFTS="280 5000" counts only those drafts.
for d in ${PREFLIGHT_DRAFTS:-280 280-ascii 5000 5000-ascii}; do
  read -r n1 n2 < <(counts "$d")
  printf '%-11s' "$d"
  if [ "$native" = 1 ]; then
    printf '%14s' "$(per_call "$n1" "$n2" target/release/examples/profile --file "$work/$d.txt")"
  fi
  for p in "${pkgs[@]}"; do
    printf '%22s' "$(CTX="$root/bench/context.json" PKG="$p/preflight_wasm.js" per_call "$n1" "$n2" node --single-threaded --no-liftoff --no-wasm-lazy-compilation "$work/loop.cjs" "$work/$d.txt")"
  done
  echo
done
