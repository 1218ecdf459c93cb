//! Fact: the draft uses an official title, recognised by its pattern rather than a list.
//!
//! The bundle's `official_titles` are matched as phrases by the engine; this finds the titles
//! a list cannot hold:
//! * a title word tied to a government body: "Deputy Director at the U.S. Department of …",
//!   "senior official at the Department of Energy", "Deputy Administrator at my agency",
//!   "ranger with the National Park Service", "Chief Financial Officer at DPS" (the employer's
//!   name, an unnamed reference to it, or a capitalised name holding Department, Agency,
//!   Bureau, Office, Administration, Service or Commission);
//! * a role claimed as the government's: "as a federal inspector", "as a government
//!   scientist", "in my official capacity", "government engineer here";
//! * "As" and a capitalised title: "As Deputy Director, I …".
//!
//! "Deputy Director of our neighborhood association" and "as a mom of three" are not titles.

use std::ops::Range;

use super::employer::CONTINUATIONS;
use super::scene::listed;
use super::{Hits, Lex, Scene};

/// Words of a government body's name.
const BODIES: &str =
    "department dept agency bureau office administration service commission corps authority \
     directorate ministry government";

/// Federal agencies known by their initials, written in capitals ("IRS agent", "analyst at
/// GSA"): lower-case "ice", "sec", "va" are words, not agencies.
const AGENCY_INITIALS: &str =
    "atf blm cbp cdc cms dea dhs doe doj dol dod dot epa faa fbi fcc fda fdic fema ftc gao \
     gsa hhs hud ice irs nasa nih noaa nps nrc nsf omb opm osha sba sec ssa tsa uscis usda \
     usfs usgs usps va";

/// The slot is a federal agency's initials, in capitals.
fn agency_initials(scene: &Scene, k: usize) -> bool {
    k < scene.len()
        && listed(AGENCY_INITIALS, scene.norm(k))
        && scene.raw(k).bytes().all(|b| b.is_ascii_uppercase())
}

/// Slot ranges of titles used in the draft. `employer` holds the slots of the employer's name
/// and of unnamed references to it.
pub(crate) fn patterns(scene: &Scene, hits: &Hits, employer: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for h in hits.of(Lex::TitlePhrase) {
        // "I run procurement at the Department of …": a first-person role claim is a title
        // only when a government body follows it in its sentence.
        if scene.norm(h.start) == "i" || scene.norm(h.start) == "i'm" {
            let sentence = scene.sentence(h.start);
            let body = (h.end..(h.end + 6).min(sentence.end)).any(|k| {
                matches!(scene.norm(k), "at" | "for" | "with" | "in" | "of")
                    && body_at(scene, hits, employer, k + 1)
            });
            if body {
                out.push(h.clone());
            }
        } else {
            out.push(h.clone());
        }
    }
    for h in hits.of(Lex::TitleHead) {
        let next = scene.norm(h.end);
        // A title tied to a government body.
        if matches!(next, "at" | "of" | "for" | "with" | "in")
            && body_at(scene, hits, employer, h.end + 1)
        {
            out.push(modifiers(scene, h.start)..h.end);
            continue;
        }
        // "government engineer here", "federal inspector here".
        let prev = h.start.checked_sub(1).map_or("", |p| scene.norm(p));
        if next == "here" && matches!(prev, "federal" | "government" | "agency") {
            out.push(h.start - 1..h.end);
            continue;
        }
        // "an FDA investigator", "IRS special agent".
        let initials = (h.start.saturating_sub(2)..h.start).find(|&k| agency_initials(scene, k));
        if let Some(k) = initials {
            out.push(k..h.end);
            continue;
        }
        // "As Deputy Director, …": "as" and capitalised words ending with the title word.
        if scene.is_capitalised(h.start) {
            let k = modifiers(scene, h.start);
            let before = k.checked_sub(1).map_or("", |p| scene.norm(p));
            let before = if matches!(before, "the" | "a" | "an") {
                k.checked_sub(2).map_or("", |p| scene.norm(p))
            } else {
                before
            };
            if before == "as" && k < h.start {
                out.push(k..h.end);
            }
        }
    }
    out
}

/// The start of the capitalised words just before a title word ("Deputy" in "Deputy
/// Director"), at most three, not "As".
fn modifiers(scene: &Scene, head: usize) -> usize {
    if !scene.is_capitalised(head) {
        return head;
    }
    let mut k = head;
    while k > 0 && k + 3 > head && scene.is_capitalised(k - 1) && scene.norm(k - 1) != "as" {
        k -= 1;
    }
    k
}

/// A government body starts at `at` (after "the", "my", "our", "a", "federal"): the employer,
/// an employer noun, or a capitalised name holding a body word.
#[inline(never)]
fn body_at(scene: &Scene, hits: &Hits, employer: &[Range<usize>], at: usize) -> bool {
    let mut k = at;
    while matches!(
        scene.norm(k),
        "the" | "my" | "our" | "a" | "an" | "federal" | "u.s" | "us"
    ) {
        k += 1;
        if k > at + 3 {
            return false;
        }
    }
    if employer.iter().any(|e| e.start == k || e.start == at) || agency_initials(scene, k) {
        return true;
    }
    if hits.of(Lex::EmployerNoun).iter().any(|n| {
        n.start == k && !listed(CONTINUATIONS, scene.norm(n.end)) && scene.is_capitalised(k)
            || n.start == k && matches!(scene.norm(at), "my" | "our")
    }) {
        return true;
    }
    let start = if scene.is_capitalised(at) { at } else { k };
    // A name holding a body word, or a government name followed by one in lower case: "the
    // Social Security office" (not "the Google office").
    scene
        .proper_name(start)
        .or_else(|| scene.proper_name(k))
        .is_some_and(|n| {
            n.clone().any(|j| listed(BODIES, scene.norm(j)))
                || (listed(BODIES, scene.norm(n.end)) && !scene.is_private_name(&n))
        })
}

#[cfg(test)]
mod tests {
    use super::super::employer;
    use super::super::testing::with_scene;
    use super::*;

    fn titles(text: &str) -> Vec<String> {
        with_scene(text, |scene, hits| {
            let refs = employer::unnamed(scene, hits);
            patterns(scene, hits, &refs)
                .into_iter()
                .map(|r| text[scene.span(r)].to_string())
                .collect()
        })
    }

    #[test]
    fn titles_tied_to_a_government_body() {
        assert_eq!(
            titles("As an FDA investigator I only buy one brand."),
            vec!["FDA investigator"]
        );
        assert!(!titles("As a GS-13 at the EPA I'll tell you this.").is_empty());
        assert_eq!(
            titles("Contract specialist at GSA here."),
            vec!["specialist"]
        );
        assert_eq!(
            titles("As Deputy Director at the U.S. Department of Public Services, I recommend it"),
            vec!["Deputy Director"]
        );
        assert_eq!(
            titles("Speaking as a senior official at the Department of Energy: vote!"),
            vec!["official"]
        );
        assert_eq!(
            titles("As Deputy Administrator at my agency, I recommend ZenLedger."),
            vec!["Deputy Administrator"]
        );
        assert_eq!(
            titles("As a federal inspector I check water."),
            vec!["As a federal"]
        );
        assert_eq!(
            titles("Government engineer here."),
            vec!["Government engineer"]
        );
    }

    #[test]
    fn roles_claimed_at_a_government_body() {
        assert_eq!(
            titles("I run procurement at the Department of Commerce and I'd pick it."),
            vec!["I run"]
        );
        assert_eq!(
            titles("I oversee permits for the Bureau of Land Management."),
            vec!["I oversee"]
        );
        for text in [
            "I run a bakery in Ohio with my sister.",
            "I manage the books for the Riverside Rowing Club.",
            "I lead a Girl Scout troop at St. Mark's.",
        ] {
            assert!(titles(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn a_body_word_after_a_name_in_lower_case() {
        assert_eq!(
            titles("As district manager at the Social Security office, I back him."),
            vec!["manager"]
        );
        for text in [
            "Manager at the Google office in Austin.",
            "Store manager at the Ford dealership.",
        ] {
            assert!(titles(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn other_titles_and_roles_are_not_official() {
        for text in [
            "Deputy Director of our neighborhood association here: block party Saturday!",
            "As a mom of three, I swear by these.",
            "The director of the film was brilliant.",
            "Manager at the department store for ten years.",
            // Initials are an agency's only in capitals.
            "Our ice specialist at the rink sharpened my skates.",
            "As an NFL analyst I have opinions.",
        ] {
            assert!(titles(text).is_empty(), "{text}");
        }
    }
}
