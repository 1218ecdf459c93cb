//! Scratch: per-detector and tokenizer timings on the bench drafts (not committed).
use preflight_core::{detectors, Context, Engine, Tokenizer};
use std::time::Instant;
fn main() {
    let posts: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string("bench/posts.json").unwrap()).unwrap();
    let texts: Vec<String> = posts
        .iter()
        .filter_map(|p| p["text"].as_str().map(String::from))
        .collect();
    let mut s = String::new();
    let mut i = 0;
    while s.chars().count() < 5000 {
        s.push_str(&texts[i % texts.len()]);
        s.push(' ');
        i += 1;
    }
    let d5000: String = s.chars().take(5000).collect();
    let ascii: String = d5000.chars().filter(|c| c.is_ascii()).collect();
    let tok = Tokenizer::new("en").unwrap();
    let engine = Engine::default_bundle().unwrap();
    const SAMPLE: &str = "Proud of our team at the regional office: we shipped the new permit portal today, after months of user research with small businesses. Join the webinar Thursday to see how it works! Questions? Email permits@example.gov or call 202-555-0143. #OpenGov #CivicTech https://example.gov/permits ";
    let mut crit = String::new();
    while crit.chars().count() < 5000 {
        crit.push_str(SAMPLE);
    }
    let crit: String = crit.chars().take(5000).collect();
    for (label, text) in [("5000", &d5000), ("ascii", &ascii), ("crit", &crit)] {
        let time = |f: &dyn Fn()| {
            for _ in 0..20 {
                f();
            }
            let t = Instant::now();
            for _ in 0..200 {
                f();
            }
            t.elapsed().as_secs_f64() * 1e6 / 200.0
        };
        println!(
            "{label} analyze {:.1} us",
            time(&|| {
                engine.analyze(text, &Context::default()).unwrap();
            })
        );
        println!(
            "{label} tokenize {:.1} us",
            time(&|| {
                tok.tokenize(text);
            })
        );
        for name in detectors::NAMES {
            println!(
                "{label} {name} {:.1} us",
                time(&|| {
                    detectors::detect(name, text);
                })
            );
        }
    }
}
