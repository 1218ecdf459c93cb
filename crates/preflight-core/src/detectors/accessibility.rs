//! Accessibility: LOWERCASE_HASHTAG and IMAGE_WITHOUT_DESCRIPTION.
//!
//! - **LOWERCASE_HASHTAG**: a hashtag that joins two or more words without a cue a screen
//!   reader can split on (`#climateaction`, `#STAYHOME`, `#Stayhome`); `#ClimateAction` is
//!   fine. The hashtag is cut at underscores, digits and case changes (a piece next to a run
//!   of capitals, as in `#SCOTUShearings`, is left alone); a piece of six letters or more
//!   written in one case is split into English words with an embedded list (`words_en.txt`:
//!   SCOWL sizes 10–20, plus the rarer words of sizes 35–40 that look like several words, such
//!   as `airline`, so they count as one; plus [`EXTRA_WORDS`]). One- and two-letter words are
//!   allowed only where hashtags use them (`#ilovedogs`, `#stayathome`, `#speakup`, not
//!   `art|is|an`), and prefix- or suffix-like words only inside (`inter|net`, `partner|ship`
//!   stay single words). Split into two words: 0.7, three or more: 0.85. A piece that is
//!   itself a word (`#together`) or cannot be split (`#covid`, `#nasa`) is not flagged,
//!   except a piece of 16 letters or more, flagged at 0.55 as it is almost surely several
//!   words.
//! - **IMAGE_WITHOUT_DESCRIPTION**: the draft announces or links an image or video
//!   (`pic.twitter.com/…`, `[image]`, a link to a `.png`, 📷, "see the photo below", "attached
//!   is a chart") and has no description anywhere ("Image description:", "alt text", "ID:",
//!   "[description …]", "transcript"). Each announcement is a detection: links, `[image]` tags
//!   and camera emoji 0.8, phrases 0.7.

use std::sync::{LazyLock, OnceLock};

use super::{push, Anchored, Detection, Hints, Needles};
use crate::Error;

/// The word list in use: sorted lower-case ASCII words, plus [`EXTRA_WORDS`] and
/// [`SHORT_WORDS`]. Set by [`install_word_list`], or from the list compiled in (feature
/// `embedded-words`; the WebAssembly build leaves it out, 25 KB gzip, and the extension's
/// worker installs `pkg/words-en.fc`) on first use.
static WORDS: OnceLock<Vec<&'static str>> = OnceLock::new();

/// The word list; empty while no list is available (see [`install_word_list`]).
fn words() -> &'static [&'static str] {
    if let Some(w) = WORDS.get() {
        return w;
    }
    #[cfg(feature = "embedded-words")]
    {
        // build.rs writes a valid list (and a test decodes it).
        WORDS.get_or_init(|| merged(listed_words(EMBEDDED).unwrap_or_default()))
    }
    #[cfg(not(feature = "embedded-words"))]
    {
        &[]
    }
}

/// A list merged with the extra words.
fn merged(listed: Vec<&'static str>) -> Vec<&'static str> {
    // The file is sorted (checked when decoded), so merging in the few extra words avoids
    // sorting 11 000.
    let mut extra: Vec<&'static str> = EXTRA_WORDS.iter().chain(SHORT_WORDS).copied().collect();
    extra.sort_unstable();
    let mut extra = extra.into_iter().peekable();
    let mut words = Vec::with_capacity(listed.len() + EXTRA_WORDS.len() + SHORT_WORDS.len());
    for word in listed {
        while let Some(e) = extra.next_if(|e| *e < word) {
            words.push(e);
        }
        extra.next_if_eq(&word);
        words.push(word);
    }
    words.extend(extra);
    words.dedup();
    words
}

/// The list `build.rs` front-codes from `words_en.txt` (also shipped as `model/words-en.fc`).
#[cfg(any(feature = "embedded-words", test))]
const EMBEDDED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/words_en.fc"));

/// The compiled-in list installed as a host would (tests of the build without one).
#[cfg(test)]
pub(crate) fn install_embedded_for_tests() {
    install_word_list(EMBEDDED).expect("the embedded list is valid");
}

/// Install the hashtag splitter's word list (the bytes of `model/words-en.fc`, front coded:
/// per word one byte, the letters it shares with the word before, then its other letters,
/// lower-case ASCII; words strictly increasing). Checked as it is decoded: a damaged list is
/// refused with what is wrong and where. Once a list is in use (installed, or compiled in and
/// used), installing again changes nothing.
pub fn install_word_list(bytes: &[u8]) -> Result<(), Error> {
    let decoded = decode(bytes)?;
    if WORDS.get().is_none() {
        let _ = WORDS.set(merged(leak(decoded)));
    }
    Ok(())
}

/// Whether the hashtag splitter has its word list (compiled in or installed).
pub fn word_list_available() -> bool {
    cfg!(feature = "embedded-words") || WORDS.get().is_some()
}

/// The words of a front-coded list, in order, decoded into one buffer that lives as long as
/// the program.
#[cfg(any(feature = "embedded-words", test))]
fn listed_words(coded: &[u8]) -> Result<Vec<&'static str>, Error> {
    Ok(leak(decode(coded)?))
}

fn leak((text, ends): (String, Vec<std::ops::Range<usize>>)) -> Vec<&'static str> {
    let text: &'static str = Box::leak(text.into_boxed_str());
    ends.into_iter().map(|r| &text[r]).collect()
}

/// Decode a front-coded list (per word one byte: letters shared with the previous word; then
/// the word's other letters, lower-case ASCII; words strictly increasing): every word once,
/// back to back, and where each is. Nothing is kept of a list that is refused.
fn decode(coded: &[u8]) -> Result<(String, Vec<std::ops::Range<usize>>), Error> {
    let bad = |at: usize, what: &str| Error::Model(format!("word list: {what} at byte {at}"));
    if coded.first().is_none_or(|&b| b >= b' ') {
        return Err(bad(0, "no word starts"));
    }
    let mut text = String::with_capacity(coded.len() * 5 / 2);
    let mut ends = Vec::with_capacity(16_000);
    let mut prev = 0..0;
    let mut i = 0;
    while i < coded.len() {
        let shared = usize::from(coded[i]);
        if shared > prev.len() {
            return Err(bad(i, "more shared letters than the word before has"));
        }
        let at = i;
        let letters = i + 1;
        i = letters;
        while i < coded.len() && coded[i] >= b' ' {
            if !coded[i].is_ascii_lowercase() {
                return Err(bad(i, "not a lower-case ASCII letter"));
            }
            i += 1;
        }
        let start = text.len();
        text.extend_from_within(prev.start..prev.start + shared);
        // Checked above: lower-case ASCII letters.
        text.extend(coded[letters..i].iter().map(|&b| char::from(b)));
        if !prev.is_empty() && text[start..] <= text[prev.clone()] {
            return Err(bad(at, "a word out of order"));
        }
        prev = start..text.len();
        ends.push(prev.clone());
    }
    Ok((text, ends))
}

/// The only words of one or two letters a hashtag is split into (more would split almost
/// anything).
const SHORT_WORDS: &[&str] = &[
    "a", "i", "am", "an", "as", "at", "be", "by", "do", "go", "he", "if", "in", "is", "it", "me",
    "my", "no", "of", "oh", "on", "or", "so", "to", "up", "us", "we",
];

/// Words common in public-service hashtags that the general list lacks.
const EXTRA_WORDS: &[&str] = &[
    "april",
    "august",
    "awareness",
    "bipartisan",
    "blog",
    "broadband",
    "climate",
    "coronavirus",
    "covid",
    "cyber",
    "cybersecurity",
    "daycare",
    "december",
    "election",
    "email",
    "february",
    "friday",
    "frontline",
    "grassroots",
    "hashtag",
    "health",
    "homepage",
    "hotline",
    "inbox",
    "infographic",
    "internship",
    "january",
    "july",
    "june",
    "layoff",
    "livestream",
    "lockdown",
    "march",
    "may",
    "meetup",
    "mindset",
    "monday",
    "nonprofit",
    "november",
    "october",
    "online",
    "pandemic",
    "podcast",
    "policymaker",
    "saturday",
    "selfie",
    "september",
    "smartphone",
    "stakeholder",
    "startup",
    "stem",
    "sunday",
    "telehealth",
    "telework",
    "thursday",
    "timeline",
    "tuesday",
    "vaccinated",
    "vaccine",
    "veteran",
    "webinar",
    "website",
    "wednesday",
    "wellbeing",
    "wellness",
    "wildfire",
    "women",
];

/// The fewest list words that `piece` (lower-case ASCII, at most 64 bytes) splits into, if it
/// splits at all (a word may take a plural `s`; see [`segment_ok`] for the words allowed at
/// each place). From each reachable position it walks the sorted list by narrowing the range
/// of words sharing the prefix read so far: a few binary searches per letter, no allocation.
fn min_words(piece: &[u8]) -> Option<usize> {
    let words = words();
    let n = piece.len();
    // best[i]: fewest words covering piece[..i].
    let mut best = [u16::MAX; 65];
    best[0] = 0;
    for start in 0..n {
        if best[start] == u16::MAX {
            continue;
        }
        let next = best[start] + 1;
        let (mut lo, mut hi) = (0usize, words.len());
        for depth in 0..(n - start) {
            let c = piece[start + depth];
            let slice = &words[lo..hi];
            let first = slice.partition_point(|w| w.len() <= depth || w.as_bytes()[depth] < c);
            let last = slice.partition_point(|w| w.len() <= depth || w.as_bytes()[depth] <= c);
            hi = lo + last;
            lo += first;
            if lo >= hi {
                break;
            }
            if words[lo].len() == depth + 1 {
                let end = start + depth + 1;
                if segment_ok(piece, start, end) {
                    best[end] = best[end].min(next);
                }
                // Plural: word + "s".
                if end < n
                    && piece[end] == b's'
                    && depth + 1 >= 3
                    && segment_ok(piece, start, end + 1)
                {
                    best[end + 1] = best[end + 1].min(next);
                }
            }
        }
    }
    (best[n] != u16::MAX).then_some(usize::from(best[n]))
}

/// One- and two-letter words a hashtag may start with (`#ilovedogs`, `#mylife`).
const SHORT_FIRST: &[&[u8]] = &[b"i", b"my", b"we", b"no", b"go", b"do", b"be", b"so", b"oh"];
/// Two-letter words a hashtag may end with (`#speakup`).
const SHORT_LAST: &[&[u8]] = &[b"up", b"it", b"on"];
/// Prefix-like words: `inter|net`, `pro|testing`, `super|man` are single words.
const BAD_FIRST: &[&[u8]] = &[
    b"anti", b"con", b"counter", b"inter", b"over", b"pro", b"super", b"trans", b"under",
];
/// Suffix-like words: `partner|ship`, `limit|less`, `teacher|s` are single words.
const BAD_LAST: &[&[u8]] = &[
    b"able", b"ably", b"ful", b"hip", b"hips", b"ian", b"ians", b"ion", b"ions", b"ism", b"ist",
    b"ists", b"less", b"ment", b"ments", b"ness", b"ship", b"ships", b"work",
];

/// May `piece[start..end]` (a list word) be one of the words a hashtag is split into? Short
/// words split almost anything (`art|is|an`, `pro|me|the|us`, `opt|i|mist`), so they are
/// allowed only where hashtags use them; prefix- and suffix-like words only inside.
fn segment_ok(piece: &[u8], start: usize, end: usize) -> bool {
    let n = piece.len();
    if start == 0 && end == n {
        return true;
    }
    let word = &piece[start..end];
    if word.len() <= 2 {
        return if start == 0 {
            SHORT_FIRST.contains(&word)
        } else if end == n {
            SHORT_LAST.contains(&word)
        } else {
            word != b"i"
        };
    }
    let prefix_like = start == 0 && BAD_FIRST.contains(&word);
    let suffix_like = end == n && BAD_LAST.contains(&word);
    !prefix_like && !suffix_like
}

const HASHTAG_MIN_LETTERS: usize = 6;
const HASHTAG_LONG: usize = 16;

pub(crate) fn detect_lowercase_hashtag(text: &str, hints: &Hints, out: &mut Vec<Detection>) {
    if !hints.hash {
        return;
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'#' {
            i += 1;
            continue;
        }
        let hash = i;
        i += 1;
        if let Some(prev) = text[..hash].chars().next_back() {
            if prev.is_alphanumeric() || prev == '&' || prev == '#' || prev == '_' {
                continue;
            }
        }
        let body_len = text[i..]
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(text.len() - i);
        let body = &text[i..i + body_len];
        i += body_len;
        if body.is_empty() || !body.chars().next().is_some_and(char::is_alphabetic) {
            continue;
        }
        if let Some(score) = hashtag_score(body) {
            push(out, "LOWERCASE_HASHTAG", hash..i, score);
        }
    }
}

/// Score of a hashtag body (without `#`), if it hides words.
fn hashtag_score(body: &str) -> Option<f32> {
    let mut best: Option<f32> = None;
    for_each_piece(body, |piece, beside_capitals| {
        let letters = piece.chars().count();
        // `SCOTUShearings`: where the capitals end is ambiguous, and the case change is a cue.
        if letters < HASHTAG_MIN_LETTERS || !piece.is_ascii() || beside_capitals {
            return;
        }
        let score = if letters > 64 {
            Some(0.55)
        } else {
            let mut buf = [0u8; 64];
            for (b, c) in buf.iter_mut().zip(piece.bytes()) {
                *b = c.to_ascii_lowercase();
            }
            match min_words(&buf[..letters]) {
                Some(1) => None,
                Some(2) => Some(0.7),
                Some(_) => Some(0.85),
                None if letters >= HASHTAG_LONG => Some(0.55),
                None => None,
            }
        };
        if let Some(s) = score {
            best = Some(best.map_or(s, |b: f32| b.max(s)));
        }
    });
    best
}

/// Call `f` on each run of letters of a hashtag body that has no visible word boundary: cut
/// at non-letters (digits, `_`), at lower→upper (`climateAction`) and before the last capital
/// of a capital run followed by lower case (`NASAEarth`). The flag tells whether the piece
/// touches such a capital-run cut.
fn for_each_piece<'b>(body: &'b str, mut f: impl FnMut(&'b str, bool)) {
    let mut start: Option<usize> = None;
    let mut beside = false;
    let mut prev: Option<char> = None;
    let mut iter = body.char_indices().peekable();
    while let Some((idx, c)) = iter.next() {
        if !c.is_alphabetic() {
            if let Some(s) = start.take() {
                f(&body[s..idx], beside);
            }
            beside = false;
            prev = None;
            continue;
        }
        let next = iter.peek().map(|(_, n)| *n);
        let camel = prev.is_some_and(|p| p.is_lowercase() && c.is_uppercase());
        let acronym = prev.is_some_and(|p| {
            p.is_uppercase() && c.is_uppercase() && next.is_some_and(char::is_lowercase)
        });
        if camel || acronym {
            if let Some(s) = start.take() {
                f(&body[s..idx], beside || acronym);
            }
            beside = acronym;
        }
        if start.is_none() {
            start = Some(idx);
        }
        prev = Some(c);
    }
    if let Some(s) = start {
        f(&body[s..], beside);
    }
}

static IMAGE_TRIGGER: LazyLock<Anchored> = LazyLock::new(|| {
    const MEDIA: &str = r"(?:photo|picture|pic|image|video|graphic|infographic|screenshot|chart|gif|clip|selfie|snapshot|map)s?|footage";
    Anchored::new(&format!(
        concat!(
            r"(?i-u)(?P<strong>pic\.twitter\.com/[A-Za-z0-9]+",
            r"|\[(?:image|photo|picture|pic|video|gif|graphic|screenshot|img|chart|map)s?\]",
            // Unicode `\s` (WS), as in the regex crate the detectors used before regex-lite.
            r"|https?://(?u:[^{ws}])*?\.(?:png|jpe?g|gif|webp|heic|mp4|mov)\b",
            r"|instagram\.com/p/[A-Za-z0-9_-]+|imgur\.com/[A-Za-z0-9]+",
            r"|📷|📸|🖼|🎥|📹|🎞)",
            r"|(?P<phrase>(?-u:\b)(?:",
            r"(?:see|view|watch|check out|look at|here'?s|here is|here are|sharing)\s+(?:(?:the|this|these|my|our|a|an|some|attached|following|latest|new)\s+){{0,2}}(?:{m})",
            r"|(?:{m})\s+(?:below|attached|above)",
            r"|attached\s+(?:is\s+|are\s+)?(?:(?:a|an|the|our|my)\s+)?(?:{m})",
            r"|(?:photo|picture|image|video)\s+(?:credit|courtesy)",
            r")(?-u:\b))",
        ),
        m = MEDIA,
        ws = super::WS,
    ))
});

static IMAGE_DESCRIBED: LazyLock<Anchored> = LazyLock::new(|| {
    Anchored::new(concat!(
        r"(?-u)(?i:(?:image|img|photo|picture|pic|video|audio|gif)\s*desc",
        r"|alt[\s-]?text|(?-u:\b)alt\s*:|\[\s*desc|(?-u:\b)description\s*:|(?-u:\b)described\s*:",
        r"|#alt4u|(?-u:\b)transcript(?-u:\b)|(?-u:\b)caption(?:ed|s)?\s*:|(?-u:\b)pictured\s*:)",
        r"|(?-u:\b)ID\s*:|\[ID(?-u:\b)",
    ))
});

static IMAGE_TRIGGER_BUILT: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// Every match of [`IMAGE_TRIGGER`] holds one of these, ASCII case-insensitively: a media
/// word (`pic` also covers `picture`, `graphic` covers `infographic`), `[`, `http`, the two
/// hosts, or one of the camera and film emoji.
const IMAGE_NEEDLES: &[&[u8]] = &[
    b"pic",
    b"photo",
    b"image",
    b"video",
    b"graphic",
    b"screenshot",
    b"chart",
    b"gif",
    b"clip",
    b"selfie",
    b"snapshot",
    b"map",
    b"footage",
    b"[",
    b"http",
    b"instagram.com/p/",
    b"imgur.com/",
    "📷".as_bytes(),
    "📸".as_bytes(),
    "🖼".as_bytes(),
    "🎥".as_bytes(),
    "📹".as_bytes(),
    "🎞".as_bytes(),
];

/// Where a match of [`IMAGE_TRIGGER`] can start, ASCII case-insensitively: the first word of
/// each phrase, each media word (`pic` also covers `picture` and `pic.twitter.com`), `[`,
/// `http`, the two hosts and the emoji.
const IMAGE_STARTS: &[&[u8]] = &[
    b"pic",
    b"photo",
    b"image",
    b"video",
    b"graphic",
    b"infographic",
    b"screenshot",
    b"chart",
    b"gif",
    b"clip",
    b"selfie",
    b"snapshot",
    b"map",
    b"footage",
    b"[",
    b"http",
    b"instagram.com/p/",
    b"imgur.com/",
    "📷".as_bytes(),
    "📸".as_bytes(),
    "🖼".as_bytes(),
    "🎥".as_bytes(),
    "📹".as_bytes(),
    "🎞".as_bytes(),
];

/// Where a match of [`IMAGE_DESCRIBED`] can start, ASCII case-insensitively.
const DESCRIBED_STARTS: &[&[u8]] = &[
    b"image",
    b"img",
    b"photo",
    b"pic",
    b"video",
    b"audio",
    b"gif",
    b"alt",
    b"[",
    b"descri",
    b"#alt4u",
    b"transcript",
    b"caption",
    b"id",
];

/// Whether the text describes its image ([`IMAGE_DESCRIBED`] matches somewhere): tried at
/// the positions where a match can start only.
fn described(text: &str) -> bool {
    static STARTS: Needles = Needles::new(DESCRIBED_STARTS, true);
    STARTS
        .starts(text)
        .into_iter()
        .any(|i| IMAGE_DESCRIBED.captures_at(text, i).is_some())
}

/// First words of the phrases that start with something other than a media word: a match
/// starting with one of them holds a media word further on.
const PHRASE_STARTS: &[&[u8]] = &[
    b"see",
    b"view",
    b"watch",
    b"check",
    b"look",
    b"here",
    b"sharing",
    b"attached",
];

/// The file extensions after which a link counts as an image (`https?://…\.png`).
const IMAGE_EXTENSIONS: &[&[u8]] = &[
    b".png", b".jpg", b".jpeg", b".gif", b".webp", b".heic", b".mp4", b".mov",
];

/// Where a match of [`IMAGE_TRIGGER`] can start, ascending: the media words, `[`, the hosts
/// and emoji ([`IMAGE_STARTS`]); `http` only before an image extension; a phrase's first word
/// ([`PHRASE_STARTS`]) only before a media word.
fn image_starts(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    static STARTS: Needles = Needles::new(IMAGE_STARTS, true);
    static EXTENSIONS: Needles = Needles::new(IMAGE_EXTENSIONS, true);
    static PHRASES: Needles = Needles::new(PHRASE_STARTS, true);
    let mut starts = STARTS.starts(text);
    let last_media = starts
        .iter()
        .rev()
        .find(|&&i| !matches!(b[i], b'[' | b'h' | b'H'))
        .copied();
    let http = |i: usize| b.len() >= i + 4 && b[i..i + 4].eq_ignore_ascii_case(b"http");
    let first_http = starts.iter().copied().find(|&i| http(i));
    let last_ext = first_http.and_then(|h| EXTENSIONS.starts(&text[h..]).last().map(|e| h + e));
    starts.retain(|&i| !http(i) || last_ext.is_some_and(|e| e > i));
    if let Some(m) = last_media {
        let phrase = PHRASES.starts(&text[..m]);
        if !phrase.is_empty() {
            starts.extend(phrase);
            starts.sort_unstable();
            starts.dedup();
        }
    }
    starts
}

pub(crate) fn detect_image_without_description(
    text: &str,
    _hints: &Hints,
    out: &mut Vec<Detection>,
) {
    if text.len() < 2
        || !super::prefilter(&IMAGE_TRIGGER_BUILT, || {
            static NEEDLES: Needles = Needles::new(IMAGE_NEEDLES, true);
            NEEDLES.any(text)
        })
    {
        return;
    }
    let first = out.len();
    IMAGE_TRIGGER.for_each(text, image_starts(text), |m, _, caps| {
        let strong = caps.name("strong").is_some();
        if !strong {
            // "see photo ID requirements" is about identity documents, not an image.
            let after = text[m.end..].trim_start();
            let next_word = after
                .split(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("");
            if next_word.eq_ignore_ascii_case("id")
                || next_word.eq_ignore_ascii_case("identification")
            {
                return;
            }
        }
        push(
            out,
            "IMAGE_WITHOUT_DESCRIPTION",
            m,
            if strong { 0.8 } else { 0.7 },
        );
    });
    if out.len() > first && described(text) {
        out.truncate(first);
    }
}

#[cfg(test)]
mod tests {
    use super::super::detect;
    use super::{for_each_piece, min_words};

    /// The list as the WebAssembly host installs it (in that build, nothing is compiled in).
    fn with_list() {
        super::install_embedded_for_tests();
        assert!(super::word_list_available());
    }

    fn tags(text: &str) -> Vec<(&str, f32)> {
        with_list();
        detect("LOWERCASE_HASHTAG", text)
            .into_iter()
            .map(|d| (&text[d.span], d.score))
            .collect()
    }

    fn images(text: &str) -> Vec<&str> {
        detect("IMAGE_WITHOUT_DESCRIPTION", text)
            .into_iter()
            .map(|d| &text[d.span])
            .collect()
    }

    #[test]
    fn shipped_word_list_file_is_what_build_rs_writes() {
        // model/words-en.fc ships beside the WebAssembly module, which has no list compiled
        // in: regenerate it with `PREFLIGHT_BLESS=1 cargo test -p preflight-core words_en`.
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../model/words-en.fc");
        if std::env::var_os("PREFLIGHT_BLESS").is_some() {
            std::fs::write(path, super::EMBEDDED).unwrap();
        }
        let shipped = std::fs::read(path).expect("model/words-en.fc");
        assert!(shipped == super::EMBEDDED, "model/words-en.fc is stale");
        assert!(super::decode(&shipped).is_ok());
    }

    #[test]
    fn damaged_word_lists_are_refused_by_place() {
        let err = |b: &[u8]| super::decode(b).unwrap_err().to_string();
        assert!(err(b"").contains("no word starts at byte 0"));
        assert!(err(b"abc").contains("no word starts"));
        assert!(
            err(b"\x00abc\x05d").contains("more shared letters than the word before has at byte 4")
        );
        assert!(err(b"\x00abc\x00Abd").contains("not a lower-case ASCII letter at byte 5"));
        assert!(err(b"\x00abd\x02c").contains("a word out of order at byte 4"));
        assert!(err(b"\x00abc\x03").contains("a word out of order"));
        assert!(super::decode(b"\x00abc\x02d\x00b").is_ok());
        assert_eq!(
            super::listed_words(b"\x00abc\x02d\x00b").unwrap(),
            ["abc", "abd", "b"]
        );
    }

    #[test]
    fn word_list_is_sorted_lower_case_ascii() {
        let listed = super::listed_words(super::EMBEDDED).unwrap();
        assert!(listed.len() > 10_000);
        // The front-coded list build.rs embeds decodes to the lines of the text file.
        let text: Vec<&str> = include_str!("words_en.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        assert_eq!(listed, text);
        assert!(listed.windows(2).all(|w| w[0] < w[1]));
        assert!(listed
            .iter()
            .all(|w| w.bytes().all(|b| b.is_ascii_lowercase())));
        let words = super::merged(super::listed_words(super::EMBEDDED).unwrap());
        assert!(words.windows(2).all(|w| w[0] < w[1]));
        for w in super::EXTRA_WORDS.iter().chain(super::SHORT_WORDS) {
            assert!(words.binary_search(w).is_ok(), "{w}");
        }
    }

    #[test]
    fn word_splitting() {
        with_list();
        assert_eq!(min_words(b"climateaction"), Some(2));
        assert_eq!(min_words(b"blacklivesmatter"), Some(3));
        assert_eq!(min_words(b"together"), Some(1));
        assert_eq!(min_words(b"veteransday"), Some(2));
        assert_eq!(min_words(b"covid"), Some(1));
        assert_eq!(min_words(b"nasa"), None);
        assert_eq!(min_words(b"xqzv"), None);
        let mut pieces = Vec::new();
        for_each_piece("NASAEarth_day2024climateAction", |p, _| pieces.push(p));
        assert_eq!(pieces, vec!["NASA", "Earth", "day", "climate", "Action"]);
    }

    #[test]
    fn flags_run_together_hashtags() {
        for (text, tag) in [
            ("Join us! #climateaction", "#climateaction"),
            ("#STAYHOME and #StaySafe", "#STAYHOME"),
            ("#Stayhome", "#Stayhome"),
            ("Happy #veteransday2024!", "#veteransday2024"),
            ("#publichealth matters", "#publichealth"),
            ("#blacklivesmatter", "#blacklivesmatter"),
        ] {
            let f = tags(text);
            assert_eq!(f.len(), 1, "{text}: {f:?}");
            assert_eq!(f[0].0, tag);
            assert!(f[0].1 >= 0.5);
        }
        assert!((tags("#blacklivesmatter")[0].1 - 0.85).abs() < 1e-6);
    }

    #[test]
    fn leaves_accessible_hashtags() {
        for text in [
            "#ClimateAction",
            "#covid",
            "#nasa",
            "#NASA",
            "#together",
            "#COVID19",
            "#vote",
            "#Stay_Home",
            "C# and F#",
            "issue #1234",
            "&#8217;",
            "#día #überall",
            "a#climateaction",
            // Single words that split into list words.
            "#awesome",
            "#artisan",
            "#Prometheus",
            "#optimist",
            "#partnership",
            "#Scholarship",
            "#airline",
            "#internet",
            "#mentoring",
            "#SCOTUShearings",
        ] {
            assert!(tags(text).is_empty(), "{text}: {:?}", tags(text));
        }
    }

    #[test]
    fn images_without_description() {
        assert_eq!(
            images("Great day! pic.twitter.com/AbC123"),
            vec!["pic.twitter.com/AbC123"]
        );
        assert_eq!(images("See the photo below."), vec!["See the photo"]);
        assert_eq!(images("Our team 📷"), vec!["📷"]);
        assert_eq!(images("[image] new office"), vec!["[image]"]);
        assert_eq!(
            images("chart: https://agency.gov/a/chart.png"),
            vec!["https://agency.gov/a/chart.png"]
        );
        assert_eq!(
            images("Attached is a graphic on flu season"),
            vec!["Attached is a graphic"]
        );
        assert_eq!(
            images("Check out these photos from the fair"),
            vec!["Check out these photos"]
        );
    }

    #[test]
    fn described_images_pass() {
        for text in [
            "See the photo below. Image description: a red barn.",
            "📷 [ID: two rangers at a trailhead]",
            "pic.twitter.com/AbC123 (alt text in reply)",
            "[image] [description: map of the flood zone]",
            "Watch the video; transcript at agency.gov/t",
            "Bring photo ID to vote",
            "We took a photo yesterday",
            "Call me maybe",
        ] {
            assert!(images(text).is_empty(), "{text}: {:?}", images(text));
        }
    }

    /// The needles are a necessary condition: wherever the trigger matches, one is present.
    #[test]
    fn image_needles_never_miss_a_trigger() {
        let pieces = [
            "see",
            "Watch",
            "check out",
            "here's",
            "sharing",
            " ",
            "  ",
            "the",
            "our",
            "new",
            "photo",
            "Pictures",
            "pic",
            "image",
            "VIDEO",
            "graphic",
            "infographic",
            "screenshots",
            "chart",
            "gif",
            "clip",
            "selfie",
            "snapshot",
            "maps",
            "footage",
            "below",
            "attached",
            "is",
            "credit",
            "courtesy",
            "[image]",
            "[Photo]",
            "https://x.io/a.png",
            "pic.twitter.com/ab1",
            "instagram.com/p/xY",
            "imgur.com/q9",
            "📷",
            "📸",
            "🖼",
            "🎥",
            "📹",
            "🎞",
            "a",
            ".",
        ];
        let matched = super::super::needles_cover_every_match(
            &super::IMAGE_TRIGGER,
            super::IMAGE_NEEDLES,
            super::image_starts,
            &pieces,
        );
        assert!(matched > 1000, "{matched}");
    }

    #[test]
    fn described_starts_cover_every_description() {
        let pieces = [
            "image",
            "IMG",
            "photo",
            "picture",
            "pictured",
            "video",
            "audio",
            "gif",
            " ",
            "desc",
            "alt",
            "-",
            "text",
            ":",
            "[",
            "description",
            "described",
            "#alt4u",
            "transcript",
            "caption",
            "captioned",
            "ID",
            "id",
            "a",
            "x",
            "é",
        ];
        let matched = super::super::needles_cover_every_match(
            &super::IMAGE_DESCRIBED,
            super::DESCRIBED_STARTS,
            |s| super::super::starts_of(s, super::DESCRIBED_STARTS, true),
            &pieces,
        );
        assert!(matched > 500, "{matched}");
    }
}
