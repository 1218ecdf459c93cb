//! Run `analyze` in a loop for profiling (`valgrind --tool=callgrind`, `perf record`).
//!
//! `cargo run --release -p preflight-core --example profile -- 280 2000`
use preflight_core::{Context, Engine};

fn main() {
    let mut args = std::env::args().skip(1);
    let len: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(280);
    let iters: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let sample = "Proud of our team at the regional office: we shipped the new permit portal today, \
after months of user research with small businesses. Join the webinar Thursday to see how it works! \
Questions? Email permits@example.gov or call 202-555-0143. #OpenGov #CivicTech https://example.gov/permits ";
    let text: String = sample.chars().cycle().take(len).collect();
    let engine = match Engine::default_bundle() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let ctx = Context {
        site: Some("x.com".into()),
        account: Some("@jane".into()),
        ..Default::default()
    };
    let start = std::time::Instant::now();
    let mut findings = 0;
    for _ in 0..iters {
        findings += engine
            .analyze(&text, &ctx)
            .map(|a| a.findings.len())
            .unwrap_or(0);
    }
    let per = start.elapsed() / iters as u32;
    println!("{len} chars: {per:?} per analyze ({findings} findings in total)");
}
