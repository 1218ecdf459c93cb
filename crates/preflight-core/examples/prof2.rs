use preflight_core::{Context, Engine};
fn main() {
    let text = std::fs::read_to_string(std::env::args().nth(1).unwrap()).unwrap();
    let iters: usize = std::env::args()
        .nth(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1000);
    let engine = Engine::default_bundle().unwrap();
    let ctx = Context {
        site: Some("x".into()),
        account: Some("@jane_personal".into()),
        ..Default::default()
    };
    let a = engine.analyze(&text, &ctx).unwrap();
    eprintln!(
        "{} findings: {:?}",
        a.findings.len(),
        a.findings
            .iter()
            .map(|f| f.rule_id.as_str())
            .collect::<Vec<_>>()
    );
    let t = std::time::Instant::now();
    for _ in 0..iters {
        std::hint::black_box(engine.analyze(&text, &ctx).unwrap());
    }
    println!("{:?} per analyze", t.elapsed() / iters as u32);
}
