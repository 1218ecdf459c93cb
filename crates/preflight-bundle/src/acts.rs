//! Act matchers in the bundle format: what a draft *does* (recommends a product, leaks an
//! announcement, asks for political money, urges a vote, discloses movements, moves business
//! off channel, deletes records), and the facts the act must come with.
//!
//! The acts themselves are built into the engine (`preflight-core`, `src/acts/`): each is a
//! family of cue phrases and small lexicons of its arguments. A rule picks one, may add words
//! to its lexicons (`extend`), cancel it with `except`, and require facts around it (`with`).
//! Kept apart from the other matchers so that the format's parts stay easy to merge.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::AccountKindCond;

/// What a draft does.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Act {
    /// Recommends or endorses a product, service or business ("I highly recommend Acme
    /// CloudSuite", "the best boots I've owned", "switch to Trello today").
    Endorse,
    /// Announces something not yet public: a secrecy cue ("can't say much", "not announced
    /// yet", "between us") or an early release of work news ("the new rule drops next Tuesday")
    /// about a work subject (rule, contract, layoffs, budget, award...).
    AnnounceNonpublic,
    /// Asks for money for a candidate, party, campaign or political committee.
    SolicitMoney,
    /// Urges a vote or support for or against a candidate or party, or speaks for or against
    /// a party ("vote for Maria Lopez", "four more years!", "Republicans have earned your vote").
    UrgeVote,
    /// Discloses future movements or a schedule: a principal (a title) or the writer, a travel
    /// verb, a time and a place ("the Administrator lands at O'Hare Monday 9 am").
    DiscloseMovements,
    /// Moves business to personal or disappearing channels ("text my personal cell about the
    /// contract", "Signal with disappearing messages for the audit").
    MoveOffChannel,
    /// Deletes, hides or destroys posts, comments or records ("just delete the post", "hide
    /// the replies", "shred the notes").
    DeleteRecords,
}

impl Act {
    /// All acts, in documentation order.
    pub const ALL: [Act; 7] = [
        Act::Endorse,
        Act::AnnounceNonpublic,
        Act::SolicitMoney,
        Act::UrgeVote,
        Act::DiscloseMovements,
        Act::MoveOffChannel,
        Act::DeleteRecords,
    ];

    /// The name used in bundles, e.g. `urge_vote`.
    pub fn as_str(self) -> &'static str {
        match self {
            Act::Endorse => "endorse",
            Act::AnnounceNonpublic => "announce_nonpublic",
            Act::SolicitMoney => "solicit_money",
            Act::UrgeVote => "urge_vote",
            Act::DiscloseMovements => "disclose_movements",
            Act::MoveOffChannel => "move_off_channel",
            Act::DeleteRecords => "delete_records",
        }
    }
}

/// The lexicons an act is built from, which a rule may extend with its own words.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ActLexicon {
    /// Words that start the act ("recommend", "vote for", "lands at", "delete").
    Cue,
    /// Political parties and partisan groups ("Working Families Party").
    Party,
    /// Candidates and races ("Maria Lopez", "Measure 12", "city council").
    Candidate,
    /// Products, services and businesses ("CloudSuite", "Acme").
    Product,
    /// Work subjects whose early release is nonpublic information ("rate decision").
    Subject,
    /// Times ("fiscal week 12").
    Time,
    /// Places ("Building 7", "the annex").
    Place,
    /// Personal or disappearing channels ("Wickr").
    Channel,
    /// Posts and records ("case notes").
    Record,
}

impl ActLexicon {
    /// The name used in bundles, e.g. `party`.
    pub fn as_str(self) -> &'static str {
        match self {
            ActLexicon::Cue => "cue",
            ActLexicon::Party => "party",
            ActLexicon::Candidate => "candidate",
            ActLexicon::Product => "product",
            ActLexicon::Subject => "subject",
            ActLexicon::Time => "time",
            ActLexicon::Place => "place",
            ActLexicon::Channel => "channel",
            ActLexicon::Record => "record",
        }
    }
}

/// An act matcher: the rule fires where the draft performs `act` and the `with` facts hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActMatcher {
    pub act: Act,
    /// Words added to the act's built-in lexicons (phrase syntax: stems, `*` wildcard).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extend: BTreeMap<ActLexicon, Vec<String>>,
    /// Phrases that cancel the act when they are in its sentence (phrase syntax).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub except: Vec<String>,
    /// Facts that must hold together with the act. Facts about the text (`employer`,
    /// `official_title`) are looked for in the act's sentence and the one before it; facts
    /// about the context (`account`, `on_duty`, `reply`, `sites`) are the draft's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with: Option<ActWith>,
}

/// Facts combined with an act. All given must hold; an absent one always holds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActWith {
    /// The employer is (not) referred to near the act: by name, alias or official handle, or
    /// without its name ("my agency", "the department I work for", "our office" with work words).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employer: Option<bool>,
    /// An official title is (not) used near the act: one of `official_titles`, or a title
    /// pattern ("Deputy Director at …", "senior official at the Department of …", "as a
    /// federal inspector").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub official_title: Option<bool>,
    /// The act does (not) concern work: a work subject (rule, contract, audit, vendor, budget...,
    /// extended by the `subject` lexicon), the employer or an official title is near it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work: Option<bool>,
    /// The posting account is official / personal / not official.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<AccountKindCond>,
    /// The employee is (not) on duty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_duty: Option<bool>,
    /// The draft is (not) a reply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<bool>,
    /// The site is one of these ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sites: Option<Vec<String>>,
    /// At least one of these holds (each a full `with`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub any: Option<Vec<ActWith>>,
}
