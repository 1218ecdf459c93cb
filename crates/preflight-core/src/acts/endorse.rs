//! Act `endorse`: the draft recommends or endorses a product, service or business.
//!
//! A recommending cue ("highly recommend", "swear by", "the only vendor I'd trust", "should be
//! buying", "worth every penny", "you need", "go with", "nothing else comes close", "use code") not negated just before it ("does not endorse"), with a
//! product argument in its sentence or the one before: a product or business noun (app,
//! platform, vendor, boots, credit union…) or a private name ("Acme CloudSuite", "Trello").
//! Names of the government's own (a "Department", "Administration", "Secretary") are not
//! products, and a product noun named as a kind ("use a password manager") is advice, not an
//! endorsement. A private name designated *the* product for a purpose ("Rentwise is the app to
//! manage your units") endorses without any cue. Whether the endorsement trades on the office (a title, the employer, an official
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
        let product = hits
            .of(Lex::Product)
            .iter()
            .filter(|h| h.start >= window.start && h.end <= window.end)
            .any(|h| !generic(scene, h))
            || scene.names_in(&window).iter().any(|n| {
                // "VPN" is a kind of product written in capitals, not a brand.
                let noun = hits
                    .of(Lex::Product)
                    .iter()
                    .any(|h| h.start <= n.start && n.end <= h.end);
                scene.is_private_name(n) && !noun
            });
        if product {
            out.push(cue.clone());
        }
    }
    for p in hits.of(Lex::Product) {
        if !hits.any(Lex::Designation) {
            break;
        }
        if let Some(start) = designation(scene, p) {
            out.push(start..p.end);
        }
    }
    out
}

/// A product noun named as a kind, not a thing: "a", "an", "any" or "some" at most two words
/// before it ("using a password manager", "any good VPN app"). Advice to use a kind of product
/// endorses nobody's; a brand named with it ("a Kestrel dashcam") is a private name, which
/// counts on its own.
#[inline(never)]
fn generic(scene: &Scene, h: &Range<usize>) -> bool {
    let sentence = scene.sentence(h.start);
    (h.start.saturating_sub(3).max(sentence.start)..h.start)
        .any(|k| matches!(scene.norm(k), "a" | "an" | "any" | "some"))
}

/// A private name designated *the* product for a purpose: "Rentwise is the app to manage your
/// units", "Pinecrest is the firm for your taxes", "Northgate is the only vendor you need".
/// The name, "is" or "are", "the" (perhaps "only", "one" or "right"), the product noun, then a
/// purpose ("to" and a verb) or an audience ("for you", "for every agency", "you need").
/// "Acme is the company that won the bid" reports; it does not designate. Returns the name's
/// first slot.
#[inline(never)]
fn designation(scene: &Scene, p: &Range<usize>) -> Option<usize> {
    let mut k = p.start.checked_sub(1)?;
    if matches!(scene.norm(k), "only" | "one" | "right") {
        k = k.checked_sub(1)?;
    }
    let verb = k.checked_sub(1)?;
    if scene.norm(k) != "the" || !matches!(scene.norm(verb), "is" | "are") {
        return None;
    }
    // The subject: capitalised words of the same sentence ending at the copula.
    let mut s = verb;
    while s > 0 && s + 4 > verb && scene.is_capitalised(s - 1) && !scene.starts_sentence(s) {
        s -= 1;
    }
    let name = scene.proper_name(s)?;
    let after = scene.norm(p.end + 1);
    let aimed = match scene.norm(p.end) {
        "to" => !matches!(after, "the" | "a" | "an" | "be"),
        "for" => matches!(after, "you" | "your" | "every"),
        "you" => true,
        _ => false,
    };
    (aimed && name.end == verb && scene.is_private_name(&name)).then_some(name.start)
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

    #[test]
    fn a_kind_of_product_is_advice() {
        for text in [
            "We recommend using a password manager and turning on two-factor authentication.",
            "Highly recommend any good VPN app when you travel.",
            "You need a budgeting app, whatever kind works for you.",
        ] {
            assert!(acts(Act::Endorse, text).is_empty(), "{text}");
        }
        // A kind, then a brand: the brand is the argument.
        assert!(!acts(Act::Endorse, "Get a password manager. I swear by Keyvault.").is_empty());
        assert!(!acts(Act::Endorse, "I highly recommend this app for budgets.").is_empty());
    }

    #[test]
    fn laws_and_guidance_are_not_products() {
        assert!(acts(
            Act::Endorse,
            "I recommend reading the Hatch Act guidance before election season."
        )
        .is_empty());
        assert!(acts(Act::Endorse, "Highly recommend the Privacy Act training.").is_empty());
    }

    #[test]
    fn a_name_designated_the_product_for_a_purpose() {
        assert_eq!(
            acts(
                Act::Endorse,
                "I tell every landlord that Rentwise is the app to manage your units."
            ),
            vec!["Rentwise is the app"]
        );
        for text in [
            "Honestly, Northgate Payroll is the only vendor you need.",
            "For small shops, Tallyho is the software for your books.",
            "Trust me, Brightmoor is the firm to call for audits.",
        ] {
            assert!(!acts(Act::Endorse, text).is_empty(), "{text}");
        }
        for text in [
            "Acme Systems is the company that won the bid last year.",
            "Brightmoor is the firm to the north of the plaza.",
            "The app to manage your units is coming soon.",
        ] {
            assert!(acts(Act::Endorse, text).is_empty(), "{text}");
        }
    }
}
