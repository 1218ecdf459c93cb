//! Compact forms of the two large texts the engine embeds (they go into the WebAssembly
//! module, whose size matters; see docs/BENCHMARKS.md "Size"):
//!
//! - `default-bundle.min.json`: `model/default-bundle.json` without the whitespace between
//!   tokens (same JSON value, ~22% smaller);
//! - `words_en.fc`: the word list of `src/detectors/words_en.txt` (comments dropped), front
//!   coded: each word is one byte giving how many leading letters it shares with the word
//!   before it (0–31, below any letter) followed by its remaining letters. The list is
//!   sorted, so this is 2.5× smaller than the text and gzips to ~60% of it.
//!
//! The sources stay readable in the repository; the decoding is tested in
//! `detectors::accessibility`.

use std::{env, fs, path::Path};

fn main() {
    let out = env::var("OUT_DIR").expect("OUT_DIR");
    let bundle = "../../model/default-bundle.json";
    let words = "src/detectors/words_en.txt";
    println!("cargo:rerun-if-changed={bundle}");
    println!("cargo:rerun-if-changed={words}");

    let text = fs::read_to_string(bundle).expect("read model/default-bundle.json");
    fs::write(
        Path::new(&out).join("default-bundle.min.json"),
        minify(&text),
    )
    .expect("write the minified bundle");

    let text = fs::read_to_string(words).expect("read words_en.txt");
    fs::write(Path::new(&out).join("words_en.fc"), front_code(&text))
        .expect("write the coded word list");
}

/// JSON text without insignificant whitespace (spaces, tabs and newlines outside strings).
fn minify(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in json.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            in_string = c == '"';
            out.push(c);
        }
    }
    out
}

/// Front-coded word list (see the module comment). Panics (failing the build) on a line that
/// is not a lower-case ASCII word of at most 31 letters or breaks the sorted order.
fn front_code(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() / 2);
    let mut prev: &[u8] = b"";
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let word = line.as_bytes();
        assert!(
            word.len() < 32 && word.iter().all(u8::is_ascii_lowercase),
            "words_en.txt: {line:?} is not a lower-case ASCII word of at most 31 letters"
        );
        assert!(prev < word, "words_en.txt: {line:?} is out of order");
        let shared = prev.iter().zip(word).take_while(|(a, b)| a == b).count();
        out.push(shared as u8);
        out.extend_from_slice(&word[shared..]);
        prev = word;
    }
    out
}
