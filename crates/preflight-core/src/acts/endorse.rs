//! Act `endorse`: the draft recommends or endorses a product, service or business.
//!
//! A recommending cue ("highly recommend", "swear by", "the only vendor I'd trust", "should be
//! buying", "worth every penny", "you need", "go with", "nothing else comes close", "use code") not negated just before it ("does not endorse"), with a
//! product argument in its sentence or the one before: a product or business noun (app,
//! platform, vendor, boots, credit union…) or a private name ("Acme CloudSuite", "Trello").
//! Names of the government's own (a "Department", "Administration", "Secretary") are not
//! products. Whether the endorsement trades on the office (a title, the employer, an official
//! account) is the rule's `with`, not the act's.

use std::ops::Range;

use super::{Hits, Lex, Scene};

pub(crate) fn find(scene: &Scene, hits: &Hits) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for cue in hits.of(Lex::EndorseCue) {
        let first = scene.norm(cue.start);
        if scene.negated(cue.start) && !matches!(first, "can't" | "cannot") {
            continue;
        }
        // "can't recommend" endorses only as "can't recommend it enough".
        if matches!(first, "can't" | "cannot") && !near_enough(scene, cue.end) {
            continue;
        }
        let s = scene.sentence_of(cue.start);
        let window = scene.sentences(s.saturating_sub(1), s);
        let product = scene.has_in(hits, Lex::Product, &window)
            || scene
                .names_in(&window)
                .iter()
                .any(|n| scene.is_private_name(n));
        if product {
            out.push(cue.clone());
        }
    }
    out
}

/// "enough" within three words after `from`.
fn near_enough(scene: &Scene, from: usize) -> bool {
    (from..from + 3).any(|k| scene.norm(k) == "enough")
}

#[cfg(test)]
mod tests {
    use super::super::testing::acts;
    use crate::Act;

    #[test]
    fn recommends_a_product_or_business() {
        assert_eq!(
            acts(
                Act::Endorse,
                "I highly recommend Acme CloudSuite to every agency"
            ),
            vec!["highly recommend"]
        );
        assert_eq!(
            acts(Act::Endorse, "These work boots are the best I've owned."),
            vec!["the best"]
        );
        assert_eq!(
            acts(Act::Endorse, "The Rugged X2. Can't recommend it enough."),
            vec!["Can't recommend"]
        );
    }

    #[test]
    fn needs_a_product_and_no_negation() {
        assert!(acts(
            Act::Endorse,
            "We recommend that you file early to avoid delays."
        )
        .is_empty());
        assert!(acts(Act::Endorse, "The agency does not endorse any app.").is_empty());
        assert!(acts(Act::Endorse, "I can't recommend this place, sorry.").is_empty());
        // The government's own names are not products.
        assert!(acts(
            Act::Endorse,
            "We recommend the free guides of the Small Business Administration."
        )
        .is_empty());
    }

    #[test]
    fn the_ways_people_push_a_product() {
        for text in [
            "Go with Lumen Networks for your fiber, hands down.",
            "You need the Kestrel dashcam, best $90 I've spent.",
            "Shoutout to Blue Door Catering! Tell them we sent you.",
            "Our crews swear by Ironclad gloves. Grab a pair.",
            "Our field office runs on Slack, nothing else comes close.",
            "Ridgeline Solar did our roof. Use code SUN10 for 10% off.",
        ] {
            assert!(!acts(Act::Endorse, text).is_empty(), "{text}");
        }
        for text in [
            // The government's own sites and services are not products.
            "You need a Login.gov account to apply for benefits online.",
            "You need to renew your passport six months before travel.",
            "Sign up for text alerts about your application status.",
            "Go with the online form: it is faster than mailing paper.",
            "You need your Social Security card to apply.",
            "Hands down the best part of the day was meeting the kids at Lincoln Elementary.",
            // "account" is not "accountant"; "print" is not a print shop.
            "Print your account summary before the office visit.",
        ] {
            assert!(acts(Act::Endorse, text).is_empty(), "{text}");
        }
    }
}
