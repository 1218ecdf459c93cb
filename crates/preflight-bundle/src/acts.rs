//! Act matchers in the bundle format: what a draft *does* (recommends a product, leaks an
//! announcement, asks for political money, urges a vote, discloses movements, moves business
//! off channel, deletes records), and the facts the act must come with.
//!
//! The acts themselves are built into the engine (`preflight-core`, `src/acts/`): each is a
//! family of cue phrases and small lexicons of its arguments. A rule picks one, may add words
//! to its cues (`cue`) and to the lexicon of its argument (`argument`), cancel it with
//! `except`, and require conditions around it (`with`, a `when` read near the act).
//! Kept apart from the other matchers so that the format's parts stay easy to merge.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What a draft does. In a bundle it is written by name (`"act": "urge_vote"`); the name is
/// read as a string and checked by [`Act::from_name`] (a derived enum deserializer would cost
/// the WebAssembly module a few kilobytes per JSON reader).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, JsonSchema)]
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

    /// The act of a bundle name.
    pub fn from_name(name: &str) -> Option<Act> {
        Act::ALL.into_iter().find(|a| a.as_str() == name)
    }

    /// The names of all acts, for messages: `` `endorse`, `announce_nonpublic`, … ``.
    pub fn names() -> String {
        Act::ALL
            .iter()
            .map(|a| format!("`{}`", a.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    }

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

/// An act matcher: the rule fires where the draft performs `act` and the `with` conditions
/// hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActMatcher {
    /// Which act (see [`Act`]).
    #[schemars(with = "Act")]
    pub act: String,
    /// More words that start the act (phrase syntax: stems, `*` wildcard).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cue: Vec<String>,
    /// More words for the act's argument (phrase syntax): products and businesses for
    /// `endorse`, work subjects for `announce_nonpublic`, parties, candidates and races for
    /// `solicit_money` and `urge_vote`, places for `disclose_movements`, channels for
    /// `move_off_channel`, posts and records for `delete_records`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub argument: Vec<String>,
    /// Phrases that cancel the act when they are in its sentence (phrase syntax).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub except: Vec<String>,
    /// Conditions that must hold together with the act: a `when`, whose conditions on the
    /// text (`mentions_employer`, `employer_reference`, `official_title`, `work`) are looked
    /// for near the act (its sentence and the ones on either side), the others on the draft.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with: Option<crate::When>,
}
