//! The one feature extractor of the use classifier, shared by the trainer
//! (`preflight-train`) and by inference ([`super::assess`]).
//!
//! A draft becomes two groups of features:
//!
//! * **text**: binary presence of stem unigrams and bigrams, hashed (FNV-1a, 64-bit) into
//!   `2^HASH_BITS` buckets and L2-normalised, so a long post weighs no more than a short one.
//!   Only the first [`MAX_TOKENS`] tokens are read, for the text and the dense features alike
//!   (long LinkedIn articles would otherwise look unlike any draft, and every count would
//!   grow with length). Platform tokens are neutralised: every @mention is one `<mention>`
//!   term, function words (articles, prepositions, pronouns, auxiliaries: [`STOPWORDS`]) are
//!   left to the dense voice features rather than hashed, since their rates mark a source's
//!   register more than a use, URLs are dropped (one source of the training data has none at all, see
//!   `model/REPORT.md`), a leading retweet marker `RT` is dropped, e-mails and emoji
//!   are one term each, and numbers are no term at all (since v9: how often a source carries
//!   numbers is a trait of the source, see `extract`), though a number still separates the
//!   words on either side (no bigram across it);
//! * **words** (since v10): the window's word tokens, in order, for the model's static word
//!   embeddings. Each is looked up by [`embedding_key`] (the lower-cased word; a contraction
//!   by its first part, "don't" as "don", as the sentence model's WordPiece vocabulary splits
//!   it). The trainer averages the words' distilled embedding vectors; the shipped model
//!   stores each word's projection through the learned weights, so inference averages three
//!   numbers per word and computes exactly the same logits;
//! * **dense**, with readable names ([`DENSE_NAMES`]): voice (first person singular,
//!   institutional "we", "you", and the institutional voice: "our" + a work-side word, which
//!   the trainer does not learn but the mixed-voice blurred criterion counts), calls to action, questions, the employer named, work vs
//!   family and leisure vocabulary (the word categories of [`super::lexicons`]), density of hashtags / URLs / mentions, a coarse length
//!   bucket, and the optional context (site kind, account kind, reply).
//!
//! Bump [`FEATURE_VERSION`] whenever anything here changes what a text maps to: a model file
//! carries the version it was trained with and is refused by a different extractor.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

use super::{lexicons, UseInput};
use crate::{AccountKind, SiteKind, TokenKind};

/// Version of the mapping from a [`UseInput`] to features.
pub const FEATURE_VERSION: u32 = 10;
/// Hashed text features live in `0..2^HASH_BITS`.
pub const HASH_BITS: u8 = 16;
/// Number of hashed buckets.
pub const N_HASHED: usize = 1 << HASH_BITS;
/// Tokens read from the start of a draft (about 250–300 characters of prose): every feature,
/// dense ones included, is computed on this window, so a 3,000-character article and a
/// 280-character draft are read alike.
pub const MAX_TOKENS: usize = 50;

/// Words after "our" within which a work-side word (work or public-service vocabulary)
/// makes it the institutional voice (`institutional_voice`): one modifier may come between
/// ("our summer internships", "our branch chief").
pub const OUR_WINDOW: usize = 2;
/// Cap of the two voice counts read back by the mixed-voice criterion
/// (`first_person_singular`, `institutional_voice`): the dense value is `count.min(3) / 3`.
pub const VOICE_CAP: usize = 3;

/// Names of the dense features, in order. Stable identifiers used in the model file,
/// the trainer's `--mask` option and the report.
pub const DENSE_NAMES: [&str; N_DENSE] = [
    "first_person_singular",
    "institutional_we",
    "second_person",
    "call_to_action",
    "question",
    "employer_named",
    "work_vocab",
    "family_leisure_vocab",
    "hashtag_density",
    "url_density",
    "mention_density",
    "len_short",
    "len_medium",
    "len_long",
    "len_very_long",
    "site_professional",
    "site_general",
    "site_forum",
    "account_official",
    "account_personal",
    "reply",
    "public_service_vocab",
    "institutional_voice",
];
/// Number of dense features.
pub const N_DENSE: usize = 23;

/// Index of a dense feature by name.
pub const fn dense_index(name: &str) -> Option<usize> {
    let mut i = 0;
    while i < N_DENSE {
        if const_eq(DENSE_NAMES[i], name) {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// String equality usable in a `const fn`.
const fn const_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Index of a dense feature by name, resolved at compile time (a wrong name fails the build).
pub const fn dense_at(name: &str) -> usize {
    match dense_index(name) {
        Some(i) => i,
        None => panic!("no such dense feature"),
    }
}

/// Indices of the context features (site, account, reply): absent from text-only training
/// data, so their weights are set by the trainer from documented priors unless the data
/// carries context.
pub const CONTEXT_FEATURES: std::ops::Range<usize> = 15..21;

/// The card wording of each dense feature (what it means when it pushes towards a use).
pub const DENSE_SIGNALS: [&str; N_DENSE] = [
    "speaks as 'I'",
    "speaks as 'we'",
    "addresses the reader as 'you'",
    "calls to action",
    "asks a question",
    "names your agency",
    "work vocabulary",
    "family and leisure words",
    "hashtags",
    "links",
    "mentions other accounts",
    "short post",
    "medium-length post",
    "long post",
    "very long post",
    "posted on a professional network",
    "posted on a general social network",
    "posted in a forum",
    "posted from an official account",
    "posted from a personal account",
    "a reply to someone",
    "public-service vocabulary",
    "speaks for the office ('our' with a work word)",
];

/// One hashed text feature: its bucket and the token(s) it came from (for explanations).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    pub bucket: u32,
    /// Index of the (first) token in `UseInput::tokens`.
    pub token: usize,
    /// Index of the second token, for a bigram.
    pub second: Option<usize>,
}

/// The features of one draft.
#[derive(Debug, Clone, PartialEq)]
pub struct Features {
    /// Distinct hashed buckets (sorted by bucket), each first occurrence kept.
    pub terms: Vec<Term>,
    /// The value of every hashed bucket present (`1 / sqrt(terms.len())`).
    pub term_value: f32,
    /// Indices (into `UseInput::tokens`) of the window's word tokens, in reading order.
    pub words: Vec<u32>,
    pub dense: [f32; N_DENSE],
}

/// The key under which a word token is looked up in the word-embedding table: the
/// lower-cased word, a contraction by the part before its apostrophe ("don't" → "don",
/// "i'm" → "i"), as the sentence model's WordPiece vocabulary splits it.
pub fn embedding_key(norm: &str) -> &str {
    // A byte scan: words are short, and `'` is ASCII (never inside a multi-byte character).
    match norm.bytes().position(|b| b == b'\'') {
        Some(0) | None => norm,
        Some(i) => norm.get(..i).unwrap_or(norm),
    }
}

impl Features {
    /// Iterate `(feature index, value)` pairs: hashed buckets first, then dense features at
    /// `N_HASHED + i`. Zero dense features are skipped.
    pub fn iter(&self) -> impl Iterator<Item = (usize, f32)> + '_ {
        self.terms
            .iter()
            .map(move |t| (t.bucket as usize, self.term_value))
            .chain(
                self.dense
                    .iter()
                    .enumerate()
                    .filter(|(_, v)| **v != 0.0)
                    .map(|(i, v)| (N_HASHED + i, *v)),
            )
    }
}

pub(crate) const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a over `bytes`, continuing from `h` (shared with the abuse score's extractor).
pub(crate) fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

fn bucket(h: u64) -> u32 {
    // Fold the high bits in: FNV's low bits alone mix poorly.
    ((h ^ (h >> 29) ^ (h >> 47)) & (N_HASHED as u64 - 1)) as u32
}

/// FNV-1a as a `Hasher` for the lexicon tables (short keys; SipHash costs more than the rest
/// of the extractor).
#[derive(Default)]
pub(crate) struct FnvHasher(u64);

impl std::hash::Hasher for FnvHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0 = fnv(if self.0 == 0 { FNV_OFFSET } else { self.0 }, bytes);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type Fast = std::hash::BuildHasherDefault<FnvHasher>;

// Flags of a lower-cased word.
const F_STOP: u8 = 1;
const F_SING: u8 = 2;
const F_WE: u8 = 4;
const F_YOU: u8 = 8;
/// Second word of a two-word call to action.
const F_PAIR2: u8 = 16;
// Flags of a stem.
const S_CTA: u8 = 1;
const S_WORK: u8 = 2;
const S_SERVICE: u8 = 4;
const S_LEISURE: u8 = 8;

struct Lexicons {
    words: HashMap<&'static str, u8, Fast>,
    stems: HashMap<String, u8, Fast>,
    cta_pairs: HashSet<(&'static str, &'static str), Fast>,
}

/// Function words left out of the hashed terms (matched on the lower-cased word).
pub const STOPWORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "if", "so", "as", "of", "to", "in", "on", "at", "by",
    "for", "with", "from", "into", "about", "than", "then", "that", "this", "these", "those", "it",
    "its", "it's", "is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did",
    "have", "has", "had", "will", "would", "can", "could", "should", "shall", "may", "might",
    "must", "i", "me", "my", "mine", "myself", "we", "our", "us", "ours", "you", "your", "yours",
    "he", "him", "his", "she", "her", "hers", "they", "them", "their", "theirs", "what", "which",
    "who", "whom", "there", "here", "also", "just", "very", "too", "all", "any", "some", "such",
    "own", "same", "other", "up", "out", "over", "again", "i'm", "i've", "i'll", "i'd", "we're",
    "we've", "we'll", "you're", "you'll", "you've", "he's", "she's", "they're", "that's",
    "there's", "im", "ive",
];

const SINGULAR: &[&str] = &[
    "i", "me", "my", "mine", "myself", "i'm", "i've", "i'll", "i'd", "im", "ive",
];
const WE: &[&str] = &[
    "we",
    "our",
    "us",
    "ours",
    "ourselves",
    "we're",
    "we've",
    "we'll",
    "we'd",
];
const YOU: &[&str] = &[
    "you", "your", "yours", "yourself", "you're", "you'll", "you've",
];
/// Single words that ask the reader to act (stemmed at start-up).
const CTA_WORDS: &[&str] = &[
    "register",
    "apply",
    "visit",
    "rsvp",
    "subscribe",
    "download",
    "enroll",
    "submit",
    "donate",
    "signup",
    "attend",
    "nominate",
    "comment",
    "share",
    "follow",
    "watch",
    "listen",
    "deadline",
];
/// Two-word calls to action, matched on lower-cased words.
const CTA_PAIRS: &[(&str, &str)] = &[
    ("join", "us"),
    ("learn", "more"),
    ("sign", "up"),
    ("read", "more"),
    ("check", "out"),
    ("find", "out"),
    ("tune", "in"),
    ("don't", "miss"),
    ("click", "here"),
    ("link", "in"),
    ("call", "us"),
    ("contact", "us"),
    ("more", "info"),
    ("apply", "now"),
    ("register", "now"),
    ("stop", "by"),
    ("find", "more"),
    ("read", "the"),
    ("watch", "live"),
    ("see", "more"),
];
fn lexicons() -> &'static Lexicons {
    static LEX: OnceLock<Lexicons> = OnceLock::new();
    LEX.get_or_init(|| {
        let st = Stemmer::create(Algorithm::English);
        let mut words: HashMap<&'static str, u8, Fast> = HashMap::default();
        for (list, flag) in [
            (STOPWORDS, F_STOP),
            (SINGULAR, F_SING),
            (WE, F_WE),
            (YOU, F_YOU),
        ] {
            for w in list {
                *words.entry(w).or_default() |= flag;
            }
        }
        for (_, second) in CTA_PAIRS {
            *words.entry(second).or_default() |= F_PAIR2;
        }
        let mut stems: HashMap<String, u8, Fast> = HashMap::default();
        for w in CTA_WORDS {
            *stems.entry(st.stem(w).into_owned()).or_default() |= S_CTA;
        }
        for (list, flag) in [
            (lexicons::WORK, S_WORK),
            (lexicons::SERVICE, S_SERVICE),
            (lexicons::LEISURE, S_LEISURE),
        ] {
            for w in lexicons::words(list) {
                *stems.entry(st.stem(w).into_owned()).or_default() |= flag;
            }
        }
        Lexicons {
            words,
            stems,
            cta_pairs: CTA_PAIRS.iter().copied().collect(),
        }
    })
}

/// Whether a lower-cased word is one of [`STOPWORDS`] (a hash lookup, not a scan).
pub fn is_stopword(norm: &str) -> bool {
    lexicons().words.get(norm).is_some_and(|f| f & F_STOP != 0)
}

fn capped(count: usize, cap: usize) -> f32 {
    count.min(cap) as f32 / cap as f32
}

/// Extract the features of one draft. Never panics; an empty draft gives no terms.
pub fn extract(input: &UseInput<'_>) -> Features {
    extract_with(input, true)
}

/// [`extract`]; with `hashed: false` the hashed terms are left out (`terms` empty,
/// `term_value` 0) and everything else is the same. A model without hashed weights (the
/// shipped one learns from word embeddings) sums no term, so inference skips hashing them.
pub fn extract_with(input: &UseInput<'_>, hashed: bool) -> Features {
    let lex = lexicons();
    let tokens = input.tokens;
    // Terms: (hash of the term text, token index).
    let window = tokens.len().min(MAX_TOKENS);
    // At most one term per token of the window: a stack buffer, no allocation. The flag says
    // whether the slot is a term (false: a number, which only separates its neighbours).
    let mut unigram_buf = [(0u64, 0usize, true); MAX_TOKENS];
    let mut n_unigrams = 0usize;
    let (mut hashtags, mut urls, mut mentions, mut words) = (0usize, 0usize, 0usize, 0usize);
    let (mut sing, mut we, mut you, mut cta, mut work, mut leisure, mut service) =
        (0, 0, 0, 0, 0, 0, 0);
    // Institutional voice: "our" followed within OUR_WINDOW words by a work-side word
    // ("our agency", "our summer internships"); `our_left` counts the words still open.
    let (mut inst, mut our_left) = (0usize, 0usize);
    let mut prev_word: Option<&str> = None;
    // Whether a term (or a number's slot) came before: "rt" is dropped only at the start.
    let mut any_term = false;
    let mut word_tokens: Vec<u32> = Vec::with_capacity(window);
    for (i, t) in tokens[..window].iter().enumerate() {
        match t.kind {
            TokenKind::Url => urls += 1,
            TokenKind::Mention => mentions += 1,
            TokenKind::Hashtag => hashtags += 1,
            TokenKind::Word => words += 1,
            _ => {}
        }
        let text: &str = match t.kind {
            TokenKind::Word => {
                // A retweet marker at the very start is a platform artefact.
                if !any_term && t.norm == "rt" {
                    continue;
                }
                word_tokens.push(i as u32);
                let w = t.norm.as_str();
                let wf = lex.words.get(w).copied().unwrap_or(0);
                let sf = lex.stems.get(t.stem.as_str()).copied().unwrap_or(0);
                if wf & F_SING != 0 {
                    sing += 1;
                } else if wf & F_WE != 0 {
                    we += 1;
                } else if wf & F_YOU != 0 {
                    you += 1;
                }
                if sf & S_CTA != 0
                    || (wf & F_PAIR2 != 0
                        && prev_word.is_some_and(|p| lex.cta_pairs.contains(&(p, w))))
                {
                    cta += 1;
                }
                if sf & S_WORK != 0 {
                    work += 1;
                }
                if sf & S_SERVICE != 0 {
                    service += 1;
                }
                if sf & S_LEISURE != 0 {
                    leisure += 1;
                }
                if our_left > 0 {
                    our_left -= 1;
                    if sf & (S_WORK | S_SERVICE) != 0 {
                        inst += 1;
                        our_left = 0;
                    }
                }
                if w == "our" {
                    our_left = OUR_WINDOW;
                }
                prev_word = Some(w);
                if wf & F_STOP != 0 {
                    continue;
                }
                t.stem.as_str()
            }
            // No term for a number (since v9): the training sources carry numbers at very
            // different rates (16 % of the personal rows, 56–92 % of the others: dates, prices,
            // phone numbers, counts in notices and LinkedIn lists), so a `<num>` term learned
            // "a number means not personal" and decided short posts by an SSN or a score.
            // The number keeps its slot, so no bigram joins the words around it.
            TokenKind::Number => {
                prev_word = None;
                any_term = true;
                if hashed {
                    unigram_buf[n_unigrams] = (0, i, false);
                    n_unigrams += 1;
                }
                continue;
            }
            TokenKind::Mention => "<mention>",
            TokenKind::Email => "<email>",
            TokenKind::Emoji => "<emoji>",
            TokenKind::Url => continue,
            TokenKind::Hashtag => {
                // The split words follow when the hashtag has several; a one-word hashtag
                // stands for its word.
                if tokens.get(i + 1).is_some_and(|n| n.in_hashtag) {
                    continue;
                }
                t.stem.as_str()
            }
        };
        if t.kind != TokenKind::Word {
            prev_word = None;
        }
        any_term = true;
        if hashed {
            unigram_buf[n_unigrams] = (fnv(FNV_OFFSET, text.as_bytes()), i, true);
            n_unigrams += 1;
        }
    }
    let unigrams = &unigram_buf[..n_unigrams];

    // Every term as `bucket << 32 | n`, n counting unigram, bigram, unigram, … in reading
    // order: sorting these plain keys orders the terms by bucket and, within one bucket, by
    // position, so keeping the first of each bucket keeps its first occurrence.
    let mut keys: Vec<u64> = Vec::with_capacity(unigrams.len() * 2);
    for (k, &(h, _, term)) in unigrams.iter().enumerate() {
        if !term {
            continue;
        }
        keys.push(u64::from(bucket(h)) << 32 | (2 * k) as u64);
        if let Some(&(h2, _, true)) = unigrams.get(k + 1) {
            // Bigram: combine the two term hashes (order matters).
            let hb = fnv(fnv(h, &[0x1f]), &h2.to_le_bytes());
            keys.push(u64::from(bucket(hb)) << 32 | (2 * k + 1) as u64);
        }
    }
    keys.sort_unstable();
    keys.dedup_by_key(|key| *key >> 32);
    let terms: Vec<Term> = keys
        .iter()
        .map(|&key| {
            let n = (key & 0xffff_ffff) as usize;
            let k = n / 2;
            Term {
                bucket: (key >> 32) as u32,
                token: unigrams[k].1,
                second: (n % 2 == 1).then(|| unigrams[k + 1].1),
            }
        })
        .collect();
    let term_value = if terms.is_empty() {
        0.0
    } else {
        1.0 / (terms.len() as f32).sqrt()
    };

    // Question marks in the window, outside URLs (a query string is not a question).
    let end = tokens
        .get(window)
        .map_or(input.text.len(), |t| t.span.start);
    let mut questions = input.text.get(..end).map_or(0, |w| w.matches('?').count());
    for t in tokens[..window].iter().filter(|t| t.kind == TokenKind::Url) {
        questions -= input
            .text
            .get(t.span.clone())
            .map_or(0, |u| u.matches('?').count())
            .min(questions);
    }
    let n = (words + hashtags + mentions + urls).max(1) as f32;
    // Length of the window, not of the whole text: capped, so an article reads as a full draft.
    let chars = input
        .text
        .get(..end)
        .map_or(0, |w| w.trim_end().chars().count());
    let mut dense = [0.0f32; N_DENSE];
    dense[0] = capped(sing, VOICE_CAP);
    dense[1] = capped(we, 3);
    dense[2] = capped(you, 3);
    dense[3] = capped(cta, 2);
    dense[4] = capped(questions, 2);
    dense[5] = if input.mentions_employer { 1.0 } else { 0.0 };
    dense[6] = capped(work, 4);
    dense[7] = capped(leisure, 4);
    dense[8] = (hashtags as f32 / n * 4.0).min(1.0);
    dense[9] = (urls as f32 / n * 4.0).min(1.0);
    dense[10] = (mentions as f32 / n * 4.0).min(1.0);
    let len_bucket = match chars {
        0..80 => 11,
        80..160 => 12,
        160..=280 => 13,
        _ => 14,
    };
    dense[len_bucket] = 1.0;
    match input.site_kind {
        Some(SiteKind::Professional) => dense[15] = 1.0,
        Some(SiteKind::General) => dense[16] = 1.0,
        Some(SiteKind::Forum) => dense[17] = 1.0,
        None => {}
    }
    match input.account_kind {
        AccountKind::Official => dense[18] = 1.0,
        AccountKind::Personal => dense[19] = 1.0,
        AccountKind::Unknown => {}
    }
    if input.context.reply == Some(true) {
        dense[20] = 1.0;
    }
    dense[21] = capped(service, 4);
    dense[22] = capped(inst, VOICE_CAP);
    Features {
        terms,
        term_value,
        words: word_tokens,
        dense,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Context, Tokenizer};

    fn feats(text: &str) -> Features {
        let tk = Tokenizer::new("en").unwrap();
        let tokens = tk.tokenize(text);
        let ctx = Context::default();
        extract(&UseInput {
            text,
            tokens: &tokens,
            context: &ctx,
            site_kind: None,
            account_kind: AccountKind::Unknown,
            mentions_employer: false,
        })
    }

    #[test]
    fn without_hashed_terms_everything_else_is_the_same() {
        let tk = Tokenizer::new("en").unwrap();
        let ctx = Context::default();
        for text in [
            "RT @dept: our agency opens 3 new offices today! Apply now https://x.gov #Jobs",
            "rt 42 rt my kids and I went to the beach, rt was fun",
            "",
        ] {
            let tokens = tk.tokenize(text);
            let input = UseInput {
                text,
                tokens: &tokens,
                context: &ctx,
                site_kind: None,
                account_kind: AccountKind::Unknown,
                mentions_employer: true,
            };
            let mut full = extract_with(&input, true);
            let bare = extract_with(&input, false);
            assert!(bare.terms.is_empty() && bare.term_value == 0.0);
            assert_eq!(full.terms.is_empty(), text.is_empty());
            full.terms.clear();
            full.term_value = 0.0;
            assert_eq!(full.words, bare.words, "{text}");
            assert_eq!(full.dense, bare.dense, "{text}");
        }
    }

    #[test]
    fn names_match_count() {
        assert_eq!(DENSE_NAMES.len(), DENSE_SIGNALS.len());
        assert_eq!(dense_index("reply"), Some(20));
        assert_eq!(DENSE_NAMES[CONTEXT_FEATURES.start], "site_professional");
    }

    #[test]
    fn mentions_are_one_term_and_urls_dropped() {
        let a = feats("thanks @alice for the great talk https://t.co/abc");
        let b = feats("thanks @bob for the great talk http://example.com/x");
        assert_eq!(
            a.terms.iter().map(|t| t.bucket).collect::<Vec<_>>(),
            b.terms.iter().map(|t| t.bucket).collect::<Vec<_>>()
        );
        assert!(a.dense[dense_index("url_density").unwrap()] > 0.0);
        assert!(a.dense[dense_index("mention_density").unwrap()] > 0.0);
    }

    #[test]
    fn leading_rt_is_dropped() {
        let buckets = |f: Features| f.terms.iter().map(|t| t.bucket).collect::<Vec<_>>();
        let a = feats("RT @agency: new report out today");
        let b = feats("@agency: new report out today");
        assert_eq!(buckets(a), buckets(b));
    }

    #[test]
    fn every_stem_is_in_one_lexicon_only() {
        // A shared stem would count one word twice, or on both sides (v5 had "team's" in the
        // leisure list, which stems to "team", a work word).
        let st = Stemmer::create(Algorithm::English);
        let stems = |list| -> HashSet<String> {
            lexicons::words(list)
                .map(|w| st.stem(w).into_owned())
                .collect()
        };
        let lists = [
            ("work", stems(lexicons::WORK)),
            ("service", stems(lexicons::SERVICE)),
            ("leisure", stems(lexicons::LEISURE)),
        ];
        for (i, (a, sa)) in lists.iter().enumerate() {
            for (b, sb) in &lists[i + 1..] {
                let shared: Vec<&String> = sa.intersection(sb).collect();
                assert!(shared.is_empty(), "{a} and {b} share {shared:?}");
            }
        }
        // Every entry is one plain lower-case word, as the tokenizer produces them.
        for list in [lexicons::WORK, lexicons::SERVICE, lexicons::LEISURE] {
            for w in lexicons::words(list) {
                assert!(
                    w.chars().all(|c| c.is_ascii_lowercase()),
                    "{w:?} is not one lower-case word"
                );
            }
        }
        assert!(lists.iter().all(|(_, s)| s.len() > 150));
    }

    #[test]
    fn voice_and_lexicons() {
        let f = feats("We are hiring for our research team! Join us and apply today. My kids loved the weekend game?");
        let d = |n: &str| f.dense[dense_index(n).unwrap()];
        assert!(d("institutional_we") > 0.0);
        assert!(d("first_person_singular") > 0.0);
        assert!(d("call_to_action") > 0.0);
        assert!(d("question") > 0.0);
        assert!(d("work_vocab") > 0.0);
        assert!(d("family_leisure_vocab") > 0.0);
        assert_eq!(d("public_service_vocab"), 0.0);
        let g = feats("The county clinic offers free flu shots to residents.");
        assert!(g.dense[dense_index("public_service_vocab").unwrap()] > 0.0);
        assert_eq!(d("len_medium"), 1.0);
        let q = feats("see https://example.gov/page?id=1 today");
        assert_eq!(q.dense[dense_index("question").unwrap()], 0.0);
    }

    #[test]
    fn institutional_voice_is_our_with_a_work_word() {
        let inst = |text: &str| {
            (feats(text).dense[dense_index("institutional_voice").unwrap()] * VOICE_CAP as f32)
                .round() as usize
        };
        // "our" + a work or public-service word within two words.
        assert_eq!(inst("Stop by our agency's blood drive"), 1);
        assert_eq!(inst("Apply for our summer internships"), 1);
        assert_eq!(inst("We thank our branch chief and our county partners"), 2);
        // Family "we" and "our" without a work word, or too far from one, do not count.
        assert_eq!(
            inst("My wife and I took our kids and our dog to the lake"),
            0
        );
        assert_eq!(inst("We worked hard on the team project"), 0);
        assert_eq!(inst("our very long lazy weekend at work"), 0);
        // Capped like the first-person count.
        assert_eq!(
            inst("our agency, our program, our staff, our office, our team"),
            VOICE_CAP
        );
    }

    #[test]
    fn numbers_are_no_terms_and_break_bigrams() {
        let buckets = |f: Features| f.terms.iter().map(|t| t.bucket).collect::<Vec<_>>();
        // "ssn 123-45-6789 ok": the terms of "ssn" and "ok" only, no bigram joining them.
        let f = feats("My SSN is 123-45-6789 ok");
        assert_eq!(f.terms.len(), 2);
        assert!(f.terms.iter().all(|t| t.second.is_none()));
        let mut words = [buckets(feats("ssn")), buckets(feats("ok"))].concat();
        words.sort_unstable();
        assert_eq!(buckets(f), words);
        assert!(feats("14 21 2024").terms.is_empty());
        // Without the number the two words form a bigram.
        assert_eq!(feats("ssn ok").terms.len(), 3);
    }

    #[test]
    fn function_words_are_not_terms() {
        assert_eq!(
            feats("the agency").terms,
            feats("agency")
                .terms
                .iter()
                .map(|t| Term { token: 1, ..*t })
                .collect::<Vec<_>>()
        );
        assert!(feats("we are the ones")
            .terms
            .iter()
            .all(|t| t.second.is_none()));
    }

    #[test]
    fn long_text_is_truncated_and_normalised() {
        let long = "word ".repeat(5000) + "different words here";
        let f = feats(&long);
        assert!(f.terms.len() <= 2 * MAX_TOKENS);
        let norm: f32 = f.terms.len() as f32 * f.term_value * f.term_value;
        assert!((norm - 1.0).abs() < 1e-4);
        assert_eq!(f.dense[dense_index("len_long").unwrap()], 1.0);
        assert!(feats("").terms.is_empty());
    }

    #[test]
    fn hashing_is_stable() {
        // The model file depends on these exact buckets: changing the hash needs a new
        // FEATURE_VERSION.
        assert_eq!(
            bucket(fnv(FNV_OFFSET, b"agenc")),
            bucket(fnv(FNV_OFFSET, b"agenc"))
        );
        let f = feats("agency");
        assert_eq!(f.terms.len(), 1);
        assert_eq!(f.terms[0].bucket, bucket(fnv(FNV_OFFSET, b"agenc")));
    }
}
