#!/usr/bin/env bash
# Fuzz preflight with libFuzzer (coverage-guided) on the stable toolchain: no cargo-fuzz and no
# nightly needed, the instrumentation flags are those cargo-fuzz passes (without AddressSanitizer).
#
#   scripts/fuzz.sh [SECONDS] [TARGET…]    # default: 60 s each of `bundle` and `analyze`
#
# Targets (fuzz/fuzz_targets/, code in crates/preflight-fuzz/):
#   bundle   bundle JSON → validate, load, agree, run the bundle's examples
#   analyze  a draft, a context and a bundle derived from the draft's words → analyze, with
#            the invariants (spans on char boundaries, UTF-16 spans, disclaimer, counts,
#            determinism)
# Seeds: model/default-bundle.json, tests/fixtures/bundles, tests/vectors, tests/drafts
# (written by `fuzz-seeds` into .tmp/fuzz/corpus/, which keeps what libFuzzer finds between
# runs). A crash stops the run, exits 1 and names the input under .tmp/fuzz/artifacts/: copy it
# to fuzz/regressions/<target>/ (cargo test -p preflight-fuzz replays that directory), fix it.
# Each run prints its executions and the corpus size; FUZZ_JOBS=N runs N processes per target.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

secs="${1:-60}"
shift || true
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(bundle analyze)
work="$root/.tmp/fuzz"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

say "seed corpora -> ${work#$root/}/corpus"
cargo run -q --locked -p preflight-fuzz --bin fuzz-seeds -- "$root" "$work/corpus" >&2

say "building the fuzz targets (libFuzzer, sanitizer coverage)"
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
# With an explicit --target, RUSTFLAGS reach the targets' code only, not build scripts and
# proc macros (which would not link without libFuzzer's runtime).
host="$(rustc -vV | sed -n 's/^host: //p')"
(cd fuzz && cargo build --release --locked --bins -q --target "$host")
unset RUSTFLAGS
bin="$root/fuzz/target/$host/release"

status=0
for t in "${targets[@]}"; do
    mkdir -p "$work/artifacts/$t" "$work/corpus/$t"
    say "fuzzing $t for ${secs}s"
    max_len=()
    [[ "$t" == analyze ]] && max_len=(-max_len=4096)
    log="$work/$t.log"
    if "$bin/$t" "$work/corpus/$t" -max_total_time="$secs" -timeout=20 \
        -rss_limit_mb=2048 -print_final_stats=1 "${max_len[@]}" \
        -artifact_prefix="$work/artifacts/$t/" ${FUZZ_JOBS:+-jobs=$FUZZ_JOBS -workers=$FUZZ_JOBS} \
        >"$log" 2>&1; then
        execs=$(grep -h 'stat::number_of_executed_units' "$log" | awk '{s += $2} END {print s + 0}')
        units=$(find "$work/corpus/$t" -type f | wc -l)
        printf '%-8s %10s execs in %ss, corpus %s inputs, no crash\n' "$t" "$execs" "$secs" "$units"
    else
        status=1
        tail -40 "$log" >&2
        printf '%-8s CRASH: see %s (input under %s)\n' "$t" "${log#$root/}" "${work#$root/}/artifacts/$t/" >&2
    fi
done
exit "$status"
