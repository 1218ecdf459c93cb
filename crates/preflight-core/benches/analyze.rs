//! Criterion benchmarks for `Engine::analyze` on the embedded default bundle:
//! a 280-character draft, a 5,000-character draft, and batch throughput.
//!
//! `cargo bench -p preflight-core --bench analyze`

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use preflight_core::{Context, Engine};

const SAMPLE: &str = "Proud of our team at the regional office: we shipped the new permit portal today, \
after months of user research with small businesses. Join the webinar Thursday to see how it works! \
Questions? Email permits@example.gov or call 202-555-0143. #OpenGov #CivicTech https://example.gov/permits ";

fn draft(len: usize) -> String {
    let mut s = String::with_capacity(len + SAMPLE.len());
    while s.chars().count() < len {
        s.push_str(SAMPLE);
    }
    s.chars().take(len).collect()
}

fn bench(c: &mut Criterion) {
    let engine = Engine::default_bundle().expect("default bundle compiles");
    let ctx = Context {
        site: Some("x.com".into()),
        account: Some("@jane".into()),
        ..Default::default()
    };
    let mut g = c.benchmark_group("analyze");
    for len in [280usize, 5000] {
        let text = draft(len);
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(len), &text, |b, t| {
            b.iter(|| {
                engine
                    .analyze(std::hint::black_box(t), &ctx)
                    .expect("analyze")
            })
        });
    }
    g.finish();

    // Batch: 1,000 varied drafts of 40–400 characters, as an archive scan would see them.
    let batch: Vec<String> = (0..1000).map(|i| draft(40 + (i * 37) % 360)).collect();
    let mut g = c.benchmark_group("batch");
    g.throughput(Throughput::Elements(batch.len() as u64));
    g.bench_function("1000_drafts", |b| {
        b.iter(|| {
            for t in &batch {
                std::hint::black_box(engine.analyze(t, &ctx).expect("analyze"));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
