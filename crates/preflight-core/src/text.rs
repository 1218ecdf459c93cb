//! Text pipeline: normalisation, segmentation, lower-casing and Snowball stems.
//!
//! Hashtags, @mentions, URLs, e-mail addresses, numbers and emoji stay whole. A hashtag is
//! followed in the token stream by its words (`#ClimateAction` → `#climateaction`, `climate`,
//! `action`, both parts marked [`Token::in_hashtag`]), so phrase rules see the words it hides.
//! Every token keeps the byte span of its text in the original draft.

use std::ops::Range;
use std::rc::Rc;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
#[cfg(feature = "nfkc")]
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

use crate::Error;

mod special;

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

/// One token of a draft (`'a`: the draft).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    pub kind: TokenKind,
    /// Byte span in the original text.
    pub span: Range<usize>,
    /// NFKC-normalised, lower-cased text (typographic apostrophes folded to `'`).
    pub norm: TokenText<'a>,
    /// Snowball stem of `norm` for words; `norm` itself for every other kind.
    pub stem: TokenText<'a>,
    /// A word produced by splitting the hashtag just before it.
    pub in_hashtag: bool,
}

/// The text of a token, read like a `&str` (`as_str`, `Deref`, comparisons with strings).
///
/// Most of it needs no allocation of its own: a word already in lower case is borrowed from
/// the draft, and a stem is shared with the per-thread stem cache. Tokenising is half of an
/// `analyze` call, and two allocations per token were a large part of it.
#[derive(Clone)]
pub struct TokenText<'a>(Repr<'a>);

#[derive(Clone)]
enum Repr<'a> {
    Draft(&'a str),
    Shared(Rc<str>),
    Owned(String),
}

impl<'a> TokenText<'a> {
    /// The text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Draft(s) => s,
            Repr::Shared(s) => s,
            Repr::Owned(s) => s,
        }
    }

    /// The text as an owned `String`.
    pub fn into_string(self) -> String {
        match self.0 {
            Repr::Owned(s) => s,
            _ => self.as_str().to_string(),
        }
    }
}

impl std::ops::Deref for TokenText<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for TokenText<'_> {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl<'a> From<&'a str> for TokenText<'a> {
    fn from(s: &'a str) -> Self {
        TokenText(Repr::Draft(s))
    }
}

impl From<String> for TokenText<'_> {
    fn from(s: String) -> Self {
        TokenText(Repr::Owned(s))
    }
}

impl From<Rc<str>> for TokenText<'_> {
    fn from(s: Rc<str>) -> Self {
        TokenText(Repr::Shared(s))
    }
}

impl PartialEq for TokenText<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for TokenText<'_> {}

impl std::hash::Hash for TokenText<'_> {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.as_str().hash(h);
    }
}

impl PartialEq<str> for TokenText<'_> {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for TokenText<'_> {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for TokenText<'_> {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl std::fmt::Debug for TokenText<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for TokenText<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Tokenizer for one language (Snowball stemmer chosen by ISO 639-1 code).
pub struct Tokenizer {
    stemmer: Stemmer,
    /// Index of the Snowball algorithm (the stem cache is shared by every tokenizer).
    algorithm: u8,
    language: String,
}

/// Most words memoised per thread before the stem cache starts over.
const STEM_CACHE_MAX: usize = 20_000;

/// Memoised stems of one Snowball algorithm, shared with the tokens that use them.
#[derive(Default)]
struct StemCache {
    algorithm: u8,
    stems: rustc_hash::FxHashMap<Box<str>, Rc<str>>,
}

thread_local! {
    static STEMS: std::cell::RefCell<StemCache> = std::cell::RefCell::new(StemCache::default());
}

impl std::fmt::Debug for Tokenizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokenizer")
            .field("language", &self.language)
            .finish()
    }
}

/// The Snowball algorithm for `lang`: every language rust-stemmers has with the
/// `all-languages` feature (the default; the native CLI), English alone without it (the
/// WebAssembly build, whose size matters, and whose default bundle is English).
fn algorithm(lang: &str) -> Option<Algorithm> {
    let base = lang
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    #[cfg(not(feature = "all-languages"))]
    return (base == "en").then_some(Algorithm::English);
    #[cfg(feature = "all-languages")]
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

/// The stemmer of `alg`. Without `all-languages` only English is ever created, named as a
/// constant so the linker drops the other 17 Snowball stemmers and their tables.
fn stemmer(alg: Algorithm) -> Stemmer {
    #[cfg(not(feature = "all-languages"))]
    {
        debug_assert!(matches!(alg, Algorithm::English));
        Stemmer::create(Algorithm::English)
    }
    #[cfg(feature = "all-languages")]
    Stemmer::create(alg)
}

/// NFKC supplied by the host in builds without the `nfkc` feature (see [`set_host_nfkc`]).
#[cfg_attr(feature = "nfkc", allow(dead_code))]
static HOST_NFKC: OnceLock<fn(&str) -> String> = OnceLock::new();

/// Register the host's Unicode NFKC normalisation, for builds without the `nfkc` feature:
/// the WebAssembly engine leaves out unicode-normalization's tables (~60 KB gzip) and uses
/// the JavaScript engine's `String.prototype.normalize("NFKC")` instead. `nfkc` is called
/// with non-ASCII text only. The first registration wins (returns `false` afterwards).
/// With the `nfkc` feature (the default) the built-in normalisation is used and this has
/// no effect; without either, text is only lower-cased.
pub fn set_host_nfkc(nfkc: fn(&str) -> String) -> bool {
    HOST_NFKC.set(nfkc).is_ok()
}

/// Whether [`special::special_tokens`] may find anything in `s`: every alternative needs `@`, a hash sign, `://`,
/// `www.` or a dot followed by one of the domain endings. Most drafts and nearly every phrase
/// term have none, and skip the scan.
pub(crate) fn may_hold_special(s: &str) -> bool {
    // Only these bytes can start a special token: a table skips the rest cheaply.
    static SIGNIFICANT: [bool; 256] = {
        let mut t = [false; 256];
        t[b'@' as usize] = true;
        t[b'#' as usize] = true;
        t[0xEF] = true;
        t[b':' as usize] = true;
        t[b'.' as usize] = true;
        t
    };
    let b = s.as_bytes();
    b.iter()
        .enumerate()
        .any(|(i, &c)| SIGNIFICANT[usize::from(c)] && may_start_special(b, i))
}

/// Whether a special token may start at the significant byte `b[i]` (see [`may_hold_special`]).
/// Not inlined: inlined into the byte loop, it made V8's optimising compile of the loop's
/// caller cost about 50 M instructions more while the bundle compiles (WebAssembly cold start).
#[inline(never)]
fn may_start_special(b: &[u8], i: usize) -> bool {
    // `(?i)` is Unicode case folding: `us` also matches `uſ` (long s).
    const ENDINGS: [&[u8]; 15] = [
        b"gov",
        b"mil",
        b"com",
        b"org",
        b"net",
        b"edu",
        b"io",
        b"us",
        b"ly",
        b"co",
        b"me",
        b"info",
        b"app",
        b"dev",
        "u\u{17f}".as_bytes(),
    ];
    match b[i] {
        b'@' | b'#' => true,
        // '＃' is EF BC 83.
        0xEF => b[i..].starts_with("＃".as_bytes()),
        b':' => b[i..].starts_with(b"://"),
        b'.' => {
            let rest = &b[i + 1..];
            (i >= 3 && b[i - 3..i].eq_ignore_ascii_case(b"www"))
                || (rest.first().is_some_and(|c| c.is_ascii_alphabetic())
                    && ENDINGS
                        .iter()
                        .any(|e| rest.len() >= e.len() && rest[..e.len()].eq_ignore_ascii_case(e)))
        }
        _ => false,
    }
}

impl Tokenizer {
    /// A tokenizer for `language` (ISO 639-1, e.g. `en`, `en-US`).
    pub fn new(language: &str) -> Result<Self, Error> {
        let alg =
            algorithm(language).ok_or_else(|| Error::UnsupportedLanguage(language.to_string()))?;
        Ok(Self {
            stemmer: stemmer(alg),
            algorithm: alg as u8,
            language: language.to_string(),
        })
    }

    /// The language this tokenizer stems for.
    pub fn language(&self) -> &str {
        &self.language
    }

    /// Normalise one piece of text the way tokens are: NFKC, lower case, `’` → `'`.
    pub fn normalize(s: &str) -> String {
        Self::normalize_text(s).into_string()
    }

    /// [`Tokenizer::normalize`], borrowing `s` when it is its own normal form (ASCII without
    /// capitals, the common case).
    fn normalize_text(s: &str) -> TokenText<'_> {
        // NFKC leaves ASCII alone, and only non-ASCII apostrophes are folded.
        if s.is_ascii() {
            if s.bytes().any(|b| b.is_ascii_uppercase()) {
                return s.to_ascii_lowercase().into();
            }
            return s.into();
        }
        Self::normalize_unicode(s).into()
    }

    fn normalize_unicode(s: &str) -> String {
        #[cfg(feature = "nfkc")]
        let chars = s.nfkc();
        #[cfg(not(feature = "nfkc"))]
        let host = HOST_NFKC
            .get()
            .map_or_else(|| s.to_string(), |nfkc| nfkc(s));
        #[cfg(not(feature = "nfkc"))]
        let chars = host.chars();
        chars
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
    ///
    /// Stems are memoised per thread: a draft is analysed again on every pause in typing, so
    /// nearly every word has been stemmed before.
    pub fn stem_word(&self, norm: &str) -> String {
        self.stem_shared(norm).to_string()
    }

    /// [`Tokenizer::stem_word`], shared with the stem cache (no allocation once cached).
    fn stem_shared(&self, norm: &str) -> Rc<str> {
        // Possessive "'s" is dropped before stemming so "agency's" meets "agency".
        let w = norm.strip_suffix("'s").unwrap_or(norm);
        STEMS.with(|cache| {
            let mut cache = cache.borrow_mut();
            if cache.algorithm != self.algorithm {
                cache.stems.clear();
                cache.algorithm = self.algorithm;
            }
            if let Some(stem) = cache.stems.get(w) {
                return Rc::clone(stem);
            }
            let stem: Rc<str> = self.stemmer.stem(w).into();
            if cache.stems.len() >= STEM_CACHE_MAX {
                cache.stems.clear();
            }
            cache.stems.insert(w.into(), Rc::clone(&stem));
            stem
        })
    }

    /// Split `text` into tokens.
    pub fn tokenize<'a>(&self, text: &'a str) -> Vec<Token<'a>> {
        let mut out = Vec::with_capacity(text.len() / 5 + 1);
        if !may_hold_special(text) {
            self.words(text, 0..text.len(), &mut out);
            return out;
        }
        let mut pos = 0;
        for m in special::special_tokens(text) {
            let kind = special_kind(&text[m.clone()]);
            let mut start = m.start;
            // Mentions and hashtags may have matched one leading boundary character.
            if matches!(kind, TokenKind::Mention | TokenKind::Hashtag) {
                let lead = &text[m.clone()];
                let sigil = lead.find(['@', '#', '＃']).unwrap_or(0);
                start += sigil;
            }
            let mut end = m.end;
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
            let norm = Self::normalize_text(raw);
            match kind {
                TokenKind::Hashtag => {
                    let body = norm.trim_start_matches(['#', '＃']).to_string();
                    out.push(Token {
                        kind,
                        span: start..end,
                        stem: body.into(),
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

    fn words<'a>(&self, text: &'a str, range: Range<usize>, out: &mut Vec<Token<'a>>) {
        // Unicode word segmentation looks each character up in its tables. It always breaks
        // around a single space between two other ASCII characters, and no rule looks across
        // one, so the text is cut after such spaces into chunks: ASCII chunks (most words of
        // most drafts, even non-English ones with a few accents) take the table-free path.
        // A test checks the result against segmenting the whole piece.
        if text[range.clone()].is_ascii() {
            self.chunk(text, range, true, out);
            return;
        }
        // Only the chunks holding a non-ASCII byte need the tables; the ASCII chunks between
        // two of them are read in one go (no rule joins across a cut, so that is the same).
        let b = text.as_bytes();
        let plain = |c: u8| c.is_ascii() && !c.is_ascii_whitespace();
        let cut = |p: usize| {
            b[p] == b' '
                && p > range.start
                && p + 1 < range.end
                && plain(b[p - 1])
                && plain(b[p + 1])
        };
        let mut ascii_from = range.start;
        while let Some(off) = b[ascii_from..range.end].iter().position(|c| !c.is_ascii()) {
            let q = ascii_from + off;
            // The chunk holding `q`: after the last cut before it, through the first after it.
            let mut start = q;
            while start > ascii_from && !cut(start - 1) {
                start -= 1;
            }
            let mut end = q + 1;
            while end < range.end && !cut(end) {
                end += 1;
            }
            let end = (end + 1).min(range.end);
            if start > ascii_from {
                self.chunk(text, ascii_from..start, true, out);
            }
            self.chunk(text, start..end, false, out);
            ascii_from = end;
        }
        if ascii_from < range.end {
            self.chunk(text, ascii_from..range.end, true, out);
        }
    }

    /// The words of `text[range]`; `ascii`: it is all ASCII.
    fn chunk<'a>(&self, text: &'a str, range: Range<usize>, ascii: bool, out: &mut Vec<Token<'a>>) {
        if ascii {
            for seg in ascii_words(&text[range.clone()]) {
                let span = range.start + seg.start..range.start + seg.end;
                self.push_ascii_word(&text[span.clone()], span, out);
            }
        } else {
            self.uax29_words(text, range, out);
        }
    }

    /// The words of `text[range]` by Unicode word segmentation (UAX #29), and its emoji.
    fn uax29_words<'a>(&self, text: &'a str, range: Range<usize>, out: &mut Vec<Token<'a>>) {
        let piece = &text[range.clone()];
        for (off, seg) in piece.split_word_bound_indices() {
            let start = range.start + off;
            let span = start..start + seg.len();
            let first = match seg.chars().next() {
                Some(c) => c,
                None => continue,
            };
            if seg.chars().any(char::is_alphanumeric) {
                self.push_word(seg, span, out);
            } else if is_emoji(first) {
                out.push(Token {
                    kind: TokenKind::Emoji,
                    span,
                    stem: seg.into(),
                    norm: seg.into(),
                    in_hashtag: false,
                });
            }
        }
    }

    /// Push one word segment as a word or number token.
    fn push_word<'a>(&self, seg: &'a str, span: Range<usize>, out: &mut Vec<Token<'a>>) {
        let norm = Self::normalize_text(seg);
        let numeric = seg
            .bytes()
            .all(|c| ASCII_CLASS[usize::from(c)] & NUMERIC != 0);
        self.push_normalized(norm, numeric, span, out);
    }

    /// [`Tokenizer::push_word`] for an ASCII word: one pass over its bytes finds whether it is
    /// a number and whether it needs lower-casing.
    fn push_ascii_word<'a>(&self, seg: &'a str, span: Range<usize>, out: &mut Vec<Token<'a>>) {
        let (mut upper, mut numeric) = (false, true);
        for &c in seg.as_bytes() {
            let class = ASCII_CLASS[usize::from(c)];
            upper |= class & UPPER != 0;
            numeric &= class & NUMERIC != 0;
        }
        let norm: TokenText<'a> = if upper {
            seg.to_ascii_lowercase().into()
        } else {
            seg.into()
        };
        self.push_normalized(norm, numeric, span, out);
    }

    /// Push a word segment already normalised: a number keeps its text as its stem.
    fn push_normalized<'a>(
        &self,
        norm: TokenText<'a>,
        numeric: bool,
        span: Range<usize>,
        out: &mut Vec<Token<'a>>,
    ) {
        let (kind, stem) = if numeric {
            (TokenKind::Number, norm.clone())
        } else {
            (TokenKind::Word, self.stem_shared(&norm).into())
        };
        out.push(Token {
            kind,
            span,
            norm,
            stem,
            in_hashtag: false,
        });
    }

    /// Words hidden in a hashtag body: CamelCase humps, digit runs and underscores.
    fn hashtag_parts<'a>(&self, text: &'a str, range: Range<usize>, out: &mut Vec<Token<'a>>) {
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
            let norm = Self::normalize_text(&text[span.clone()]);
            let (kind, stem) = if norm.chars().all(|c| c.is_ascii_digit()) {
                (TokenKind::Number, norm.clone())
            } else {
                (TokenKind::Word, self.stem_shared(&norm).into())
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

/// Word segments of ASCII text, as Unicode word segmentation (UAX #29) finds them, without
/// its tables: letters and digits join each other and `_`; `'`, `.` and `:` join two letters;
/// `.`, `,`, `'` and `;` join two digits. A test checks it against `unicode-segmentation`.
fn ascii_words(s: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let b = s.as_bytes();
    let class = |i: usize| ASCII_CLASS[usize::from(b[i])];
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() && class(i) & WORD == 0 {
            i += 1;
        }
        if i >= b.len() {
            return None;
        }
        let start = i;
        let mut underscores_only = b[i] == b'_';
        i += 1;
        while i < b.len() {
            let c = b[i];
            if class(i) & WORD != 0 {
                underscores_only &= c == b'_';
                i += 1;
                continue;
            }
            let (prev, next) = (b[i - 1], b.get(i + 1).copied().unwrap_or(b' '));
            let joins = match c {
                b'\'' | b'.' => {
                    (prev.is_ascii_alphabetic() && next.is_ascii_alphabetic())
                        || (prev.is_ascii_digit() && next.is_ascii_digit())
                }
                b':' => prev.is_ascii_alphabetic() && next.is_ascii_alphabetic(),
                b',' | b';' => prev.is_ascii_digit() && next.is_ascii_digit(),
                _ => false,
            };
            if joins {
                underscores_only = false;
                i += 2;
            } else {
                break;
            }
        }
        // A lone run of underscores is not a word.
        if underscores_only {
            return Some(start..start);
        }
        Some(start..i)
    })
    .filter(|r| !r.is_empty())
}

/// Classes of ASCII bytes for [`ascii_words`] and [`Tokenizer::push_ascii_word`]: letters,
/// digits and `_` make words; upper-case letters need lower-casing; digits and `.,'_` can
/// make a number.
const WORD: u8 = 1;
const UPPER: u8 = 2;
const NUMERIC: u8 = 4;
static ASCII_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        if b.is_ascii_alphanumeric() || b == b'_' {
            t[c] |= WORD;
        }
        if b.is_ascii_uppercase() {
            t[c] |= UPPER;
        }
        if b.is_ascii_digit() || matches!(b, b'.' | b',' | b'\'' | b'_') {
            t[c] |= NUMERIC;
        }
        c += 1;
    }
    t
};

/// Which alternative of [`special::special_tokens`] produced `m`. The alternatives are tried in order
/// (URL, e-mail, mention, hashtag), and only mentions and hashtags may start with one
/// non-word boundary character, so the kind can be read off the match itself: much cheaper
/// than capture groups on every keystroke.
fn special_kind(m: &str) -> TokenKind {
    let lower_starts =
        |p: &str| m.len() >= p.len() && m.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes());
    if m.contains("://") || lower_starts("www.") {
        return TokenKind::Url;
    }
    let mut chars = m.chars();
    let first = chars.next().unwrap_or(' ');
    let sigil = match first {
        '@' | '#' | '＃' => Some(first),
        c if !(c.is_alphanumeric() || c == '_') => {
            chars.next().filter(|c| matches!(c, '@' | '#' | '＃'))
        }
        _ => None,
    };
    match sigil {
        Some('@') => TokenKind::Mention,
        Some(_) => TokenKind::Hashtag,
        None if m.contains('@') => TokenKind::Email,
        None => TokenKind::Url,
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
                    k.norm.as_str(),
                    "span/norm mismatch"
                );
                (k.kind, k.norm.into_string(), k.stem.into_string())
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
        // French where the build carries every stemmer; the WebAssembly build stems English only.
        let lang = if cfg!(feature = "all-languages") {
            "fr"
        } else {
            "en"
        };
        let tk = Tokenizer::new(lang).unwrap();
        for tok in tk.tokenize(s) {
            assert!(s.is_char_boundary(tok.span.start) && s.is_char_boundary(tok.span.end));
        }
        assert!(!tk.tokenize(s).is_empty());
    }

    #[test]
    fn ascii_fast_path_agrees_with_unicode_segmentation() {
        let alphabet = b"ab Z09_'.,:;-!?()\n\t\"/$%&*+=";
        let mut rng = crate::testing::Rng(0x2545_f491);
        let mut next = || rng.next();
        let mut cases: Vec<String> = vec![
            "don't stop U.S. e.g. 3.14 1,000 a:b covid19 snake_case _ __ x1.2 o'clock end.".into(),
            "It's 5:30 p.m. -- call 202.555.0143; rate 4.5% (est.)".into(),
        ];
        for _ in 0..3000 {
            let len = (next() % 24) as usize;
            cases.push(
                (0..len)
                    .map(|_| alphabet[(next() as usize) % alphabet.len()] as char)
                    .collect(),
            );
        }
        for case in cases {
            let fast: Vec<&str> = ascii_words(&case).map(|r| &case[r]).collect();
            let uax: Vec<&str> = case
                .split_word_bound_indices()
                .map(|(_, w)| w)
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .collect();
            assert_eq!(fast, uax, "segmenting {case:?}");
        }
    }

    /// Cutting a piece into chunks at single spaces between ASCII characters gives the
    /// tokens that segmenting the whole piece gives.
    #[test]
    fn chunked_segmentation_matches_segmenting_the_whole_piece() {
        let t = Tokenizer::new("en").unwrap();
        let pieces = [
            "a",
            "word",
            "don't",
            "U.S.",
            "3.14",
            "1,000",
            "x_y",
            " ",
            "  ",
            "\t",
            "\n",
            ".",
            ",",
            "'",
            ":",
            "#",
            "*",
            "-",
            "é",
            "café",
            "naïve",
            "\u{301}",
            "e\u{301}",
            "\u{200D}",
            "\u{FE0F}",
            "\u{93E}",
            "\u{345}",
            "1\u{FE0F}\u{20E3}",
            "😀",
            "👩\u{200D}💻",
            "🇺🇸",
            "🇺",
            "日本語",
            "の",
            "مرحبا",
            "שלום",
            "\u{3000}",
            "\u{A0}",
            "Ωμέγα",
            "ß",
            "İ",
            "\u{2019}",
            "©",
            "™",
        ];
        let mut rng = crate::testing::Rng(0x2545_f491);
        for _ in 0..20_000 {
            rng.next();
            let text = rng.string(&pieces, 14);
            let mut chunked = Vec::new();
            t.words(&text, 0..text.len(), &mut chunked);
            let mut whole = Vec::new();
            t.uax29_words(&text, 0..text.len(), &mut whole);
            assert_eq!(chunked, whole, "{text:?}");
        }
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
        // Fullwidth letters need NFKC: built in with the `nfkc` feature, from the host otherwise
        // (the WebAssembly build registers JavaScript's; the Node tests check that path).
        if cfg!(feature = "nfkc") {
            assert_eq!(Tokenizer::normalize("ＡＢＣ’s"), "abc's");
        }
    }

    /// Wherever the special-token regex matches, the cheap test says it may.
    #[test]
    fn may_hold_special_never_misses_a_match() {
        let pieces = [
            "a", "B", "1", " ", ".", ":", "/", "@", "#", "＃", "w", "W", "gov", "Com", "io", "us",
            "me", "info", "app", "dev", "ly", "co", "org", "net", "edu", "mil", "http", "s", "_",
            "-", "é", "日", "\n", "'", "u\u{17f}", "\u{17f}", "\u{212a}",
        ];
        let mut rng = crate::testing::Rng(0x1234_5678);
        for _ in 0..20_000 {
            let s = rng.string(&pieces, 7);
            if !special::special_tokens(&s).is_empty() {
                assert!(may_hold_special(&s), "{s:?}");
            }
        }
        for s in [
            "see www.example.org",
            "x.gov",
            "a@b.co",
            "#tag",
            "＃タグ",
            "http://x",
        ] {
            assert!(may_hold_special(s), "{s}");
        }
        for s in ["Views are my own.", "U.S.", "e.g. this", "5:30 p.m."] {
            assert!(!may_hold_special(s), "{s}");
        }
    }

    #[test]
    fn unknown_language_is_an_error() {
        assert!(matches!(
            Tokenizer::new("xx"),
            Err(Error::UnsupportedLanguage(_))
        ));
    }
}
