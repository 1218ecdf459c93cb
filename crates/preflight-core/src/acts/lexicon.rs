//! The lexicons acts and facts are built from: phrase families (matched like bundle phrase
//! terms: stems, whole words, `*` at the end of a word), each compiled once per bundle into the
//! engine's phrase index and searched in its single pass over the draft. The terms are in
//! `lexicons.txt` (one section a lexicon); `build.rs` stems them at build time, so loading the
//! engine (the WebAssembly cold start) only reads the digest.
//!
//! Each lexicon is one string with a term a line (a table of `&str` would cost the WebAssembly
//! module a pointer and a length per term). Act-specific cue families live in the act's own file; the argument lexicons several acts
//! share (times, places, parties, offices, work subjects, titles) live here.

/// The lexicons' terms: one section a lexicon (`[time]`), one term a line (`lexicons.txt`
/// without its comment lines, from `build.rs`).
static LEXICONS: &str = include_str!(concat!(env!("OUT_DIR"), "/lexicons.min.txt"));

/// What `build.rs` computed for them: one line per section, `name\tentries`.
static LEXICON_DIGEST: &str = include_str!(concat!(env!("OUT_DIR"), "/lexicon-digest.txt"));

/// The body of section `[name]` of `text`.
fn section<'t>(text: &'t str, name: &str) -> &'t str {
    text.split("\n[")
        .find_map(|s| s.strip_prefix(name).and_then(|r| r.strip_prefix("]\n")))
        .map_or("", |body| body.split("\n[").next().unwrap_or(body))
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

    /// The section of `lexicons.txt` holding this lexicon.
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
        section(LEXICONS, self.name())
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
    }

    /// The terms' compiled words from the build-time digest (see `build.rs`).
    pub fn digest(self) -> Option<&'static str> {
        LEXICON_DIGEST.lines().find_map(|l| {
            l.split_once('\t')
                .filter(|(name, _)| *name == self.name())
                .map(|(_, d)| d)
        })
    }
}
