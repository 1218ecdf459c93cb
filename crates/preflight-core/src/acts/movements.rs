//! Act `disclose_movements`: the draft tells when and where a principal or the writer will be.
//!
//! A travel cue ("lands at", "arrives", "flying to", "will be at", "touring", "checks into",
//! "motorcade", "schedule") that is not past tense, with, in its sentence:
//! * a traveller: a principal (a title such as Secretary, Administrator, Director, "the boss")
//!   or the writer ("I", "we", "our", "me"), or none at all when the sentence opens with the
//!   cue ("Flying to Atlanta Monday…");
//! * a time: a day, a part of a day, a relative date or a clock time ("9 am", "7:15", "0800");
//! * a place: a place word (airport, hotel, field office, plant, embassy, a hotel chain) or a
//!   name after "at", "in", "to", "into", "for" ("O'Hare", "Union Station", "Boise").
//!
//! A family trip, a past visit or an officially announced public event ("join us", "watch
//! live", "RSVP") is not an operations-security disclosure.

use std::ops::Range;

use super::scene::listed;
use super::{Hits, Lex, Scene};

/// The writer, as the traveller.
const WRITER: &str = "i i'll i'm me we we'll we're our my us";

pub(crate) fn find(scene: &Scene, hits: &Hits) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for cue in hits.of(Lex::TravelCue) {
        if scene.is_past(cue.start) {
            continue;
        }
        let sentence = scene.sentence(cue.start);
        if scene.has_in(hits, Lex::TripCancel, &sentence) {
            continue;
        }
        let traveller = scene.has_in(hits, Lex::Principal, &sentence)
            || sentence.start == cue.start
            || sentence.clone().any(|k| listed(WRITER, scene.norm(k)));
        let time =
            scene.has_in(hits, Lex::Time, &sentence) || sentence.clone().any(|k| scene.is_clock(k));
        if traveller && time && has_place(scene, hits, &sentence) {
            out.push(cue.clone());
        }
    }
    out
}

/// A place word, or a name after a preposition of place.
fn has_place(scene: &Scene, hits: &Hits, sentence: &Range<usize>) -> bool {
    scene.has_in(hits, Lex::Place, sentence)
        || scene.names_in(sentence).iter().any(|n| {
            n.start > sentence.start
                && matches!(
                    scene.norm(n.start - 1),
                    "at" | "in" | "to" | "into" | "for" | "from" | "near"
                )
                && !hits.of(Lex::Time).iter().any(|t| t.start == n.start)
        })
}

#[cfg(test)]
mod tests {
    use super::super::testing::acts;
    use crate::Act;

    #[test]
    fn a_principal_or_the_writer_a_time_and_a_place() {
        assert_eq!(
            acts(
                Act::DiscloseMovements,
                "The Administrator lands at O'Hare Monday 9 am, then on to the Marriott downtown"
            ),
            vec!["lands at"]
        );
        assert_eq!(
            acts(
                Act::DiscloseMovements,
                "Flying to Atlanta Monday at 7 for the audit."
            ),
            vec!["Flying"]
        );
        assert_eq!(
            acts(
                Act::DiscloseMovements,
                "I'll be at the Denver federal center all day Tuesday."
            ),
            vec!["I'll be at"]
        );
    }

    #[test]
    fn things_family_trips_past_visits_and_public_events_are_not_disclosures() {
        for text in [
            "Version 2.1 lands Monday with offline maps.",
            "We're flying to Orlando with the kids next week!",
            "The Secretary visited the Tulsa plant on Monday.",
            "Great visit to the Denver office last week.",
            "Join us Monday at 6 pm at the Riverside Center: the Secretary will visit.",
            "Heading to bed, long day.",
            "Flying to Tampa next week for my cousin's wedding!",
            "Driving to Boise on Friday with my wife and the grandkids.",
        ] {
            assert!(acts(Act::DiscloseMovements, text).is_empty(), "{text}");
        }
    }
}
