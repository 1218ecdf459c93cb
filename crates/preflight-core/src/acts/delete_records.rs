//! Act `delete_records`: the draft deletes, hides or destroys posts, comments or records.
//!
//! A delete cue ("delete", "scrub", "wipe", "hide", "take down", "remove", "shred", "clear
//! out", "purge") with a post or record in its sentence (post, tweet, replies, comments,
//! thread, notes, folder, emails, chat…), unless the sentence gives a documented reason (a
//! correction, the comment policy, an archive). A past-tense deletion ("we removed a comment")
//! is a report and counts only with a concealment cue ("if the reporters ask", "nobody will
//! notice", "before legal asks for it"). Whether the records are official or work records is
//! the rule's `with` (an official account, or `work`).

use std::ops::Range;

use super::{Hits, Lex, Scene};

pub(crate) fn find(scene: &Scene, hits: &Hits) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let concealed = |within: &Range<usize>| scene.has_in(hits, Lex::Concealment, within);
    for cue in hits.of(Lex::DeleteCue) {
        let sentence = scene.sentence(cue.start);
        if !scene.has_in(hits, Lex::Record, &sentence) {
            continue;
        }
        // A documented reason counts unless it is part of a concealment ("no correction").
        let documented = hits.of(Lex::DocumentedReason).iter().any(|d| {
            d.start >= sentence.start
                && d.end <= sentence.end
                && !hits
                    .of(Lex::Concealment)
                    .iter()
                    .any(|c| c.start <= d.start && d.end <= c.end)
        });
        if documented || scene.negated(cue.start) {
            continue;
        }
        let window = scene.window(cue.start, 1, 1);
        if scene.is_past(cue.start) && !concealed(&window) {
            continue;
        }
        out.push(cue.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::acts;
    use crate::Act;

    #[test]
    fn deletes_or_hides_posts_and_records() {
        assert_eq!(
            acts(
                Act::DeleteRecords,
                "Just delete the post and nobody will remember it."
            ),
            vec!["delete"]
        );
        assert_eq!(
            acts(
                Act::DeleteRecords,
                "Can someone hide the replies under the outage post?"
            ),
            vec!["hide"]
        );
        assert_eq!(
            acts(
                Act::DeleteRecords,
                "If the reporters ask, I already deleted the thread with the contractor."
            ),
            vec!["deleted"]
        );
    }

    #[test]
    fn documented_or_reported_removals_and_other_things_are_not() {
        for text in [
            "We removed a comment that included a phone number, per our comment policy.",
            "I archived my old blog posts instead of deleting them.",
            "Hide the cookies from the kids.",
            "Version 4.0 removes the legacy delete button.",
        ] {
            assert!(acts(Act::DeleteRecords, text).is_empty(), "{text}");
        }
    }
}
