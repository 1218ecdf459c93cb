#!/usr/bin/env bash
# Every test of the project, installing what it needs (README's test command; CI runs it).
#   Rust: fmt, clippy, unit + integration tests (nextest), the default bundle's inline examples,
#         a short fuzz run of each target (scripts/fuzz.sh)
#   WASM: build for web + node, Node tests on the shared vectors (scripts/test-wasm.sh)
#   Extension: JS checks and browser tests in real Chromium (scripts/test-extension.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

step() { printf '\n==> %s\n' "$*"; }

step "Rust toolchain"
rustup component add rustfmt clippy >/dev/null 2>&1 || true
if ! command -v cargo-nextest >/dev/null 2>&1; then
  cargo install cargo-nextest --locked
fi

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy --all-targets -- -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo nextest (unit and integration tests)"
cargo nextest run --workspace --locked --no-fail-fast

step "core unit tests as the WebAssembly build configures it (English only, host NFKC)"
cargo nextest run -p preflight-core --lib --no-default-features --features embedded-model,default-bundle-examples --locked --no-fail-fast

step "doc tests"
cargo test --workspace --locked --doc

step "default bundle: inline examples"
cargo run --locked -q -p preflight-cli -- bundle test model/default-bundle.json

step "fuzz: 30 s per target under libFuzzer (scripts/fuzz.sh; the long run: docs/BENCHMARKS.md)"
scripts/fuzz.sh 30

if [ -x scripts/test-wasm.sh ]; then
  step "WASM build and Node tests"
  scripts/test-wasm.sh
fi

if [ -x scripts/test-extension.sh ]; then
  step "Extension: JS checks and browser tests"
  scripts/test-extension.sh
fi

step "all test suites passed"
