//! Print the embedded abuse model's score of each argument (or each stdin line), with the
//! words that raised it most: `cargo run -q -p preflight-train --example abuse_score -- "text"`.

use preflight_core::abuse::embedded_model;
use preflight_core::Tokenizer;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let model = embedded_model()?;
    let tk = Tokenizer::new("en")?;
    let mut texts: Vec<String> = std::env::args().skip(1).collect();
    if texts.is_empty() {
        texts = std::io::stdin().lines().collect::<Result<_, _>>()?;
    }
    for t in texts {
        let toks = tk.tokenize(&t);
        let s = model.score(&toks);
        let words: Vec<&str> = model
            .strongest_tokens(&toks, 3)
            .into_iter()
            .map(|k| &t[toks[k].span.clone()])
            .collect();
        println!("{:.3}\t{:?}\t{t}", s.probability, words);
    }
    Ok(())
}
