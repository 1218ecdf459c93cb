//! Act `announce_nonpublic`: the draft announces something the employer has not released.
//!
//! A secrecy or earliness cue ("can't say much", "not announced yet", "between you and me",
//! "embargoed", "you didn't hear it from me", "got an early look", "before the official
//! release", "leaking") with a work subject (a rule, contract, award, budget, layoffs, a field
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
            vec!["Can't say much", "drops next"]
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
}
