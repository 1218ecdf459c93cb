use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use preflight_core::classify::{assess, embedded_model, UseInput};
use preflight_core::{AccountKind, Context, Tokenizer};

/// 280 characters.
const DRAFT: &str = "Proud of my team at the agency for launching the new benefits portal today! We worked nights and weekends to get it right, and I learned a lot about plain language along the way. Check it out and tell me what you think. Join us at the town hall this Friday to learn more about it!";

fn bench(c: &mut Criterion) {
    assert_eq!(DRAFT.chars().count(), 280);
    embedded_model().expect("model");
    let tk = Tokenizer::new("en").unwrap();
    let tokens = tk.tokenize(DRAFT);
    let ctx = Context::default();
    let input = UseInput {
        text: DRAFT,
        tokens: &tokens,
        context: &ctx,
        site_kind: None,
        account_kind: AccountKind::Unknown,
        mentions_employer: true,
    };
    c.bench_function("classify_280_chars_tokenized", |b| {
        b.iter(|| assess(black_box(&input)))
    });
    c.bench_function("classify_280_chars_including_tokenize", |b| {
        b.iter(|| {
            let tokens = tk.tokenize(black_box(DRAFT));
            let input = UseInput {
                text: DRAFT,
                tokens: &tokens,
                context: &ctx,
                site_kind: None,
                account_kind: AccountKind::Unknown,
                mentions_employer: true,
            };
            assess(&input)
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
