//! Dev tool: per-feature contributions of a model for texts.
//! `cargo run --release -p preflight-train --example why -- MODEL TEXT...`
use preflight_core::classify::{
    eval::{with_input, Row},
    extract,
    features::DENSE_NAMES,
    UseModel,
};
use preflight_core::Tokenizer;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let m = UseModel::from_bytes(&std::fs::read(&args[1]).unwrap()).unwrap();
    let tk = Tokenizer::new("en").unwrap();
    for text in &args[2..] {
        let row = Row {
            id: None,
            text: text.clone(),
            label: None,
            source: None,
            split: None,
            site_kind: None,
            account_kind: None,
            reply: None,
            mentions_employer: None,
            context: None,
        };
        let tokens = tk.tokenize(text);
        let f = with_input(&tk, &row, extract);
        let z = m.logits(&f, &tokens);
        let p = m.probabilities(z);
        println!(
            "== {text}\n  p org/pro/per {:.2} {:.2} {:.2}  intercept {:?}",
            p[0], p[1], p[2], m.intercept
        );
        let mut items: Vec<(String, [f32; 3])> = Vec::new();
        for (i, v) in f.dense.iter().enumerate() {
            if *v != 0.0 {
                items.push((
                    format!("D:{}={v:.2}", DENSE_NAMES[i]),
                    m.dense[i].map(|w| w * v),
                ));
            }
        }
        for t in &f.terms {
            let w = m.bucket_weights(t.bucket).map(|w| w * f.term_value);
            let mut name = tokens[t.token].norm.to_string();
            if let Some(j) = t.second {
                name = format!("{name} {}", tokens[j].norm);
            }
            items.push((name, w));
        }
        let n = f
            .words
            .iter()
            .filter(|&&i| m.word_scores(&tokens[i as usize].norm).is_some())
            .count()
            .max(1) as f32;
        for &i in &f.words {
            let w = &tokens[i as usize].norm;
            if let Some(s) = m.word_scores(w) {
                items.push((format!("W:{w}"), s.map(|x| x / n)));
            }
        }
        items.sort_by(|a, b| {
            let s = |x: &[f32; 3]| (x[1] - x[2]).abs().max((x[0] - x[1]).abs());
            s(&b.1).partial_cmp(&s(&a.1)).unwrap()
        });
        for (n, w) in items {
            println!("  {:>+6.2} {:>+6.2} {:>+6.2}  {n}", w[0], w[1], w[2]);
        }
    }
}
