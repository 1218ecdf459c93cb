//! The lexicons acts and facts are built from: phrase families (matched like bundle phrase
//! terms: stems, whole words, `*` at the end of a word), each compiled once per bundle into the
//! engine's phrase index and searched in its single pass over the draft. The terms are in
//! `lexicons.txt` (one section a lexicon); `build.rs` stems them at build time, so loading the
//! engine (the WebAssembly cold start) only reads the digest.
//!
//! Each lexicon is one string with a term a line (a table of `&str` would cost the WebAssembly
//! module a pointer and a length per term). Act-specific cue families live in the act's own file; the argument lexicons several acts
//! share (times, places, parties, offices, work subjects, titles) live here.

/// The lexicons' terms: one section a lexicon (headed `[]`: the names stay in `lexicons.txt`),
/// one term a line (`lexicons.txt` without its comment lines, from `build.rs`).
static LEXICONS: &str = include_str!(concat!(env!("OUT_DIR"), "/lexicons.min.txt"));

/// What `build.rs` computed for them: one line per section, in order, its terms' entries.
static LEXICON_DIGEST: &str = include_str!(concat!(env!("OUT_DIR"), "/lexicon-digest.txt"));

/// Section `index` of `text` (sections start at a `[name]` line), without its header.
fn section(text: &str, index: usize) -> &str {
    text.split("\n[")
        .nth(index + 1)
        .and_then(|s| s.split_once("]\n"))
        .map_or("", |(_, body)| body)
}

/// One lexicon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Lex {
    // Shared arguments.
    Time,
    Place,
    Party,
    Office,
    Campaign,
    Honorific,
    Subject,
    // Facts.
    EmployerNoun,
    WorkWord,
    TitleHead,
    TitlePhrase,
    // Acts.
    EndorseCue,
    Product,
    Designation,
    SecrecyCue,
    MoneyCue,
    VoteCue,
    VoteStrong,
    PartyJudgement,
    NeutralPolitics,
    TravelCue,
    Principal,
    TripCancel,
    ChannelCue,
    Channel,
    DeleteCue,
    Record,
    Concealment,
    DocumentedReason,
}

impl Lex {
    pub const COUNT: usize = Lex::DocumentedReason as usize + 1;
    pub const ALL: [Lex; Lex::COUNT] = [
        Lex::Time,
        Lex::Place,
        Lex::Party,
        Lex::Office,
        Lex::Campaign,
        Lex::Honorific,
        Lex::Subject,
        Lex::EmployerNoun,
        Lex::WorkWord,
        Lex::TitleHead,
        Lex::TitlePhrase,
        Lex::EndorseCue,
        Lex::Product,
        Lex::Designation,
        Lex::SecrecyCue,
        Lex::MoneyCue,
        Lex::VoteCue,
        Lex::VoteStrong,
        Lex::PartyJudgement,
        Lex::NeutralPolitics,
        Lex::TravelCue,
        Lex::Principal,
        Lex::TripCancel,
        Lex::ChannelCue,
        Lex::Channel,
        Lex::DeleteCue,
        Lex::Record,
        Lex::Concealment,
        Lex::DocumentedReason,
    ];

    /// The section of `lexicons.txt` holding this lexicon. The sections are in the order of
    /// [`Lex::ALL`], and found by their position (a test checks the names): a table of names
    /// would cost the WebAssembly module a string per lexicon.
    #[cfg(test)]
    pub fn name(self) -> &'static str {
        match self {
            Lex::Time => "time",
            Lex::Place => "place",
            Lex::Party => "party",
            Lex::Office => "office",
            Lex::Campaign => "campaign",
            Lex::Honorific => "honorific",
            Lex::Subject => "subject",
            Lex::EmployerNoun => "employer_noun",
            Lex::WorkWord => "work_word",
            Lex::TitleHead => "title_head",
            Lex::TitlePhrase => "title_phrase",
            Lex::EndorseCue => "endorse_cue",
            Lex::Product => "product",
            Lex::Designation => "designation",
            Lex::SecrecyCue => "secrecy_cue",
            Lex::MoneyCue => "money_cue",
            Lex::VoteCue => "vote_cue",
            Lex::VoteStrong => "vote_strong",
            Lex::PartyJudgement => "party_judgement",
            Lex::NeutralPolitics => "neutral_politics",
            Lex::TravelCue => "travel_cue",
            Lex::Principal => "principal",
            Lex::TripCancel => "trip_cancel",
            Lex::ChannelCue => "channel_cue",
            Lex::Channel => "channel",
            Lex::DeleteCue => "delete_cue",
            Lex::Record => "record",
            Lex::Concealment => "concealment",
            Lex::DocumentedReason => "documented_reason",
        }
    }

    /// The built-in terms.
    pub fn terms(self) -> impl Iterator<Item = &'static str> {
        section(LEXICONS, self as usize)
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
    }

    /// The terms' compiled words from the build-time digest (see `build.rs`).
    pub fn digest(self) -> Option<&'static str> {
        LEXICON_DIGEST.lines().nth(self as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_are_in_the_order_of_the_lexicons() {
        // The source names its sections; the embedded copies find them by position.
        let source = include_str!("lexicons.txt");
        let names: Vec<&str> = source
            .lines()
            .filter_map(|l| l.strip_prefix('[').and_then(|l| l.strip_suffix(']')))
            .collect();
        assert_eq!(names.len(), Lex::COUNT);
        assert_eq!(LEXICON_DIGEST.lines().count(), Lex::COUNT);
        assert_eq!(LEXICONS.split("\n[").count(), Lex::COUNT + 1);
        for (i, lex) in Lex::ALL.iter().enumerate() {
            assert_eq!(*lex as usize, i);
            assert_eq!(names[i], lex.name(), "{lex:?}");
            let body = source.split(&format!("[{}]\n", lex.name())).nth(1).unwrap();
            let body = body.split("\n[").next().unwrap();
            let want: Vec<&str> = body
                .lines()
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .collect();
            assert_eq!(lex.terms().collect::<Vec<_>>(), want, "{lex:?}");
        }
    }
}
