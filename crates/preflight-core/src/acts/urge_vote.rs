//! Act `urge_vote`: the draft urges a vote or support for or against a candidate or party, or
//! speaks for or against a party.
//!
//! Three readings:
//! 1. a vote or support cue ("vote for", "re-elect", "backing", "stand with", "knocking doors
//!    for", "four more years") aimed at a candidate: a name right after it ("vote for Maria
//!    Lopez", "vote Ellis"), an honorific and a name ("Senator Alvarez"), a party, or an office
//!    or race in its sentence or a neighbouring one ("support Tom Becker for governor");
//! 2. a cue that needs no target ("vote them out", "flip the Senate");
//! 3. a party judged: a party with a judgement in its sentence ("Democrats deliver",
//!    "Republicans have earned your vote", "the GOP lose the House").
//!
//! Past tense ("our book club voted for …") is a report, not an appeal; election words alone
//! ("vote on Tuesday", "Election Day", "polling place") are non-partisan; "Democrat or
//! Republican" names no side.

use std::ops::Range;

use super::{Hits, Lex, Scene};

pub(crate) fn find(scene: &Scene, hits: &Hits) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let neutral = |r: &Range<usize>| {
        hits.of(Lex::NeutralPolitics)
            .iter()
            .any(|n| n.start <= r.start && r.end <= n.end)
    };
    for cue in hits.of(Lex::VoteCue) {
        // "elect" shares its stem with "election", "electoral": the noun is no appeal.
        let noun = scene.norm(cue.start).starts_with("electi")
            || scene.norm(cue.start).starts_with("elector");
        if noun || scene.is_past(cue.start) || neutral(cue) {
            continue;
        }
        let target = aimed_at(scene, hits, cue.end);
        let window = scene.window(cue.start, 1, 1);
        if target || candidate_argument(scene, hits, &window, &neutral) {
            out.push(cue.clone());
        }
    }
    for cue in hits.of(Lex::VoteStrong) {
        out.push(cue.clone());
    }
    // A campaign hashtag: "#SmithForSenate", "#Jones4Mayor".
    for k in 0..scene.len() {
        if campaign_hashtag(scene.norm(k)) {
            out.push(k..k + 1);
        }
    }
    for party in hits.of(Lex::Party) {
        if neutral(party) {
            continue;
        }
        let sentence = scene.sentence(party.start);
        if scene.has_in(hits, Lex::PartyJudgement, &sentence) {
            out.push(party.clone());
        }
    }
    out
}

/// Offices a campaign hashtag ends with.
const HASHTAG_OFFICES: &str =
    "senate congress governor mayor president potus house council sheriff da";

/// `#<name>for<office>` or `#<name>4<office>`, with a name before "for".
fn campaign_hashtag(norm: &str) -> bool {
    let Some(body) = norm.strip_prefix('#') else {
        return false;
    };
    HASHTAG_OFFICES.split(' ').any(|office| {
        body.strip_suffix(office).is_some_and(|rest| {
            rest.strip_suffix("for")
                .or_else(|| rest.strip_suffix('4'))
                .is_some_and(|name| {
                    name.len() >= 2 && name.bytes().all(|b| b.is_ascii_alphabetic())
                })
        })
    })
}

/// A candidate or party right after a cue: a private name, an honorific, or a party, perhaps
/// after "the".
fn aimed_at(scene: &Scene, hits: &Hits, at: usize) -> bool {
    if scene.sentence_of(at) != scene.sentence_of(at.saturating_sub(1)) {
        return false;
    }
    // "the" may stand before a party or an honorific ("the GOP", "the Senator"), not a name
    // ("back the Bills").
    let after_the = if scene.norm(at) == "the" { at + 1 } else { at };
    let starts_at = |l: Lex| hits.of(l).iter().any(|h| h.start == after_the);
    starts_at(Lex::Party)
        || starts_at(Lex::Honorific)
        || scene
            .proper_name(at)
            .is_some_and(|n| scene.is_private_name(&n))
}

/// An office, race, party or honorific in `within`, not part of a non-partisan phrase.
fn candidate_argument(
    scene: &Scene,
    hits: &Hits,
    within: &Range<usize>,
    neutral: &dyn Fn(&Range<usize>) -> bool,
) -> bool {
    [Lex::Party, Lex::Office, Lex::Honorific]
        .into_iter()
        .flat_map(|l| hits.of(l))
        .filter(|h| h.start >= within.start && h.end <= within.end)
        .any(|h| {
            // "the president of the club" is no candidate.
            let of_something = scene.norm(h.start) == "president" && scene.norm(h.end) == "of";
            !(neutral(h) || of_something)
        })
}

#[cfg(test)]
mod tests {
    use super::super::testing::acts;
    use crate::Act;

    #[test]
    fn urges_a_vote_for_a_candidate_or_party() {
        assert_eq!(
            acts(Act::UrgeVote, "Please vote for Maria Lopez on November 4."),
            vec!["vote for"]
        );
        assert_eq!(
            acts(
                Act::UrgeVote,
                "Four more years! Proud to stand with President Hayes."
            ),
            vec!["Four more years", "stand with"]
        );
        assert_eq!(
            acts(
                Act::UrgeVote,
                "I'm asking you to support Tom Becker for governor."
            ),
            vec!["support"]
        );
        assert_eq!(acts(Act::UrgeVote, "Vote them out!"), vec!["Vote them out"]);
    }

    #[test]
    fn campaign_hashtags() {
        assert_eq!(
            acts(Act::UrgeVote, "#SmithForSenate rally tonight"),
            vec!["#SmithForSenate"]
        );
        assert!(acts(Act::UrgeVote, "#ReadyForSummer at the senate pool").is_empty());
    }

    #[test]
    fn a_party_judged() {
        assert_eq!(
            acts(Act::UrgeVote, "Republicans have earned your vote."),
            vec!["Republicans", "earned your vote", "vote"]
        );
    }

    #[test]
    fn non_partisan_and_past_tense_are_not_appeals() {
        assert!(acts(
            Act::UrgeVote,
            "Don't forget to vote on Tuesday! Find your polling place."
        )
        .is_empty());
        assert!(acts(
            Act::UrgeVote,
            "Vote for your favorite photo in our contest!"
        )
        .is_empty());
        assert!(acts(
            Act::UrgeVote,
            "Our book club voted for Pride and Prejudice."
        )
        .is_empty());
        assert!(acts(
            Act::UrgeVote,
            "I serve under any administration, Democrat or Republican."
        )
        .is_empty());
        assert!(acts(
            Act::UrgeVote,
            "Four more years until my loans are paid off."
        )
        .is_empty());
        assert!(acts(Act::UrgeVote, "Back the Bills this Sunday!").is_empty());
        // "back" is too common a word to be a cue ("my back hurts"); "backing" is one.
        assert!(acts(Act::UrgeVote, "My back hurts after the Senate hearing.").is_empty());
        // "elect" and "election" share a stem.
        assert!(acts(
            Act::UrgeVote,
            "The election is in November. Check your state's rules."
        )
        .is_empty());
        assert_eq!(acts(Act::UrgeVote, "Elect Priya Shah!"), vec!["Elect"]);
    }

    #[test]
    fn a_tally_is_a_report() {
        for text in [
            "The Senate confirmed our new Secretary today by a vote of 62 to 38.",
            "The vote on the farm bill in the House is expected Thursday.",
            "City council took a vote and the mayor's budget passed.",
        ] {
            assert!(acts(Act::UrgeVote, text).is_empty(), "{text}");
        }
        assert!(!acts(Act::UrgeVote, "Get out the vote for Senator Hale!").is_empty());
        assert!(!acts(Act::UrgeVote, "Cast your vote for Mayor Jensen.").is_empty());
    }

    #[test]
    fn another_term_a_win_and_a_colour() {
        for text in [
            "Proud to back Mayor Jensen for another term!",
            "Congrats to Senator Hale on the win, here's to a second term.",
            "Vote blue all the way down the ballot.",
            "Get behind Carlos Vega for county commissioner!",
        ] {
            assert!(!acts(Act::UrgeVote, text).is_empty(), "{text}");
        }
        for text in [
            "Another term of night classes, I'm exhausted.",
            "Congrats to my cousin on the win at the chess tournament!",
            "Get behind the kids' soccer team at Saturday's final!",
        ] {
            assert!(acts(Act::UrgeVote, text).is_empty(), "{text}");
        }
    }
}
