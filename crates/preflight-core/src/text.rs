//! Text pipeline: normalisation, segmentation, lower-casing and Snowball stems.
//!
//! Hashtags, @mentions, URLs, e-mail addresses, numbers and emoji stay whole. A hashtag is
//! followed in the token stream by its words (`#ClimateAction` → `#climateaction`, `climate`,
//! `action`, both parts marked [`Token::in_hashtag`]), so phrase rules see the words it hides.
//! Every token keeps the byte span of its text in the original draft.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;
use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

use crate::Error;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    Word,
    Number,
    Hashtag,
    Mention,
    Url,
    Email,
    Emoji,
}

/// One token of a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    /// Byte span in the original text.
    pub span: Range<usize>,
    /// NFKC-normalised, lower-cased text (typographic apostrophes folded to `'`).
    pub norm: String,
    /// Snowball stem of `norm` for words; `norm` itself for every other kind.
    pub stem: String,
    /// A word produced by splitting the hashtag just before it.
    pub in_hashtag: bool,
}

/// Tokenizer for one language (Snowball stemmer chosen by ISO 639-1 code).
pub struct Tokenizer {
    stemmer: Stemmer,
    language: String,
}

impl std::fmt::Debug for Tokenizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokenizer")
            .field("language", &self.language)
            .finish()
    }
}

fn algorithm(lang: &str) -> Option<Algorithm> {
    let base = lang
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    Some(match base.as_str() {
        "ar" => Algorithm::Arabic,
        "da" => Algorithm::Danish,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "en" => Algorithm::English,
        "es" => Algorithm::Spanish,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "hu" => Algorithm::Hungarian,
        "it" => Algorithm::Italian,
        "nl" => Algorithm::Dutch,
        "no" | "nb" | "nn" => Algorithm::Norwegian,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "sv" => Algorithm::Swedish,
        "ta" => Algorithm::Tamil,
        "tr" => Algorithm::Turkish,
        _ => return None,
    })
}

/// URLs, e-mail addresses, @mentions and hashtags, found before word segmentation.
fn special_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"(?P<url>(?i:https?://|www\.)[^\s<>\x22]+",
            r"|(?-u:\b)(?i:[a-z0-9-]+\.)+(?i:gov|mil|com|org|net|edu|io|us|ly|co|me|info|app|dev)(?:/[^\s<>\x22]*)?)",
            r"|(?P<email>[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})",
            r"|(?P<mention>(?:^|[^\w@])@[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?)",
            r"|(?P<hashtag>(?:^|[^\w#&])[#＃][\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*)",
        ))
        .expect("static regex")
    })
}

impl Tokenizer {
    /// A tokenizer for `language` (ISO 639-1, e.g. `en`, `en-US`).
    pub fn new(language: &str) -> Result<Self, Error> {
        let alg =
            algorithm(language).ok_or_else(|| Error::UnsupportedLanguage(language.to_string()))?;
        Ok(Self {
            stemmer: Stemmer::create(alg),
            language: language.to_string(),
        })
    }

    /// The language this tokenizer stems for.
    pub fn language(&self) -> &str {
        &self.language
    }

    /// Normalise one piece of text the way tokens are: NFKC, lower case, `’` → `'`.
    pub fn normalize(s: &str) -> String {
        // ASCII is already NFKC and has no typographic apostrophes: only lower-case it.
        if s.is_ascii() {
            return s.to_ascii_lowercase();
        }
        s.nfkc()
            .flat_map(char::to_lowercase)
            .map(|c| {
                if matches!(c, '\u{2019}' | '\u{2018}' | '\u{02BC}') {
                    '\''
                } else {
                    c
                }
            })
            .collect()
    }

    /// Stem one already-normalised word.
    pub fn stem_word(&self, norm: &str) -> String {
        // Possessive "'s" is dropped before stemming so "agency's" meets "agency".
        let w = norm.strip_suffix("'s").unwrap_or(norm);
        self.stemmer.stem(w).into_owned()
    }

    /// Split `text` into tokens.
    pub fn tokenize(&self, text: &str) -> Vec<Token> {
        let mut out = Vec::with_capacity(text.len() / 5 + 1);
        let mut pos = 0;
        for caps in special_re().captures_iter(text) {
            let (kind, m) = if let Some(m) = caps.name("url") {
                (TokenKind::Url, m)
            } else if let Some(m) = caps.name("email") {
                (TokenKind::Email, m)
            } else if let Some(m) = caps.name("mention") {
                (TokenKind::Mention, m)
            } else if let Some(m) = caps.name("hashtag") {
                (TokenKind::Hashtag, m)
            } else {
                continue;
            };
            let mut start = m.start();
            // Mentions and hashtags may have matched one leading boundary character.
            if matches!(kind, TokenKind::Mention | TokenKind::Hashtag) {
                let lead = m.as_str();
                let sigil = lead.find(['@', '#', '＃']).unwrap_or(0);
                start += sigil;
            }
            let mut end = m.end();
            if kind == TokenKind::Url {
                // Trailing sentence punctuation is not part of a URL.
                let s = &text[start..end];
                let trimmed =
                    s.trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '\'', '’', ']']);
                end = start + trimmed.len();
                if end == start {
                    continue;
                }
            }
            if start > pos {
                self.words(text, pos..start, &mut out);
            }
            let raw = &text[start..end];
            let norm = Self::normalize(raw);
            match kind {
                TokenKind::Hashtag => {
                    let body = norm.trim_start_matches(['#', '＃']).to_string();
                    out.push(Token {
                        kind,
                        span: start..end,
                        stem: body.clone(),
                        norm,
                        in_hashtag: false,
                    });
                    let sigil_len = raw.chars().next().map_or(1, char::len_utf8);
                    self.hashtag_parts(text, start + sigil_len..end, &mut out);
                }
                _ => out.push(Token {
                    kind,
                    span: start..end,
                    stem: norm.clone(),
                    norm,
                    in_hashtag: false,
                }),
            }
            pos = end;
        }
        if pos < text.len() {
            self.words(text, pos..text.len(), &mut out);
        }
        out
    }

    fn words(&self, text: &str, range: Range<usize>, out: &mut Vec<Token>) {
        let piece = &text[range.clone()];
        for (off, seg) in piece.split_word_bound_indices() {
            let start = range.start + off;
            let span = start..start + seg.len();
            let first = match seg.chars().next() {
                Some(c) => c,
                None => continue,
            };
            if seg.chars().any(char::is_alphanumeric) {
                let norm = Self::normalize(seg);
                if seg
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '\'' | '_'))
                {
                    out.push(Token {
                        kind: TokenKind::Number,
                        span,
                        stem: norm.clone(),
                        norm,
                        in_hashtag: false,
                    });
                } else {
                    let stem = self.stem_word(&norm);
                    out.push(Token {
                        kind: TokenKind::Word,
                        span,
                        norm,
                        stem,
                        in_hashtag: false,
                    });
                }
            } else if is_emoji(first) {
                let norm = seg.to_string();
                out.push(Token {
                    kind: TokenKind::Emoji,
                    span,
                    stem: norm.clone(),
                    norm,
                    in_hashtag: false,
                });
            }
        }
    }

    /// Words hidden in a hashtag body: CamelCase humps, digit runs and underscores.
    fn hashtag_parts(&self, text: &str, range: Range<usize>, out: &mut Vec<Token>) {
        let body = &text[range.clone()];
        let chars: Vec<(usize, char)> = body.char_indices().collect();
        let mut parts: Vec<Range<usize>> = Vec::new();
        let mut start: Option<usize> = None;
        for (i, &(off, c)) in chars.iter().enumerate() {
            if c == '_' {
                if let Some(s) = start.take() {
                    parts.push(s..off);
                }
                continue;
            }
            let boundary = match (
                i.checked_sub(1).map(|p| chars[p].1),
                chars.get(i + 1).map(|n| n.1),
            ) {
                (Some(p), _) if p.is_lowercase() && c.is_uppercase() => true,
                (Some(p), Some(n)) if p.is_uppercase() && c.is_uppercase() && n.is_lowercase() => {
                    true
                }
                (Some(p), _) if p.is_alphabetic() != c.is_alphabetic() && p != '_' => true,
                _ => false,
            };
            if boundary {
                if let Some(s) = start.take() {
                    parts.push(s..off);
                }
            }
            if start.is_none() {
                start = Some(off);
            }
        }
        if let Some(s) = start {
            parts.push(s..body.len());
        }
        if parts.len() < 2 {
            return;
        }
        for p in parts {
            let span = range.start + p.start..range.start + p.end;
            let norm = Self::normalize(&text[span.clone()]);
            let (kind, stem) = if norm.chars().all(|c| c.is_ascii_digit()) {
                (TokenKind::Number, norm.clone())
            } else {
                (TokenKind::Word, self.stem_word(&norm))
            };
            out.push(Token {
                kind,
                span,
                norm,
                stem,
                in_hashtag: true,
            });
        }
    }
}

/// Pictographic characters (a cheap test on the first char of a grapheme-level segment).
pub(crate) fn is_emoji(c: char) -> bool {
    matches!(c as u32,
        0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF | 0x2190..=0x21FF
        | 0x2300..=0x23FF | 0x3030 | 0x303D | 0x3297 | 0x3299 | 0x00A9 | 0x00AE | 0x203C | 0x2049
        | 0x2122 | 0x2139)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<(TokenKind, String, String)> {
        let t = Tokenizer::new("en").unwrap();
        t.tokenize(s)
            .into_iter()
            .map(|k| {
                assert_eq!(
                    Tokenizer::normalize(&s[k.span.clone()]),
                    k.norm,
                    "span/norm mismatch"
                );
                (k.kind, k.norm, k.stem)
            })
            .collect()
    }

    #[test]
    fn keeps_special_tokens_whole() {
        let t = toks("Email jane.doe@agency.gov or @Press_Office, see https://www.agency.gov/news. #ClimateAction 2024 🎉");
        let kinds: Vec<_> = t.iter().map(|x| (x.0, x.1.as_str())).collect();
        assert!(kinds.contains(&(TokenKind::Email, "jane.doe@agency.gov")));
        assert!(kinds.contains(&(TokenKind::Mention, "@press_office")));
        assert!(kinds.contains(&(TokenKind::Url, "https://www.agency.gov/news")));
        assert!(kinds.contains(&(TokenKind::Hashtag, "#climateaction")));
        assert!(kinds.contains(&(TokenKind::Word, "climate")));
        assert!(kinds.contains(&(TokenKind::Word, "action")));
        assert!(kinds.contains(&(TokenKind::Number, "2024")));
        assert!(kinds.contains(&(TokenKind::Emoji, "🎉")));
    }

    #[test]
    fn stems_and_folds() {
        let t = toks("Running AGENCY’S programs");
        assert_eq!(t[0].2, "run");
        assert_eq!(t[1].1, "agency's");
        assert_eq!(t[1].2, "agenc");
        assert_eq!(t[2].2, "program");
    }

    #[test]
    fn hashtag_parts_split_camel_case_and_acronyms() {
        let t = toks("#NASAJobs #covid19 #stay_home");
        let words: Vec<_> = t
            .iter()
            .filter(|x| x.0 != TokenKind::Hashtag)
            .map(|x| x.1.as_str())
            .collect();
        assert_eq!(words, ["nasa", "jobs", "covid", "19", "stay", "home"]);
    }

    #[test]
    fn spans_survive_multibyte_text() {
        let s = "Ça va? 日本語 שלום e\u{301}cole 👩‍👩‍👧 fin";
        let tk = Tokenizer::new("fr").unwrap();
        for tok in tk.tokenize(s) {
            assert!(s.is_char_boundary(tok.span.start) && s.is_char_boundary(tok.span.end));
        }
        assert!(!tk.tokenize(s).is_empty());
    }

    #[test]
    fn bare_domains_after_non_ascii_text_and_ascii_fast_path() {
        // The domain alternative uses an ASCII word boundary (so the regex stays on its fast
        // lazy DFA on non-ASCII drafts): a domain right after CJK text is still found.
        let t = toks("見てexample.gov ok 😀 Visit data.gov.");
        let urls: Vec<_> = t
            .iter()
            .filter(|x| x.0 == TokenKind::Url)
            .map(|x| x.1.as_str())
            .collect();
        assert_eq!(urls, ["example.gov", "data.gov"]);
        assert_eq!(Tokenizer::normalize("HeLLo-World_42"), "hello-world_42");
        assert_eq!(Tokenizer::normalize("ＡＢＣ’s"), "abc's");
    }

    #[test]
    fn unknown_language_is_an_error() {
        assert!(matches!(
            Tokenizer::new("xx"),
            Err(Error::UnsupportedLanguage(_))
        ));
    }
}
