//! The hand-written drafts in `tests/drafts/drafts.jsonl` (75 posts a US government employee
//! might write; none from the training sources): the clear cases must get their use, the
//! blurred ones must come out `blurred` or with the top two uses close.

use preflight_core::classify::eval::{parse_jsonl, with_input, Expected};
use preflight_core::classify::{assess, embedded_model};
use preflight_core::{Tokenizer, Use, UseSource};

const DRAFTS: &str = include_str!("../../../tests/drafts/drafts.jsonl");
/// "Top two close" for a blurred draft that is not flagged blurred: a gap below this.
const CLOSE: f32 = 0.35;

#[test]
fn drafts_get_their_use() {
    embedded_model().expect("model loads");
    let rows = parse_jsonl(DRAFTS).unwrap();
    let tk = Tokenizer::new("en").unwrap();
    let mut counts = [0usize; 4];
    let mut failures = Vec::new();
    for row in &rows {
        let a = with_input(&tk, row, assess);
        assert_eq!(a.source, UseSource::Classifier);
        let p = a.probabilities.expect("probabilities");
        let mut s = p;
        s.sort_by(|a, b| b.total_cmp(a));
        match row.expected().expect("every draft has an expectation") {
            Expected::Use(u) => {
                counts[Use::ALL.iter().position(|x| *x == u).unwrap()] += 1;
                if a.label != Some(u) {
                    failures.push(format!(
                        "expected {} got {:?} p={p:?} signals={:?}: {}",
                        u.as_str(),
                        a.label,
                        a.signals,
                        row.text
                    ));
                }
                assert!(!a.signals.is_empty(), "no signals for {}", row.text);
            }
            Expected::Blurred => {
                counts[3] += 1;
                if !(a.blurred || s[0] - s[1] < CLOSE) {
                    failures.push(format!(
                        "expected blurred, got {:?} p={p:?}: {}",
                        a.label, row.text
                    ));
                }
            }
        }
    }
    assert_eq!(counts, [20, 20, 20, 15], "draft set composition");
    assert!(
        failures.is_empty(),
        "{} of {} drafts failed:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}
