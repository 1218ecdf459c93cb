//! Native timings of the steps the WebAssembly build runs, to tell the engine's own cost from
//! the JavaScript boundary's: `cargo run --release -p preflight-wasm --example native_timing`.
use std::time::Instant;

use preflight_core::{Context, Engine, Tokenizer};

fn main() {
    let posts: Vec<serde_json::Value> = serde_json::from_str(
        &std::fs::read_to_string("bench/posts.json").expect("run from the repo root"),
    )
    .expect("posts.json");
    let texts: Vec<String> = posts
        .iter()
        .filter_map(|p| p["text"].as_str().map(String::from))
        .collect();
    let draft = |n: usize| -> String {
        let mut s = String::new();
        let mut i = 0;
        while s.chars().count() < n {
            s.push_str(&texts[i % texts.len()]);
            s.push(' ');
            i += 1;
        }
        s.chars().take(n).collect()
    };

    let t = Instant::now();
    let tok = Tokenizer::new("en").expect("en");
    tok.tokenize("warm up the static regex #Tag @user https://x.com");
    println!("tokenizer + first tokenize: {:?}", t.elapsed());
    let t = Instant::now();
    // `--bundle PATH` times another bundle (e.g. a variant of the default one).
    let args: Vec<String> = std::env::args().collect();
    let engine = match args.iter().position(|a| a == "--bundle") {
        Some(i) => {
            let path = args.get(i + 1).expect("--bundle PATH");
            let json = std::fs::read_to_string(path).expect("bundle file");
            Engine::from_json(&json).unwrap_or_else(|e| panic!("{path}: {e}"))
        }
        None => Engine::default_bundle().expect("default bundle"),
    };
    println!("Engine::default_bundle: {:?}", t.elapsed());
    if std::env::args().any(|a| a == "--compile-only") {
        // For profiling the bundle compilation alone.
        let t = Instant::now();
        for _ in 0..20 {
            std::hint::black_box(Engine::default_bundle().expect("default bundle"));
        }
        println!("Engine::default_bundle x20: {:?} each", t.elapsed() / 20);
        return;
    }

    let ctx = Context {
        site: Some("x".into()),
        account: Some("@jane".into()),
        ..Default::default()
    };
    // Minimum over batches: the machine is shared, the minimum is the least disturbed figure.
    let best = |iters: u32, f: &mut dyn FnMut()| {
        (0..25)
            .map(|_| {
                let t = Instant::now();
                for _ in 0..iters {
                    f();
                }
                t.elapsed() / iters
            })
            .min()
            .unwrap_or_default()
    };
    for n in [280, 1000, 5000, 20000] {
        let d = draft(n);
        let iters = if n > 5000 { 4 } else { 40 };
        let tk = best(iters, &mut || {
            std::hint::black_box(tok.tokenize(&d));
        });
        let an = best(iters, &mut || {
            let mut a = engine.analyze(&d, &ctx).expect("analyze");
            a.to_utf16(&d);
            std::hint::black_box(a);
        });
        println!("{n:>6} chars: analyze+to_utf16 {an:?}, of which tokenize {tk:?}");
    }
}
