//! Act `solicit_money`: the draft asks for money for a candidate, party, campaign or race.
//!
//! A money cue ("donate", "chip in", "give what you can", "throw a few bucks", "Venmo me",
//! "match me", "help me raise") with a political argument (a party, an office or race, a
//! campaign word, an honorific before a name: [`political_arguments`]) in its sentence or a
//! neighbouring one. Charity drives, office collections and the Combined Federal Campaign are
//! not political.

use std::ops::Range;

use super::{Hits, Lex, Scene};

/// The political arguments in `within`: a party, office, race, campaign word or honorific, not
/// part of a non-partisan phrase ("the campaign to reduce lead pipes", "Combined Federal
/// Campaign", "Democrat or Republican").
fn political_arguments<'h>(
    scene: &'h Scene,
    hits: &'h Hits,
    within: &'h Range<usize>,
) -> impl Iterator<Item = &'h Range<usize>> + 'h {
    let neutral = hits.of(Lex::NeutralPolitics);
    [Lex::Party, Lex::Office, Lex::Campaign, Lex::Honorific]
        .into_iter()
        .flat_map(|l| hits.of(l))
        .filter(|h| h.start >= within.start && h.end <= within.end)
        .filter(move |h| {
            let in_neutral = neutral.iter().any(|n| n.start <= h.start && h.end <= n.end);
            // "the campaign to reduce lead pipes" is a cause, not a race.
            let cause = scene.norm(h.start) == "campaign" && scene.norm(h.end) == "to";
            !(in_neutral || cause)
        })
}

pub(crate) fn find(scene: &Scene, hits: &Hits) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for cue in hits.of(Lex::MoneyCue) {
        if scene.negated(cue.start) {
            continue;
        }
        let window = scene.window(cue.start, 1, 1);
        let mut args = political_arguments(scene, hits, &window).peekable();
        if args.peek().is_none() {
            continue;
        }
        // An argument right after the cue joins its span ("donate to my campaign").
        let end = args
            .filter(|a| a.start >= cue.end && a.start <= cue.end + 2)
            .map(|a| a.end)
            .min()
            .unwrap_or(cue.end);
        out.push(cue.start..end);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::acts;
    use crate::Act;

    #[test]
    fn money_for_a_campaign_or_party() {
        assert_eq!(
            acts(Act::SolicitMoney, "Chip in $5 to my campaign today"),
            vec!["Chip in"]
        );
        assert_eq!(
            acts(Act::SolicitMoney, "Please donate to my campaign"),
            vec!["donate to my campaign"]
        );
        assert_eq!(
            acts(
                Act::SolicitMoney,
                "Just sent $50 to the Whitfield campaign. Match me, friends!"
            ),
            vec!["Match me"]
        );
        assert_eq!(
            acts(
                Act::SolicitMoney,
                "Throw a few bucks to the Harper for Congress fund"
            ),
            vec!["few bucks"]
        );
    }

    #[test]
    fn charity_and_collections_are_not_political() {
        assert!(acts(
            Act::SolicitMoney,
            "Chip in for Pat's retirement gift by Friday!"
        )
        .is_empty());
        assert!(acts(
            Act::SolicitMoney,
            "Donate to the food bank drive this week."
        )
        .is_empty());
        assert!(acts(
            Act::SolicitMoney,
            "Give to the Combined Federal Campaign before January."
        )
        .is_empty());
        assert!(acts(
            Act::SolicitMoney,
            "Donate to the campaign to replace lead pipes."
        )
        .is_empty());
    }

    #[test]
    fn whatever_you_can_for_a_race() {
        assert!(!acts(
            Act::SolicitMoney,
            "Send whatever you can to the Okafor for Senate campaign tonight."
        )
        .is_empty());
        assert!(acts(
            Act::SolicitMoney,
            "Send whatever you can to the flood relief fund, every bit helps."
        )
        .is_empty());
    }
}
