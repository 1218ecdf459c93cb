//! The core's dot-product inference agrees with linfa's own `predict`, and retraining is
//! byte-for-byte reproducible (fixture: `tests/fixtures/use-small.jsonl`, written for these tests).

use linfa::prelude::*;
use preflight_core::classify::eval::with_input;
use preflight_core::classify::{predict, UseModel};
use preflight_core::Tokenizer;
use preflight_train::{
    apply_caps, design, featurize, fit_logistic, load, run, to_model, Config, RunOptions,
};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/use-small.jsonl"
);

fn small_cfg() -> Config {
    Config {
        min_df: 1,
        max_features: 5000,
        folds: 3,
        alpha: 0.1,
        max_iter: 60,
        caps: vec![],
        ..Config::default()
    }
}

#[test]
fn core_inference_matches_linfa_predict() {
    let (rows, sha) = load(FIXTURE).unwrap();
    let tk = Tokenizer::new("en").unwrap();
    let samples = featurize(&rows, &tk);
    assert_eq!(samples.len(), 36);
    // No prior shift here: the comparison is with linfa's own intercepts.
    let cfg = Config {
        prior_shift: 0.0,
        ..small_cfg()
    };
    let all: Vec<usize> = (0..samples.len()).collect();
    let train = apply_caps(&samples, &all, &cfg);
    let (lin, fitted) = fit_logistic(&samples, &train, &cfg).unwrap();
    let linfa_pred = fitted.predict(&design(&samples, &all, &lin.cols));
    // Through the file format (f16 weights), as shipped.
    let model = UseModel::from_bytes(
        &to_model(&lin, &cfg, sha, train.len(), 1.7, 0.2, (2, 1), (1, 1))
            .unwrap()
            .to_bytes(),
    )
    .unwrap();
    let linfa_proba = fitted.predict_probabilities(&design(&samples, &all, &lin.cols));
    let mut agree = 0;
    for (i, row) in rows.iter().enumerate() {
        let p = with_input(&tk, row, |input| predict(&model, input));
        assert_eq!(p.label, linfa_pred[i], "row {i}: {:?}", row.text);
        // Logits agree up to f16 rounding (compare at temperature 1).
        let ours = preflight_core::classify::model::softmax(p.logits, 1.0);
        for k in 0..3 {
            assert!(
                (ours[k] - linfa_proba[[i, k]]).abs() < 5e-3,
                "row {i} class {k}"
            );
        }
        agree += usize::from(p.label == samples[i].y);
    }
    // The fixture is separable: a fit that learned nothing would fail here.
    assert!(agree >= 33, "training accuracy {agree}/36");
}

#[test]
fn same_data_and_seed_give_identical_bytes() {
    let (rows, sha) = load(FIXTURE).unwrap();
    let opts = |seed| RunOptions {
        cfg: Config {
            seed,
            ..small_cfg()
        },
        ablations: false,
        compare_nb: true,
        quick: false,
        cv_only: false,
        data_label: "fixture".into(),
        command: "test".into(),
        drafts: rows[..4].to_vec(),
        known_misses: vec![],
    };
    let a = run(&rows, sha, &opts(7), &mut |_| {}).unwrap();
    let b = run(&rows, sha, &opts(7), &mut |_| {}).unwrap();
    assert_eq!(a.bytes, b.bytes);
    assert_eq!(a.report, b.report);
    let m = UseModel::from_bytes(&a.bytes).unwrap();
    assert_eq!(m.seed, 7);
    assert_eq!(m.data_sha256, sha);
    // The seed is part of the file.
    let c = run(&rows, sha, &opts(8), &mut |_| {}).unwrap();
    assert_ne!(a.bytes, c.bytes);
    assert!(a.report.contains("Leave-one-source-out"));
}
