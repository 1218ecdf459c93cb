//! The one feature extractor of the abuse score, shared by the trainer (`preflight-train
//! conduct`) and by inference ([`super::AbuseModel::score`]).
//!
//! A draft's tokens (the engine's own: the same normalisation and Snowball stems as the
//! phrase rules) become hashed terms, each a bucket in `0..2^HASH_BITS` (FNV-1a, 64-bit, as
//! in the use classifier's extractor) and the token it came from:
//!
//! * every word's stem (a hashtag's words count as words; a one-word hashtag as its word);
//! * every pair of neighbouring words (stems), so "you people" differs from "people";
//! * with [`Options::char_grams`], the character 4-grams of every word of at least
//!   [`CHAR_GRAM_MIN`] letters, marked at the word's edges (`^lib`, `libt`, …, `ard$`): a
//!   coinage that fuses an insult with a group name shares its pieces with both;
//! * each emoji as itself.
//!
//! A word naming a group of people ([`GROUP_WORDS`]: "women", "refugees", "muslims") is no
//! term and breaks pairs: what is said about a group decides, not which group is named.
//!
//! Mentions, URLs, e-mail addresses and numbers are no term (they mark a source, not abuse)
//! but break the word pairs; a leading retweet marker `RT` is dropped. Only the first
//! [`MAX_TOKENS`] tokens are read, so the cost per draft is bounded: at most a few hundred
//! hashed lookups. Every term has the value `1/sqrt(n)` (n: the number of terms), so a long
//! draft weighs no more than a short one.
//!
//! Bump [`FEATURE_VERSION`] whenever anything here changes what a text maps to: a model file
//! carries the version it was trained with and is refused by a different extractor.

use crate::{Token, TokenKind};

/// Version of the mapping from tokens to terms.
pub const FEATURE_VERSION: u32 = 4;
/// Hashed terms live in `0..2^HASH_BITS`: a wide space, so that the few hundred weights the
/// model keeps seldom share a bucket with an unrelated term (the model stores only its
/// buckets, so the width costs nothing at inference).
pub const HASH_BITS: u8 = 22;
/// Number of buckets.
pub const N_BUCKETS: usize = 1 << HASH_BITS;
/// Tokens read from the start of a draft.
pub const MAX_TOKENS: usize = 64;
/// Shortest word (in bytes) whose character 4-grams are terms.
pub const CHAR_GRAM_MIN: usize = 5;

/// What the extractor emits besides word stems and pairs (stored in the model file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    /// Character 4-grams of long words.
    pub char_grams: bool,
}

impl Options {
    /// The options as the model file's flag byte.
    pub fn to_bits(self) -> u8 {
        u8::from(self.char_grams)
    }

    /// The options of a flag byte; `None` for a bit this extractor does not know.
    pub fn from_bits(bits: u8) -> Option<Self> {
        (bits & !1 == 0).then_some(Options {
            char_grams: bits & 1 != 0,
        })
    }
}

/// One hashed term: its bucket and the token it came from (the first, for a pair).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    pub bucket: u32,
    pub token: u32,
}

use crate::classify::features::{fnv, FNV_OFFSET};

fn bucket(h: u64) -> u32 {
    // Fold the high bits in: FNV's low bits alone mix poorly.
    ((h ^ (h >> 29) ^ (h >> 47)) & (N_BUCKETS as u64 - 1)) as u32
}

/// Words that name a group of people (Snowball stems, matched on the token's stem). They are
/// no term at all and break word pairs like a number: the training data has hate about
/// immigrants and women but no neutral text about them, so any weight on "refugee" or
/// "women", alone or in a pair, learns the topic instead of the abuse and flags the news or
/// a woman describing herself. What is said about the group decides.
pub const GROUP_WORDS: &[&str] = &[
    "immigr",
    "migrant",
    "refuge",
    "asylum",
    "foreign",
    "women",
    "woman",
    "men",
    "man",
    "girl",
    "boy",
    "femal",
    "male",
    "muslim",
    "islam",
    "jew",
    "jewish",
    "christian",
    "cathol",
    "hindu",
    "sikh",
    "black",
    "white",
    "asian",
    "african",
    "arab",
    "mexican",
    "latino",
    "latina",
    "hispan",
    "gay",
    "lesbian",
    "bisexu",
    "tran",
    "transgend",
    "lgbt",
    "lgbtq",
    "queer",
    "feminist",
    "femin",
    "disabl",
    "autist",
    "peopl",
    "citizen",
    "nation",
];

/// Hash of a word pair from the two words' hashes (order matters): one multiply-xorshift
/// mix, since hashing the 8 bytes of the second hash again would cost as much as the rest of
/// the extractor.
fn pair(first: u64, second: u64) -> u64 {
    let x = first.rotate_left(23) ^ second.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let x = (x ^ (x >> 32)).wrapping_mul(0xd6e8_feb8_6659_fd93);
    x ^ (x >> 29)
}

/// Seeds that keep the kinds of term apart (a word and a 4-gram with the same letters).
const SEED_WORD: u64 = FNV_OFFSET;
const SEED_GRAM: u64 = FNV_OFFSET ^ 0x5bd1_e995;
const SEED_EMOJI: u64 = FNV_OFFSET ^ 0x27d4_eb2f;

/// The word hashes of [`GROUP_WORDS`], sorted: a draft's words are checked by the hash the
/// extractor computes anyway (a binary search of 45 numbers, not 45 string comparisons).
fn group_hashes() -> &'static [u64] {
    static HASHES: std::sync::OnceLock<Vec<u64>> = std::sync::OnceLock::new();
    HASHES.get_or_init(|| {
        let mut v: Vec<u64> = GROUP_WORDS
            .iter()
            .map(|w| fnv(SEED_WORD, w.as_bytes()))
            .collect();
        v.sort_unstable();
        v
    })
}

/// The terms of a draft's tokens, appended to `out` (cleared first). Never panics.
pub fn extract(tokens: &[Token<'_>], options: Options, out: &mut Vec<Term>) {
    extract_masked(tokens, options, 0..0, out);
}

/// [`extract`] with the tokens inside the byte range `mask` left out (they break word pairs
/// like a number): the score of a draft without one of its words.
pub fn extract_masked(
    tokens: &[Token<'_>],
    options: Options,
    mask: std::ops::Range<usize>,
    out: &mut Vec<Term>,
) {
    out.clear();
    let groups = group_hashes();
    // Hash of the previous word, for pairs; `None` after a non-word.
    let mut prev: Option<u64> = None;
    let mut first = true;
    for (i, t) in tokens.iter().take(MAX_TOKENS).enumerate() {
        let token = i as u32;
        if mask.start <= t.span.start && t.span.end <= mask.end && !mask.is_empty() {
            prev = None;
            continue;
        }
        match t.kind {
            TokenKind::Word => {}
            TokenKind::Hashtag => {
                // Its words follow when it has several; a one-word hashtag is its word.
                if tokens.get(i + 1).is_some_and(|n| n.in_hashtag) {
                    continue;
                }
            }
            TokenKind::Emoji => {
                out.push(Term {
                    bucket: bucket(fnv(SEED_EMOJI, t.norm.as_bytes())),
                    token,
                });
                prev = None;
                continue;
            }
            TokenKind::Number | TokenKind::Mention | TokenKind::Url | TokenKind::Email => {
                prev = None;
                continue;
            }
        }
        if first && t.kind == TokenKind::Word && t.norm == "rt" {
            first = false;
            continue;
        }
        first = false;
        let stem = t.stem.as_str().trim_start_matches('#');
        let h = fnv(SEED_WORD, stem.as_bytes());
        if groups.binary_search(&h).is_ok() && GROUP_WORDS.contains(&stem) {
            prev = None;
            continue;
        }
        out.push(Term {
            bucket: bucket(h),
            token,
        });
        if let Some(p) = prev {
            out.push(Term {
                bucket: bucket(pair(p, h)),
                token: token - 1,
            });
        }
        prev = Some(h);
        if options.char_grams {
            let norm = t.norm.as_str().trim_start_matches('#').as_bytes();
            if norm.len() >= CHAR_GRAM_MIN {
                // `^abc`, every inner 4 bytes, `abc$`.
                let edge = |a: u8, rest: &[u8]| fnv(fnv(SEED_GRAM, &[a]), rest);
                out.push(Term {
                    bucket: bucket(edge(b'^', &norm[..3])),
                    token,
                });
                for w in norm.windows(4) {
                    out.push(Term {
                        bucket: bucket(fnv(SEED_GRAM, w)),
                        token,
                    });
                }
                out.push(Term {
                    bucket: bucket(fnv(edge(b'$', &norm[norm.len() - 3..]), b"$")),
                    token,
                });
            }
        }
    }
}

/// The value of each of `n` terms.
pub fn term_value(n: usize) -> f32 {
    if n == 0 {
        0.0
    } else {
        1.0 / (n as f32).sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Tokenizer;

    fn terms(text: &str, options: Options) -> Vec<Term> {
        let tk = Tokenizer::new("en").unwrap();
        let toks = tk.tokenize(text);
        let mut out = Vec::new();
        extract(&toks, options, &mut out);
        out
    }

    #[test]
    fn words_and_pairs_on_stems() {
        let plain = Options::default();
        // Inflections share their stem's terms.
        assert_eq!(terms("hating fools", plain), terms("hates fool", plain));
        // Two words, one pair.
        assert_eq!(terms("you fools", plain).len(), 3);
        // Order matters for the pair.
        assert_ne!(terms("you fools", plain), terms("fools you", plain));
        // Mentions, URLs, numbers and a leading RT are no term and break pairs.
        let t = terms("RT @someone: you 42 fools https://x.example/a", plain);
        assert_eq!(t.len(), 2, "{t:?}");
        let you = terms("you", plain)[0].bucket;
        let fools = terms("fools", plain)[0].bucket;
        assert_eq!(
            t.iter().map(|t| t.bucket).collect::<Vec<_>>(),
            vec![you, fools]
        );
        // A group word is no term and breaks the pair.
        assert_eq!(
            terms("stupid women", plain)
                .iter()
                .map(|t| t.bucket)
                .collect::<Vec<_>>(),
            vec![terms("stupid", plain)[0].bucket]
        );
        assert!(terms("refugees immigrants muslims", plain).is_empty());
        // A hashtag stands for its words.
        assert_eq!(
            terms("#YouFools", plain)
                .iter()
                .map(|t| t.bucket)
                .collect::<Vec<_>>(),
            terms("you fools", plain)
                .iter()
                .map(|t| t.bucket)
                .collect::<Vec<_>>()
        );
        assert!(terms("", plain).is_empty());
    }

    #[test]
    fn char_grams_of_long_words_only() {
        let grams = Options { char_grams: true };
        // "cat": one word term; "cattle" (6 bytes): word + ^cat + 3 inner + tle$.
        assert_eq!(terms("cat", grams).len(), 1);
        assert_eq!(terms("cattle", grams).len(), 1 + 1 + 3 + 1);
        // A coinage shares 4-grams with its parts.
        let a: Vec<u32> = terms("snowflakeism", grams)
            .iter()
            .map(|t| t.bucket)
            .collect();
        let b: Vec<u32> = terms("snowflake", grams).iter().map(|t| t.bucket).collect();
        assert!(b.iter().filter(|x| a.contains(x)).count() >= 5);
        assert_eq!(Options::from_bits(grams.to_bits()), Some(grams));
        assert_eq!(Options::from_bits(4), None);
    }

    /// Every group word is the stem of a word (or the stemmer would never produce it).
    #[test]
    fn group_words_are_stems() {
        let tk = Tokenizer::new("en").unwrap();
        let words = [
            "immigrants",
            "migrants",
            "refugees",
            "asylum",
            "foreign",
            "foreigners",
            "women",
            "woman",
            "men",
            "man",
            "girl",
            "girls",
            "boy",
            "boys",
            "females",
            "males",
            "muslims",
            "islam",
            "jews",
            "jewish",
            "christians",
            "catholic",
            "hindu",
            "sikh",
            "black",
            "white",
            "asian",
            "african",
            "arab",
            "mexican",
            "latino",
            "latina",
            "hispanic",
            "gay",
            "lesbian",
            "bisexual",
            "trans",
            "transgender",
            "lgbt",
            "lgbtq",
            "queer",
            "feminists",
            "feminism",
            "disabled",
            "autistic",
            "people",
            "citizens",
            "nations",
            "immigration",
        ];
        let stems: Vec<String> = words.iter().map(|w| tk.stem_word(w)).collect();
        for g in GROUP_WORDS {
            assert!(stems.iter().any(|s| s == g), "{g} is no stem of the list");
        }
        for (w, s) in words.iter().zip(&stems) {
            assert!(GROUP_WORDS.contains(&s.as_str()), "{w} → {s}");
        }
    }

    #[test]
    fn masked_tokens_are_left_out() {
        let tk = Tokenizer::new("en").unwrap();
        let text = "you awful fools";
        let toks = tk.tokenize(text);
        let mut masked = Vec::new();
        extract_masked(&toks, Options::default(), 4..9, &mut masked);
        let mut plain = Vec::new();
        extract(&tk.tokenize("you"), Options::default(), &mut plain);
        let mut fools = Vec::new();
        extract(&tk.tokenize("fools"), Options::default(), &mut fools);
        let want: Vec<u32> = plain.iter().chain(&fools).map(|t| t.bucket).collect();
        assert_eq!(masked.iter().map(|t| t.bucket).collect::<Vec<_>>(), want);
    }

    #[test]
    fn bounded_by_max_tokens() {
        let long = "word ".repeat(500);
        assert!(terms(&long, Options { char_grams: true }).len() <= MAX_TOKENS * 2);
    }
}
