//! Act `announce_nonpublic`: the draft announces something the employer has not released.
//!
//! A secrecy or earliness cue ("can't say much", "not announced yet", "between you and me",
//! "embargoed", "you didn't hear it from me", "got an early look", "before the official
//! release", "under wraps", "heard internally", "leaking") with a work subject (a rule, contract, award, budget, layoffs, a field
//! office, the department…: the `subject` lexicon) in its sentence or a neighbouring one. The
//! cue alone is gossip ("between you and me, the lasagna is better"); the subject alone is news
//! ("the rule was published today").

use std::ops::Range;

use super::{Hits, Lex, Scene};

pub(crate) fn find(scene: &Scene, hits: &Hits) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for cue in hits.of(Lex::SecrecyCue) {
        let window = scene.window(cue.start, 1, 1);
        if scene.has_in(hits, Lex::Subject, &window) {
            out.push(cue.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::acts;
    use crate::Act;

    #[test]
    fn a_secrecy_cue_about_a_work_subject() {
        assert_eq!(
            acts(
                Act::AnnounceNonpublic,
                "Can't say much but the new rule drops next Tuesday"
            ),
            vec!["Can't say much"]
        );
        assert_eq!(
            acts(
                Act::AnnounceNonpublic,
                "Layoffs next month, 200 positions. Keep it quiet."
            ),
            vec!["Keep it quiet"]
        );
    }

    #[test]
    fn gossip_and_published_news_are_not_leaks() {
        assert!(acts(
            Act::AnnounceNonpublic,
            "Between you and me, the leftover lasagna is better."
        )
        .is_empty());
        assert!(acts(
            Act::AnnounceNonpublic,
            "The final rule was published today; comments closed in May."
        )
        .is_empty());
    }

    #[test]
    fn a_lifted_embargo_is_released() {
        for text in [
            "Embargo lifted: the audit report on the field office is out.",
            "The embargo on the budget report has been lifted, read it here.",
        ] {
            assert!(acts(Act::AnnounceNonpublic, text).is_empty(), "{text}");
        }
        assert!(!acts(
            Act::AnnounceNonpublic,
            "Embargoed until Monday: the budget cuts are deep."
        )
        .is_empty());
        // What is lifted is the freeze, not the secrecy.
        assert!(!acts(
            Act::AnnounceNonpublic,
            "Can't say much but the hiring freeze gets lifted next week."
        )
        .is_empty());
    }

    #[test]
    fn the_ways_people_say_it_is_not_out_yet() {
        for text in [
            "Psst, the contract award goes to Beacon Systems next week.",
            "Heard internally the grants budget is getting slashed 40%.",
            "Not supposed to post this but the settlement is $2M, press release Monday.",
            "Under wraps for now: the field office in Boise closes in June.",
            "FYI ahead of the press release, the recall covers every 2021 model.",
            "Keep it on the down low: the new contract goes to Northwind.",
        ] {
            assert!(!acts(Act::AnnounceNonpublic, text).is_empty(), "{text}");
        }
        for text in [
            "Not public yet but I'm engaged!! Telling family first.",
            "My new mixtape drops next week, been working on it all year.",
            "We fill most positions internally, so check our careers page.",
            "Under the weather today, no work for me.",
            "Keep it on the down low, I'm planning a surprise party.",
        ] {
            assert!(acts(Act::AnnounceNonpublic, text).is_empty(), "{text}");
        }
    }
}
