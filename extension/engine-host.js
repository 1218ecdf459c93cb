// The WebAssembly engine's instance in the service worker, and its recovery. The module is
// built with panic=abort (stable Rust cannot unwind in wasm32): a panic, like running out of
// memory or stack, traps and reaches JavaScript as a WebAssembly.RuntimeError. The instance is
// not to be trusted afterwards (no Rust destructor ran), so the host reports the error,
// instantiates the compiled module afresh, installs the use model and word list again, and disowns the
// engines of the old instance; the worker compiles its bundle again on the next request and
// keeps serving.
import init, * as glue from './pkg/preflight_wasm.js';

/** Whether an error thrown by the module means its instance must be replaced: a trap. */
export function isFatal(e) {
  return e instanceof WebAssembly.RuntimeError;
}

let compiled = null; // WebAssembly.Module
let modelBytes = null; // Uint8Array of use-model.bin, installed again after a restart
let wordBytes = null; // Uint8Array of words-en.fc, the same
let engines = new Set(); // WeakRefs to the Engine objects of the current instance
let restarts = 0;
const listeners = [];

/** Call `fn` after each restart (the worker drops the engines it holds). */
export function onRestart(fn) {
  listeners.push(fn);
}

/**
 * Compile and instantiate the module from `source` (a URL, a Response, bytes or a
 * WebAssembly.Module), once; later calls return at once.
 */
export async function start(source) {
  if (compiled) return;
  let module = source;
  if (!(source instanceof WebAssembly.Module)) {
    if (typeof source === 'string' || source instanceof URL) source = fetch(source);
    const res = await source;
    if (typeof Response === 'function' && res instanceof Response) {
      if (!res.ok) throw new Error(`failed to fetch the engine: HTTP ${res.status} ${res.url}`);
      // Streaming compilation where the server says application/wasm (extension URLs do).
      module = (typeof WebAssembly.compileStreaming === 'function'
        ? await WebAssembly.compileStreaming(res.clone()).catch(() => null)
        : null) ?? await WebAssembly.compile(await res.arrayBuffer());
    } else {
      module = await WebAssembly.compile(res);
    }
  }
  await init({ module_or_path: module });
  compiled = module;
}

/** Install the use model (its bytes are kept for a restart). Throws like loadUseModel. */
export function loadUseModel(bytes) {
  glue.loadUseModel(bytes);
  modelBytes = bytes;
}

/** Install the hashtag splitter's word list (kept for a restart). Throws like loadWordList. */
export function loadWordList(bytes) {
  glue.loadWordList(bytes);
  wordBytes = bytes;
}

/** A new engine on the current instance (`new Engine(bundle)`, or the default bundle). */
export function newEngine(bundle) {
  const e = bundle === undefined ? glue.Engine.withDefaultBundle() : new glue.Engine(bundle);
  if (engines.size > 64) for (const r of engines) if (!r.deref()) engines.delete(r);
  // Weakly: an engine the worker drops is freed by wasm-bindgen's finalizer as before.
  engines.add(new WeakRef(e));
  return e;
}

/**
 * Replace the instance: disown the old instance's engines (their memory goes with it; they
 * must not be freed into the new one), instantiate the compiled module again, reinstall the
 * use model. Synchronous: the module is compiled already.
 */
export function restart() {
  for (const r of engines) r.deref()?.__destroy_into_raw();
  engines = new Set();
  glue.__resetInstance();
  glue.initSync({ module: compiled });
  if (modelBytes) glue.loadUseModel(modelBytes);
  if (wordBytes) glue.loadWordList(wordBytes);
  restarts += 1;
  for (const fn of listeners) fn();
}

/** How many times the instance was replaced. */
export function restartCount() {
  return restarts;
}

/**
 * Run `fn` against the module. An error that leaves the instance unusable restarts it and
 * is thrown again with `fatal: true` and `restarted: true` (the caller reports it and drops
 * its engines); other errors pass through.
 */
export function guard(fn) {
  try {
    return fn();
  } catch (e) {
    if (!isFatal(e)) throw e;
    const err = new Error(`the engine failed (${e.name}: ${e.message}) and was restarted`);
    err.fatal = true;
    try {
      restart();
      err.restarted = true;
    } catch (r) {
      err.restarted = false;
      err.message += `; restart failed: ${r?.message ?? r}`;
    }
    throw err;
  }
}

export const { validateBundle, version, defaultBundle } = glue;
export const panicForTests = () => glue.__panicForTests();
