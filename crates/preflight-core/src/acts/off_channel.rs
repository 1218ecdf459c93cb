//! Act `move_off_channel`: the draft moves business to a personal or disappearing channel.
//!
//! A channel cue ("DM me on", "text me on", "email my", "reach me on", "use my", "to my
//! private…") with a personal or disappearing channel in its sentence (personal e-mail or
//! phone, Gmail, Signal, WhatsApp, Telegram, Snapchat, ProtonMail…), or a channel that hides
//! records by itself ("disappearing messages", "auto-delete", "don't put it in writing", "off
//! email"). Whether it is *business* that moves is the rule's `with` (`work`, or an official
//! account): "DM me on Instagram for the concert tickets" is not.

use std::ops::Range;

use super::{Hits, Lex, Scene};

pub(crate) fn find(scene: &Scene, hits: &Hits) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for cue in hits.of(Lex::ChannelCue) {
        let sentence = scene.sentence(cue.start);
        // A channel in the cue's sentence (for a record-hiding cue, the cue itself).
        if scene.has_in(hits, Lex::Channel, &sentence) {
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
    fn sends_someone_to_a_personal_or_disappearing_channel() {
        assert_eq!(
            acts(
                Act::MoveOffChannel,
                "Text me on my personal cell about the contract."
            ),
            vec!["Text me on"]
        );
        assert_eq!(
            acts(
                Act::MoveOffChannel,
                "Turn on disappearing messages for this."
            ),
            vec!["disappearing messages"]
        );
    }

    #[test]
    fn naming_a_channel_is_not_moving_to_it() {
        assert!(acts(
            Act::MoveOffChannel,
            "My personal email got hacked, ignore it."
        )
        .is_empty());
        assert!(acts(
            Act::MoveOffChannel,
            "Join our Signal group for the garden club!"
        )
        .is_empty());
        assert!(acts(
            Act::MoveOffChannel,
            "Text me when you're at the restaurant!"
        )
        .is_empty());
    }
}
