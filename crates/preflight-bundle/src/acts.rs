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
///
/// Read through a JSON value by hand ([`ActMatcher::from_value`]) rather than by a derived
/// deserializer: a derived one is compiled once per JSON reader the bundle crate uses, and the
/// WebAssembly module is short of room.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
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

/// The fields of an act matcher, for messages.
const FIELDS: &str = "`act`, `cue`, `argument`, `except`, `with`";

impl ActMatcher {
    /// Read an act matcher from its JSON value, with the checks a derived deserializer with
    /// `deny_unknown_fields` makes: an object, `act` a string, the lists lists of strings, no
    /// other field. Errors name the field.
    pub fn from_value(v: serde_json::Value) -> Result<Self, String> {
        let serde_json::Value::Object(map) = v else {
            return Err(format!(
                "invalid type: {}, expected an act matcher object",
                kind(&v)
            ));
        };
        let mut m = ActMatcher {
            act: String::new(),
            cue: Vec::new(),
            argument: Vec::new(),
            except: Vec::new(),
            with: None,
        };
        let mut has_act = false;
        for (key, value) in map {
            match key.as_str() {
                "act" => match value {
                    serde_json::Value::String(s) => {
                        m.act = s;
                        has_act = true;
                    }
                    other => {
                        return Err(format!(
                            "act: invalid type: {}, expected a string",
                            kind(&other)
                        ))
                    }
                },
                "cue" => m.cue = strings(&key, value)?,
                "argument" => m.argument = strings(&key, value)?,
                "except" => m.except = strings(&key, value)?,
                "with" => {
                    m.with = Some(serde_json::from_value(value).map_err(|e| format!("with: {e}"))?)
                }
                other => return Err(format!("unknown field `{other}`, expected one of {FIELDS}")),
            }
        }
        if !has_act {
            return Err("missing field `act`".into());
        }
        Ok(m)
    }
}

fn kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "boolean",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "object",
    }
}

fn strings(key: &str, v: serde_json::Value) -> Result<Vec<String>, String> {
    let serde_json::Value::Array(items) = v else {
        return Err(format!(
            "{key}: invalid type: {}, expected a list of strings",
            kind(&v)
        ));
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| match item {
            serde_json::Value::String(s) => Ok(s),
            other => Err(format!(
                "{key}[{i}]: invalid type: {}, expected a string",
                kind(&other)
            )),
        })
        .collect()
}

impl<'de> Deserialize<'de> for ActMatcher {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(deserializer)?;
        ActMatcher::from_value(v).map_err(serde::de::Error::custom)
    }
}
