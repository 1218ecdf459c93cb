//! Acts: recognisers of what a draft *does*, and the text facts they are combined with.
//!
//! A bundle rule's `{"act": {...}}` matcher names one act; the engine finds where the draft
//! performs it and keeps those places where the rule's `with` facts hold. Each act is one file
//! with its tests:
//!
//! | act | file | reads |
//! |---|---|---|
//! | `endorse` | [`endorse`] | a recommending cue + a product, service or business (not a kind: "a password manager"), or a name designated the product ("Rentwise is the app to …") |
//! | `announce_nonpublic` | [`announce`] | a secrecy or earliness cue ("under wraps", "before it's announced") about a work subject |
//! | `solicit_money` | [`solicit`] | a money cue + a campaign, candidate, party or race |
//! | `urge_vote` | [`urge_vote`] | a vote/support cue + a candidate or office, or a party judged |
//! | `disclose_movements` | [`movements`] | a principal or the writer + a travel cue + a time + a place |
//! | `move_off_channel` | [`off_channel`] | a "reach me on" cue + a personal or disappearing channel |
//! | `delete_records` | [`delete_records`] | a delete/hide cue + a post or record |
//!
//! Two text facts are read here as well, for rules and for the disclaimer decision:
//! [`employer`] (the employer referred to without its name: "my agency", "the department I
//! work for") and [`title`] (title patterns beyond the bundle's list: "Deputy Director at the
//! Department of …").
//!
//! Everything is built from the engine's phrase machinery: each lexicon ([`lexicon`]) is a
//! phrase list compiled once per bundle into the same index as the rules' phrases, so one pass
//! over the draft finds the cues of every act. An act runs only when one of its cues is in
//! the draft, and the [`Scene`] (sentences, names, clocks) is built only then.

mod announce;
mod delete_records;
pub(crate) mod employer;
mod endorse;
mod lexicon;
mod movements;
mod off_channel;
mod scene;
mod solicit;
pub(crate) mod title;
mod urge_vote;

use std::ops::Range;

pub(crate) use lexicon::Lex;
pub(crate) use scene::{Hits, Scene};

use crate::phrases::{Found, PhraseIndexBuilder, PhraseSet, TermError};
use crate::Act;

/// The cue lexicon of an act: the act runs only when one of its cues is in the draft.
pub(crate) fn cue_lexicon(act: Act) -> Lex {
    match act {
        Act::Endorse => Lex::EndorseCue,
        Act::AnnounceNonpublic => Lex::SecrecyCue,
        Act::SolicitMoney => Lex::MoneyCue,
        Act::UrgeVote => Lex::VoteCue,
        Act::DiscloseMovements => Lex::TravelCue,
        Act::MoveOffChannel => Lex::ChannelCue,
        Act::DeleteRecords => Lex::DeleteCue,
    }
}

/// The lexicon of an act's main argument, which a rule's `argument` words extend.
pub(crate) fn argument_lexicon(act: Act) -> Lex {
    match act {
        Act::Endorse => Lex::Product,
        Act::AnnounceNonpublic => Lex::Subject,
        Act::SolicitMoney | Act::UrgeVote => Lex::Party,
        Act::DiscloseMovements => Lex::Place,
        Act::MoveOffChannel => Lex::Channel,
        Act::DeleteRecords => Lex::Record,
    }
}

/// Lexicons whose hits can start an act on their own (an `urge_vote` also starts at a party
/// judged, an `endorse` at a designation: "Rentwise is the app to …").
fn starts(act: Act) -> &'static [Lex] {
    match act {
        Act::UrgeVote => &[Lex::VoteStrong, Lex::Party, Lex::Office],
        Act::Endorse => &[Lex::Designation],
        _ => &[],
    }
}

/// The lexicons that trigger a text fact: without a hit of one, no fact needs the scene.
pub(crate) const FACT_TRIGGERS: &[Lex] = &[Lex::EmployerNoun, Lex::TitleHead, Lex::TitlePhrase];

/// The lexicons that can start `act`.
pub(crate) fn triggers(act: Act) -> impl Iterator<Item = Lex> {
    std::iter::once(cue_lexicon(act)).chain(starts(act).iter().copied())
}

/// Where the draft performs `act`: slot ranges (from the cue to the argument that completes it).
pub(crate) fn find(act: Act, scene: &Scene, hits: &Hits) -> Vec<Range<usize>> {
    match act {
        Act::Endorse => endorse::find(scene, hits),
        Act::AnnounceNonpublic => announce::find(scene, hits),
        Act::SolicitMoney => solicit::find(scene, hits),
        Act::UrgeVote => urge_vote::find(scene, hits),
        Act::DiscloseMovements => movements::find(scene, hits),
        Act::MoveOffChannel => off_channel::find(scene, hits),
        Act::DeleteRecords => delete_records::find(scene, hits),
    }
}

/// The act may be in the draft: one of its cues (or starting lexicons) matched.
pub(crate) fn may_occur(act: Act, hits: &Hits) -> bool {
    hits.any(cue_lexicon(act)) || starts(act).iter().any(|l| hits.any(*l))
}

/// The built-in lexicons, compiled once per bundle into the engine's phrase index.
#[derive(Debug)]
pub(crate) struct Lexicons {
    sets: Vec<PhraseSet>,
}

impl Lexicons {
    /// Add every lexicon to the index.
    pub fn add(index: &mut PhraseIndexBuilder) -> Result<Self, Vec<TermError>> {
        let mut sets = Vec::with_capacity(Lex::COUNT);
        let mut terms: Vec<&str> = Vec::new();
        for lex in Lex::ALL {
            terms.clear();
            terms.extend(lex.terms());
            sets.push(index.add_digested(&terms, lex.digest())?);
        }
        Ok(Self { sets })
    }

    /// Some of `lexicons` matched the draft.
    pub fn any_of(&self, found: &Found, lexicons: &[Lex]) -> bool {
        lexicons
            .iter()
            .any(|l| !found.of(self.sets[*l as usize]).is_empty())
    }

    /// The hits of every lexicon.
    pub fn hits(&self, found: &Found) -> Hits {
        let mut hits = Hits::new();
        for (lex, set) in Lex::ALL.iter().zip(&self.sets) {
            let m = found.of(*set);
            if !m.is_empty() {
                hits.add(*lex, m);
            }
        }
        hits
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Run one act or fact on a draft, for the acts' own tests.
    use super::*;
    use crate::phrases::Stream;
    use crate::Tokenizer;

    /// The texts of the places where `act` is performed in `text`.
    pub fn acts(act: Act, text: &str) -> Vec<String> {
        with_scene(text, |scene, hits| {
            if !may_occur(act, hits) {
                return Vec::new();
            }
            let mut found = find(act, scene, hits);
            found.sort_by_key(|r| (r.start, r.end));
            found.dedup();
            found
                .into_iter()
                .map(|r| text[scene.span(r)].to_string())
                .collect()
        })
    }

    pub fn with_scene<T>(text: &str, f: impl FnOnce(&Scene, &Hits) -> T) -> T {
        let tk = Tokenizer::new("en").unwrap();
        let mut b = PhraseIndexBuilder::new(&tk);
        let lex = Lexicons::add(&mut b).unwrap();
        let index = b.build();
        let toks = tk.tokenize(text);
        let stream = Stream::new(&tk, &toks);
        let found = index.find(&stream);
        let hits = lex.hits(&found);
        let scene = Scene::new(text, &stream.slots);
        f(&scene, &hits)
    }

    #[test]
    fn every_lexicon_compiles() {
        let tk = Tokenizer::new("en").unwrap();
        for lex in Lex::ALL {
            let terms: Vec<&str> = lex.terms().collect();
            let mut b = PhraseIndexBuilder::new(&tk);
            assert!(b.add(&terms).is_ok(), "{lex:?}");
            assert!(!terms.is_empty(), "{lex:?}");
            // One term a line, no stray spaces.
            assert!(terms.iter().all(|t| t.trim() == *t), "{lex:?}");
            // The build-time digest gives what compiling the terms gives.
            let digest = lex.digest().expect("digested");
            assert_eq!(digest.split('|').count(), terms.len(), "{lex:?}");
            let (mut plain, mut digested) =
                (PhraseIndexBuilder::new(&tk), PhraseIndexBuilder::new(&tk));
            plain.add(&terms).unwrap();
            digested.add_digested(&terms, Some(digest)).unwrap();
            assert_eq!(
                plain.terms_for_tests(),
                digested.terms_for_tests(),
                "{lex:?}"
            );
        }
    }
}
