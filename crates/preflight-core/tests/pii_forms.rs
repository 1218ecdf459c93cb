//! Every line of `tests/judgement/pii.jsonl` through the engine with the embedded default
//! bundle: each written form of an IP address, SSN or phone number must be reported by its
//! detector's rule over exactly the expected text, with no other PII or security finding;
//! each entity-free draft (`"expect":[]`) must raise no PII or security finding and no
//! hate-number finding. A failure names the case id and what went wrong.

use std::collections::BTreeSet;

use preflight_core::pii_forms::{judge, parse_cases};
use preflight_core::Engine;

const CASES: &str = include_str!("../../../tests/judgement/pii.jsonl");

#[test]
fn every_form_is_found_and_entity_free_drafts_raise_nothing() {
    let engine = Engine::default_bundle().expect("default bundle compiles");
    let cases = parse_cases(CASES).expect("pii.jsonl parses");
    let mut failures = Vec::new();
    for case in &cases {
        let outcome = judge(&engine, case).expect("analyze");
        if !outcome.ok() {
            failures.push(format!("{}: {}", case.id, outcome.problems()));
        }
    }
    // The set covers every form the detectors promise, and enough entity-free drafts.
    let kinds: BTreeSet<&str> = cases.iter().map(|c| c.kind.as_str()).collect();
    for form in [
        "ipv4 before comma",
        "ipv4 before full stop",
        "ipv4 before closing parenthesis",
        "ipv4 after user@",
        "ipv4 with port",
        "ipv4 cidr",
        "ipv6 full",
        "ipv6 compressed",
        "ipv6 zone id",
        "ipv6 ipv4-mapped",
        "ipv6 nat64 embedded ipv4",
        "ipv6 cidr",
        "ipv6 bracketed with port",
        "ssn dots",
        "ssn spaces",
        "phone uk national",
        "phone germany national",
        "phone france national",
        "phone india national",
        "phone australia national",
        "phone japan national",
        "phone brazil national",
    ] {
        let n = cases.iter().filter(|c| c.kind == form).count();
        assert!(
            n >= 3,
            "form {form:?} has {n} cases, want at least 3 (kinds: {kinds:?})"
        );
    }
    let entity_free = cases.iter().filter(|c| c.expect.is_empty()).count();
    assert!(entity_free >= 100, "only {entity_free} entity-free drafts");
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
