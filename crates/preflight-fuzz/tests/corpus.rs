//! The fuzz targets on their seeds and saved regressions, under `cargo test`: every shared
//! vector, hand-written draft, fixture bundle and the default bundle, every input libFuzzer
//! once crashed on (`fuzz/regressions/<target>/`), and a short deterministic sweep of
//! mutated seeds, so that the invariants are checked on every test run, not only when the
//! fuzzers run (`scripts/fuzz.sh`).

use std::fs;
use std::path::{Path, PathBuf};

use preflight_core::{Context, Engine};
use preflight_fuzz::{analyze, bundle, check_analysis, same, seeds, AnalyzeInput};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn files(dir: &str, ext: Option<&str>) -> Vec<PathBuf> {
    seeds::files(&root().join(dir), ext)
}

fn seed_drafts() -> Vec<(String, Context, Option<String>)> {
    let out = seeds::drafts(&root());
    assert!(out.len() > 50, "seed drafts: {}", out.len());
    out
}

#[test]
fn seed_bundles_hold_the_invariants() {
    let paths = seeds::bundles(&root());
    assert!(paths.len() > 10);
    for path in paths {
        bundle(&fs::read(&path).unwrap());
    }
}

#[test]
fn seed_drafts_hold_the_invariants_and_a_fresh_engine_agrees() {
    let default = Engine::default_bundle().unwrap();
    let fresh = Engine::from_json(preflight_core::DEFAULT_BUNDLE_JSON).unwrap();
    for (text, context, bundle_json) in seed_drafts() {
        let engine = match &bundle_json {
            Some(json) => Engine::from_json(json).unwrap(),
            None => Engine::default_bundle().unwrap(),
        };
        let a = engine.analyze(&text, &context).unwrap();
        check_analysis(&engine, &text, &context, &a);
        if bundle_json.is_none() {
            // The digested default bundle and one loaded from its text agree.
            let b = fresh.analyze(&text, &context).unwrap();
            assert!(same(&a, &b), "fresh engine differs on {text:?}");
            assert!(same(&a, &default.analyze(&text, &context).unwrap()));
        }
    }
}

#[test]
fn saved_regressions_hold_the_invariants() {
    for path in files("fuzz/regressions/bundle", None) {
        bundle(&fs::read(&path).unwrap());
    }
    for path in files("fuzz/regressions/analyze", None) {
        analyze(&AnalyzeInput::from_bytes(&fs::read(&path).unwrap()));
    }
}

/// xorshift64*: the sweep is the same on every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// A few hundred mutated seeds through the `analyze` target: bytes flipped, inserted and
/// spliced between drafts, choice bytes random (derived bundles, contexts).
#[test]
fn mutated_seeds_hold_the_invariants() {
    let drafts: Vec<Vec<u8>> = seed_drafts()
        .into_iter()
        .map(|(t, _, _)| t.into_bytes())
        .collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut derived, mut derived_fired) = (0, 0);
    for _ in 0..300 {
        let mut text = drafts[rng.below(drafts.len())].clone();
        for _ in 0..rng.below(4) {
            let at = rng.below(text.len() + 1);
            match rng.below(3) {
                0 if at < text.len() => text[at] ^= 1 << rng.below(8),
                1 => {
                    let other = &drafts[rng.below(drafts.len())];
                    let from = rng.below(other.len());
                    let to = (from + rng.below(40)).min(other.len());
                    text.splice(at..at, other[from..to].iter().copied());
                }
                _ => text.insert(at, rng.next() as u8),
            }
        }
        let n = rng.below(48);
        let mut data = vec![n as u8];
        data.extend((0..n).map(|_| rng.next() as u8));
        data.extend(text);
        let input = AnalyzeInput::from_bytes(&data);
        let a = analyze(&input);
        if input.bundle.is_some() {
            derived += 1;
            if a.is_some_and(|a| a.findings.iter().any(|f| f.rule_id.starts_with("fuzz."))) {
                derived_fired += 1;
            }
        }
    }
    // The derived rules are made of the draft's words: some must load and fire, or the
    // sweep would check nothing of them.
    assert!(
        derived > 30 && derived_fired > 10,
        "{derived} derived bundles, {derived_fired} fired"
    );
}
