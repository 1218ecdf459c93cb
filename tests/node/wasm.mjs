// Loads the Node build of the WebAssembly engine (scripts/build-wasm.sh → target/wasm-node/).
import { createRequire } from 'node:module';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const modulePath = join(root, 'target', 'wasm-node', 'preflight_wasm.js');

if (!existsSync(modulePath)) {
  throw new Error(`${modulePath} is missing: run scripts/build-wasm.sh (or scripts/test-wasm.sh) first`);
}

const require = createRequire(import.meta.url);
/** The wasm-bindgen module: Engine, defaultBundle, validateBundle, version. */
export const wasm = require(modulePath);
// The module has no use model compiled in: load the one scripts/build-wasm.sh put beside it.
wasm.loadUseModel(readFileSync(join(dirname(modulePath), 'use-model.bin')));
wasm.loadWordList(readFileSync(join(dirname(modulePath), 'words-en.fc')));

/** Every vector file in tests/vectors/, parsed, with its file name. */
export function vectorFiles() {
  const dir = join(root, 'tests', 'vectors');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ file: f, ...JSON.parse(readFileSync(join(dir, f), 'utf8')) }));
}
