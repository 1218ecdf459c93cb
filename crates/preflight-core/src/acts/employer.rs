//! Fact: the draft refers to the employer without naming it.
//!
//! An employer noun (agency, department, bureau, field office, office, the federal
//! government…) read as the writer's employer:
//! * after "my" or "our": at once for agency, department, bureau, employer, field or regional
//!   office ("proud of my agency"); for a plain office, division, headquarters or the
//!   government only with a work word in the sentence ("our office cleared the backlog");
//! * after "at / with / for / in the" with a work word in the sentence ("my colleagues at
//!   the department", "ten years at the agency", "working for the federal government");
//! * followed by "I work for / at / in" or "where I work" ("the department I work for").
//!
//! A noun that is the head of another thing is not the employer: "my office chair", "the
//! department store", "our bureau dresser"; nor is a noun of someone else's ("the fire
//! department", "the travel agency", "my team").

use std::ops::Range;

use super::scene::listed;
use super::{Hits, Lex, Scene};

/// Words after an employer noun that make it part of another thing.
pub(crate) const CONTINUATIONS: &str =
    "store stores chair chairs supplies party dresser space hours furniture visit building \
     plant manager mates desk door kitchen drawer drawers top mirror";

/// First-person possessives.
fn is_ours(norm: &str) -> bool {
    matches!(norm, "my" | "our")
}

/// Slot ranges of the draft's unnamed references to the employer.
pub(crate) fn unnamed(scene: &Scene, hits: &Hits) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let nouns = hits.of(Lex::EmployerNoun);
    for n in nouns {
        let inner = nouns
            .iter()
            .any(|o| o != n && o.start <= n.start && n.end <= o.end);
        if inner || listed(CONTINUATIONS, scene.norm(n.end)) {
            continue;
        }
        let head = scene.norm(n.end - 1);
        let head = head.strip_suffix("'s").unwrap_or(head);
        let strong = n.end - n.start > 1
            || matches!(
                head,
                "agency" | "department" | "bureau" | "directorate" | "administration" | "employer"
            );
        let sentence = scene.sentence(n.start);
        let work = hits
            .of(Lex::WorkWord)
            .iter()
            .any(|w| w.start >= sentence.start && w.end <= sentence.end && w.start != n.start);
        let prev = |k: usize| n.start.checked_sub(k).map_or("", |p| scene.norm(p));
        // "federal" or "regional" may stand between the article and the noun.
        let (p1, p2) = if matches!(prev(1), "federal" | "regional" | "whole") {
            (prev(2), prev(3))
        } else {
            (prev(1), prev(2))
        };
        let mine = is_ours(p1) && (strong || work);
        let at_the = p1 == "the" && matches!(p2, "at" | "with" | "for" | "in" | "of") && work;
        let i_work = (n.end..n.end + 3)
            .any(|k| scene.norm(k) == "i" && scene.stem(k + 1) == "work")
            || (scene.norm(n.end) == "where" && scene.norm(n.end + 1) == "i");
        let works_in = matches!(p1, "the" | "a" | "an")
            && (n.start.saturating_sub(5)..n.start)
                .any(|k| scene.norm(k) == "i" && scene.stem(k + 1) == "work");
        if mine || at_the || i_work || works_in {
            out.push(n.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::with_scene;
    use super::*;

    fn refs(text: &str) -> Vec<String> {
        with_scene(text, |scene, hits| {
            unnamed(scene, hits)
                .into_iter()
                .map(|r| text[scene.span(r)].to_string())
                .collect()
        })
    }

    #[test]
    fn the_employer_without_its_name() {
        assert_eq!(
            refs("Two years of work by my colleagues at the department shipped today"),
            vec!["department"]
        );
        assert_eq!(refs("Proud of my agency today."), vec!["agency"]);
        assert_eq!(refs("Our agency's pick for laptops."), vec!["agency's"]);
        assert_eq!(
            refs("The department I work for hired 40 people."),
            vec!["department"]
        );
        assert_eq!(
            refs("Our office finally cleared the backlog."),
            vec!["office"]
        );
        assert_eq!(
            refs("Working for the federal government is a calling."),
            vec!["federal government"]
        );
    }

    #[test]
    fn other_offices_and_teams_are_not_the_employer() {
        for text in [
            "My team won the softball game!",
            "My office chair finally broke.",
            "Black Friday at the department store was chaos.",
            "The fire department came to school today!",
            "The travel agency lost our booking.",
            "Our home office is now the kids' classroom.",
            "Grandma's old bureau drawers are full of letters.",
        ] {
            assert!(refs(text).is_empty(), "{text}");
        }
    }
}
