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
//!
//! `lexicon-digest.txt` is the same for the acts' lexicons (`src/acts/lexicons.txt`): one line
//! per section, in order, its terms' entries; `lexicons.min.txt` is that file
//! without comments, its section headers without their names (`[]`): the engine finds a
//! lexicon's section by its position.
//!
//! It also writes `phrase-digest.txt`, what loading the default bundle would otherwise compute
//! for most of its ~1,200 phrase terms (their Snowball stems): loading it is the cold start
//! of the WebAssembly engine, where every first run of code is slow. One line per rule of the
//! bundle, in order: an entry for each of its `terms`, then a tab, then those of its `except`
//! (entries separated by `|`). An entry has one code per word of the term, separated by a
//! space: empty when the compiled word is the word in lower case (its stem, a `#`/`@` word,
//! or the prefix of a wildcard word), a number n when the stem is that minus its last n
//! letters, or else the stem itself. A term with any other word (not ASCII letters, a
//! wildcard on letters, or a `#`/`@` word of ASCII letters, digits and `_`) is `?`: compiled
//! at load. `phrases::tests::default_bundle_digest_is_what_load_computes` checks every entry.

use std::{env, fs, path::Path};

fn main() {
    let out = env::var("OUT_DIR").expect("OUT_DIR");
    let bundle = "../../model/default-bundle.json";
    let words = "src/detectors/words_en.txt";
    let lexicons = "src/acts/lexicons.txt";
    println!("cargo:rerun-if-changed={bundle}");
    println!("cargo:rerun-if-changed={lexicons}");
    println!("cargo:rerun-if-changed={words}");

    let text = fs::read_to_string(bundle).expect("read model/default-bundle.json");
    // Without the `default-bundle-examples` feature (the WebAssembly build) the embedded copy
    // leaves out the rules' inline examples: they only serve `bundle test`, which admins run
    // with the CLI, and they are a quarter of the bundle.
    let embedded = if env::var_os("CARGO_FEATURE_DEFAULT_BUNDLE_EXAMPLES").is_some() {
        minify(&text)
    } else {
        without_examples(&minify(&text))
    };
    fs::write(Path::new(&out).join("default-bundle.min.json"), embedded)
        .expect("write the minified bundle");

    fs::write(
        Path::new(&out).join("phrase-digest.txt"),
        phrase_digest(&text),
    )
    .expect("write the phrase digest");

    let text = fs::read_to_string(lexicons).expect("read src/acts/lexicons.txt");
    // The engine embeds the lexicons without their comment lines, and their section headers
    // without the names (`[]`): it finds a section by its position.
    let bare: String = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| if l.starts_with('[') { "[]" } else { l })
        .flat_map(|l| [l, "\n"])
        .collect();
    fs::write(Path::new(&out).join("lexicons.min.txt"), bare).expect("write the lexicons");
    fs::write(
        Path::new(&out).join("lexicon-digest.txt"),
        lexicon_digest(&text),
    )
    .expect("write the lexicon digest");

    let text = fs::read_to_string(words).expect("read words_en.txt");
    fs::write(Path::new(&out).join("words_en.fc"), front_code(&text))
        .expect("write the coded word list");
}

/// Minified JSON without any `"examples":{...}` member (and its separating comma), in the
/// original order of everything else. Strings are skipped whole, so a draft that mentions
/// "examples" is untouched.
fn without_examples(json: &str) -> String {
    const KEY: &str = "\"examples\":{";
    let b = json.as_bytes();
    let mut out = String::with_capacity(json.len());
    let mut i = 0;
    let mut in_string = false;
    while i < b.len() {
        let c = b[i];
        if in_string {
            if c == b'\\' {
                // The escape and the (ASCII) character it escapes.
                out.push_str(&json[i..i + 2]);
                i += 2;
                continue;
            }
            if c == b'"' {
                in_string = false;
            }
            let ch = json[i..].chars().next().unwrap_or('\u{fffd}');
            out.push(ch);
            i += ch.len_utf8();
            continue;
        }
        if json[i..].starts_with(KEY) {
            // Skip the balanced object that follows.
            let mut j = i + KEY.len();
            let (mut depth, mut s, mut esc) = (1usize, false, false);
            while depth > 0 {
                let d = b[j];
                if s {
                    if esc {
                        esc = false;
                    } else if d == b'\\' {
                        esc = true;
                    } else if d == b'"' {
                        s = false;
                    }
                } else if d == b'"' {
                    s = true;
                } else if d == b'{' {
                    depth += 1;
                } else if d == b'}' {
                    depth -= 1;
                }
                j += 1;
            }
            if out.ends_with(',') {
                out.pop();
            } else if b.get(j) == Some(&b',') {
                j += 1;
            }
            i = j;
            continue;
        }
        if c == b'"' {
            in_string = true;
        }
        let ch = json[i..].chars().next().unwrap_or('\u{fffd}');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
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

/// The phrase digest of a bundle (see the module comment); empty when the bundle is not
/// English or not readable (the engine then compiles every term at load).
fn phrase_digest(json: &str) -> String {
    let Ok(bundle) = serde_json::from_str::<serde_json::Value>(json) else {
        return String::new();
    };
    if bundle["metadata"]["language"] != "en" {
        return String::new();
    }
    let stemmer = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
    let term = |t: &serde_json::Value| digest_term(&stemmer, t.as_str().unwrap_or(""));
    let list = |v: &serde_json::Value| -> String {
        let terms = v.as_array().map_or(&[][..], Vec::as_slice);
        terms.iter().map(term).collect::<Vec<_>>().join("|")
    };
    let mut out = String::new();
    for rule in bundle["rules"].as_array().map_or(&[][..], Vec::as_slice) {
        let p = &rule["match"]["phrases"];
        if p.is_object() {
            out.push_str(&list(&p["terms"]));
            out.push('\t');
            out.push_str(&list(&p["except"]));
        }
        out.push('\n');
    }
    out
}

/// The digest entry of one phrase term (see the module comment).
fn digest_term(stemmer: &rust_stemmers::Stemmer, t: &str) -> String {
    let mut codes = Vec::new();
    for w in t.split_whitespace() {
        let b = w.as_bytes();
        let lower = w.to_ascii_lowercase();
        let tail = |from: usize| {
            b.len() > from
                && b[from..]
                    .iter()
                    .all(|c| c.is_ascii_alphanumeric() || *c == b'_')
        };
        if b.iter().all(u8::is_ascii_alphabetic) {
            let stem = stemmer.stem(&lower);
            codes.push(if stem == lower {
                String::new()
            } else if lower.starts_with(stem.as_ref()) {
                (lower.len() - stem.len()).to_string()
            } else {
                stem.into_owned()
            });
        } else if (b.len() > 1
            && b[b.len() - 1] == b'*'
            && b[..b.len() - 1].iter().all(u8::is_ascii_alphabetic))
            || (matches!(b.first(), Some(b'#' | b'@')) && tail(1))
        {
            codes.push(String::new());
        } else {
            return "?".into();
        }
    }
    if codes.is_empty() {
        return "?".into();
    }
    codes.join(" ")
}

/// The digest of the acts' lexicons (`src/acts/lexicons.txt`): one line per section, its name,
/// a tab, and an entry per term (as in the phrase digest).
fn lexicon_digest(text: &str) -> String {
    let stemmer = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
    let mut out = String::new();
    for section in text.split("\n[").skip(1) {
        let (name, body) = section.split_once("]\n").unwrap_or((section, ""));
        let entries: Vec<String> = body
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|t| digest_term(&stemmer, t))
            .collect();
        // The engine finds a section's line by its position: the name is left out.
        let _ = name;
        out.push_str(&entries.join("|"));
        out.push('\n');
    }
    out
}
