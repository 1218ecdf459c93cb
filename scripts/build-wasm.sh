#!/usr/bin/env bash
# Build preflight's WebAssembly engine.
#
#   scripts/build-wasm.sh
#
# 1. installs the wasm32 target and the wasm-bindgen-cli matching Cargo.lock when missing;
# 2. builds crates/preflight-wasm with the size-minded `wasm` profile (opt-level s, with the
#    engine, preflight-core, at opt-level 2; LTO, panic=abort, stripped) and preflight-core
#    without its default features (English stemmer only; NFKC from JavaScript);
# 3. runs wasm-bindgen for the web target (extension/pkg/, loaded by the extension's service
#    worker) and the nodejs target (target/wasm-node/, loaded by tests/node and the benchmark);
# 4. optimises both with `wasm-opt -Oz --converge --low-memory-unused
#    --skip-pass=inlining-optimizing` from the npm package
#    `binaryen` (Debian's binaryen 108 emits modules that crash at load with wasm-bindgen's externref table);
# 5. copies model/use-model.bin and model/words-en.fc beside both (the module has neither compiled in);
# 6. prints raw and gzip sizes.
#
# Generated files are not committed (.gitignore: extension/pkg/, target/).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

target=wasm32-unknown-unknown
profile=wasm
web_out="$root/extension/pkg"
node_out="$root/target/wasm-node"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# 1. Toolchain.
if ! rustup target list --installed | grep -qx "$target"; then
    say "installing the $target target"
    rustup target add "$target"
fi

wbg_version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
if [[ -z "$wbg_version" ]]; then
    say "wasm-bindgen is not in Cargo.lock yet; resolving"
    cargo generate-lockfile --offline 2>/dev/null || cargo update -p preflight-wasm
    wbg_version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
fi
have_version="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
if [[ "$have_version" != "$wbg_version" ]]; then
    say "installing wasm-bindgen-cli $wbg_version (found: ${have_version:-none})"
    # --locked first; if a locked dependency has been yanked since, fall back to a fresh resolve.
    cargo install wasm-bindgen-cli --version "$wbg_version" --locked \
        || cargo install wasm-bindgen-cli --version "$wbg_version"
fi

wasm_opt="$root/node_modules/.bin/wasm-opt"
if [[ ! -x "$wasm_opt" ]]; then
    say "installing npm dev dependencies (binaryen for wasm-opt)"
    if [[ -f package-lock.json ]]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
fi

# 2. Build.
say "cargo build -p preflight-wasm --target $target --profile $profile"
# The profile strips symbols; keep them (and the `target_features` section wasm-bindgen reads)
# in the cargo output: wasm-opt strips names and debug info after wasm-bindgen.
CARGO_PROFILE_WASM_STRIP=false cargo build -p preflight-wasm --target "$target" --profile "$profile"
raw_wasm="$root/target/$target/$profile/preflight_wasm.wasm"

# 3 + 4. Bindings and optimisation.
# Features the module uses (reference types for the externref table, bulk memory, etc.),
# as emitted by current rustc for wasm32-unknown-unknown.
# `--low-memory-unused`: the module's first 1 KiB of memory holds nothing (rustc's wasm32 layout
# puts the 1 MiB stack first, growing down towards 0, and data above it), so wasm-opt may fold
# constant offsets into loads and stores: −1.7 KB gzip (docs/BENCHMARKS.md "Size").
# `--skip-pass=inlining-optimizing`: LLVM has inlined what pays already; wasm-opt's own
# inlining made the module 22 KB gzip larger and no faster (docs/BENCHMARKS.md "Size").
opt_flags=(-Oz --converge --low-memory-unused --skip-pass=inlining-optimizing --enable-reference-types --enable-bulk-memory --enable-nontrapping-float-to-int
    --enable-sign-ext --enable-mutable-globals --enable-multivalue --strip-debug --strip-producers)

bindgen() { # out-dir target
    local out="$1" tgt="$2"
    rm -rf "$out"
    mkdir -p "$out"
    wasm-bindgen "$raw_wasm" --out-dir "$out" --target "$tgt" --no-typescript --omit-default-module-path
    "$wasm_opt" "${opt_flags[@]}" "$out/preflight_wasm_bg.wasm" -o "$out/preflight_wasm_bg.wasm.opt"
    mv "$out/preflight_wasm_bg.wasm.opt" "$out/preflight_wasm_bg.wasm"
}
say "wasm-bindgen --target web -> ${web_out#$root/}"
bindgen "$web_out" web
# A way to forget the instance, so that the next init()/initSync() instantiates the module
# afresh: extension/engine-host.js calls it after a panic or a trap left the instance
# unusable. The glue keeps its instance in module-private variables; check they are there.
glue="$web_out/preflight_wasm.js"
for v in 'let wasmModule, wasmInstance, wasm;' 'let __wbg_init_promise;' 'let cachedUint8ArrayMemory0' 'let cachedDataViewMemory0'; do
    grep -qF "$v" "$glue" || { echo "build-wasm.sh: '$v' not in $glue (wasm-bindgen changed): update the reset below" >&2; exit 1; }
done
cat >> "$glue" <<'JS'

// Appended by scripts/build-wasm.sh: forget the instance (extension/engine-host.js).
export function __resetInstance() {
    wasm = undefined;
    wasmInstance = undefined;
    wasmModule = undefined;
    __wbg_init_promise = undefined;
    cachedDataViewMemory0 = null;
    cachedUint8ArrayMemory0 = null;
}
JS
say "wasm-bindgen --target nodejs -> ${node_out#$root/}"
bindgen "$node_out" nodejs
# The node target is CommonJS; mark its directory so ESM importers (node:test) load it as such.
printf '{"type": "commonjs"}\n' > "$node_out/package.json"
# The use model ships beside the module (the module is built without it): the extension's
# worker and the Node loader read it from there and call loadUseModel.
cp "$root/model/use-model.bin" "$web_out/use-model.bin"
cp "$root/model/use-model.bin" "$node_out/use-model.bin"
# The hashtag splitter's word list, likewise (loadWordList).
cp "$root/model/words-en.fc" "$web_out/words-en.fc"
cp "$root/model/words-en.fc" "$node_out/words-en.fc"

# 5. Sizes.
size_line() { # label file
    local raw gz
    raw=$(wc -c < "$2")
    gz=$(gzip -9 -c "$2" | wc -c)
    printf '%-34s raw %8d B (%6.1f KiB)   gzip -9 %8d B (%6.1f KiB)\n' "$1" "$raw" "$(echo "$raw/1024" | bc -l)" "$gz" "$(echo "$gz/1024" | bc -l)"
}
say "sizes"
size_line "cargo output (before wasm-opt)" "$raw_wasm"
size_line "extension/pkg/preflight_wasm_bg.wasm" "$web_out/preflight_wasm_bg.wasm"
size_line "extension/pkg/preflight_wasm.js" "$web_out/preflight_wasm.js"
size_line "target/wasm-node/preflight_wasm_bg.wasm" "$node_out/preflight_wasm_bg.wasm"
size_line "extension/pkg/use-model.bin" "$web_out/use-model.bin"
size_line "extension/pkg/words-en.fc" "$web_out/words-en.fc"
