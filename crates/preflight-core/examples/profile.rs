//! Run `analyze` in a loop for profiling (`valgrind --tool=callgrind`, `perf record`).
//!
//! `cargo run --release -p preflight-core --example profile -- 280 2000` analyses a
//! PII-dense sample cut to 280 characters 2,000 times; `-- --file draft.txt 2000` analyses the
//! text of a file instead (e.g. the benchmark's drafts, to count instructions per call:
//! run twice with different counts under callgrind and divide the difference).
use preflight_core::{Context, Engine};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let file_mode = args.first().map(String::as_str) == Some("--file");
    let (text, iters): (String, usize) = match args.first().map(String::as_str) {
        Some("--file") => {
            let Some(path) = args.get(1) else {
                eprintln!("usage: profile --file PATH [ITERATIONS]");
                std::process::exit(2);
            };
            let text = match std::fs::read_to_string(path) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("{path}: {e}");
                    std::process::exit(1);
                }
            };
            (
                text,
                args.get(2).and_then(|a| a.parse().ok()).unwrap_or(1000),
            )
        }
        _ => {
            let len: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(280);
            let sample = "Proud of our team at the regional office: we shipped the new permit portal today, \
after months of user research with small businesses. Join the webinar Thursday to see how it works! \
Questions? Email permits@example.gov or call 202-555-0143. #OpenGov #CivicTech https://example.gov/permits ";
            let text: String = sample.chars().cycle().take(len).collect();
            (
                text,
                args.get(1).and_then(|a| a.parse().ok()).unwrap_or(1000),
            )
        }
    };
    let engine = match Engine::default_bundle() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    // A file is analysed with the context of scripts/bench-wasm.mjs (`local_time` aside).
    let ctx = Context {
        site: Some("x.com".into()),
        account: Some("@jane".into()),
        ..Default::default()
    };
    let ctx = if file_mode {
        Context {
            site: Some("x".into()),
            account: Some("@jane_personal".into()),
            ..ctx
        }
    } else {
        ctx
    };
    let start = std::time::Instant::now();
    let mut findings = 0;
    for _ in 0..iters {
        findings += engine
            .analyze(&text, &ctx)
            .map(|a| a.findings.len())
            .unwrap_or(0);
    }
    let per = start.elapsed() / iters.max(1) as u32;
    let chars = text.chars().count();
    println!("{chars} chars: {per:?} per analyze ({findings} findings in total)");
}
