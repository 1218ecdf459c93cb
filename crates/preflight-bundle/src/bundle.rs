//! The rule bundle (format v1): what an admin writes, validates, tests and pushes.
//!
//! The JSON Schema in `model/bundle.schema.json` is generated from these types
//! (`preflight bundle schema`), so the types are the single source of truth.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The bundle format version this build reads.
pub const BUNDLE_SCHEMA_VERSION: u32 = 1;

/// A rule bundle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    /// Optional pointer to the schema, for editors.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Bundle format version; must be 1.
    pub format: u32,
    pub metadata: Metadata,
    /// Social sites the policy knows, with their character limits.
    #[serde(default)]
    pub sites: Vec<Site>,
    /// The policy's list of existing official organizational accounts.
    #[serde(default)]
    pub registry: Vec<OfficialAccount>,
    /// When employees are on duty (for Hatch Act on-duty conditions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duty_hours: Option<DutyHours>,
    /// Official titles whose use in personal writing triggers 5 CFR 2635.807 (e.g. "Deputy Director").
    #[serde(default)]
    pub official_titles: Vec<String>,
    pub disclaimers: DisclaimerSet,
    pub rules: Vec<Rule>,
}

/// Who the bundle is for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Metadata {
    /// Stable identifier, e.g. `us-federal-default`.
    pub id: String,
    /// Semantic version of the bundle, e.g. `1.4.0`.
    pub version: String,
    /// The organization's name, e.g. `Department of Examples`.
    pub organization: String,
    /// Other names employees use for it (acronyms, short names, handles without `@`).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// ISO 639-1 language of the rules and the stemmer, e.g. `en`.
    pub language: String,
    /// Where the full policy lives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_url: Option<String>,
    /// Free-text description for admins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Kind of site, used by the classifier and by rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SiteKind {
    /// A professional network (LinkedIn).
    Professional,
    /// A general social network (X, Facebook, Bluesky, Mastodon, Threads, Instagram).
    General,
    /// A forum or comment section (Reddit, YouTube comments).
    Forum,
}

/// How a site counts the length of a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LengthCounting {
    /// Unicode scalar values (characters).
    #[default]
    Chars,
    /// Extended grapheme clusters (Bluesky).
    Graphemes,
    /// UTF-16 code units.
    Utf16,
}

/// A social site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Site {
    /// Identifier used in rules and contexts, e.g. `x`.
    pub id: String,
    /// Display name, e.g. `X`.
    pub name: String,
    /// Host patterns: `x.com`, or `*.example.social` for any subdomain.
    pub hosts: Vec<String>,
    pub kind: SiteKind,
    /// Maximum post length, if the site has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub char_limit: Option<usize>,
    #[serde(default)]
    pub counting: LengthCounting,
    /// Every URL counts as this many characters (X: 23).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url_length: Option<usize>,
}

/// An official organizational account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OfficialAccount {
    /// Site id (from `sites`).
    pub site: String,
    /// Handle, with or without `@`; matched case-insensitively.
    pub handle: String,
    /// Owning unit, e.g. `Office of Public Affairs`.
    pub unit: String,
}

/// Day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

/// Duty hours of the organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DutyHours {
    /// IANA time zone the windows are in, e.g. `America/New_York`. Callers convert the
    /// current time into it (see [`crate::LocalTime`]).
    pub time_zone: String,
    pub windows: Vec<DutyWindow>,
}

/// One duty window: days and a time range `HH:MM`–`HH:MM` (end exclusive).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DutyWindow {
    pub days: Vec<Weekday>,
    /// Start, `HH:MM` 24-hour.
    pub start: String,
    /// End, `HH:MM` 24-hour, exclusive.
    pub end: String,
}

/// When a disclaimer is called for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DisclaimerSituation {
    /// A personal or professional post (not from an official account) that names the employer.
    NamesEmployer,
    /// An official title used in personal or professional writing (5 CFR 2635.807(b)).
    OfficialTitle,
}

/// Disclaimers and the phrasings that count as one already present.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DisclaimerSet {
    pub variants: Vec<DisclaimerVariants>,
    /// Phrasings that count as a disclaimer already in the draft (matched on stems, `*` wildcard).
    pub present_phrases: Vec<String>,
}

/// Long, short and minimal wordings for one situation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DisclaimerVariants {
    pub id: String,
    pub situation: DisclaimerSituation,
    /// Full wording (e.g. OGE's model text). `{organization}` is replaced by the organization name.
    pub long: String,
    pub short: String,
    pub minimal: String,
}

/// The eight essential elements of a government social media policy.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Element {
    EmployeeAccess,
    AccountManagement,
    AcceptableUse,
    EmployeeConduct,
    Content,
    Security,
    Legal,
    CitizenConduct,
}

impl Element {
    /// All eight, in the policy's order.
    pub const ALL: [Element; 8] = [
        Element::EmployeeAccess,
        Element::AccountManagement,
        Element::AcceptableUse,
        Element::EmployeeConduct,
        Element::Content,
        Element::Security,
        Element::Legal,
        Element::CitizenConduct,
    ];

    /// Human label, e.g. "Employee conduct".
    pub fn label(self) -> &'static str {
        match self {
            Element::EmployeeAccess => "Employee access",
            Element::AccountManagement => "Account management",
            Element::AcceptableUse => "Acceptable use",
            Element::EmployeeConduct => "Employee conduct",
            Element::Content => "Content",
            Element::Security => "Security",
            Element::Legal => "Legal issues",
            Element::CitizenConduct => "Citizen conduct",
        }
    }
}

/// Severity: the policy's recommendation versus grounds for discipline.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Advice,
    Warning,
    Violation,
}

/// The three uses of social media.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Use {
    Organizational,
    Professional,
    Personal,
}

impl Use {
    pub const ALL: [Use; 3] = [Use::Organizational, Use::Professional, Use::Personal];

    pub fn as_str(self) -> &'static str {
        match self {
            Use::Organizational => "organizational",
            Use::Professional => "professional",
            Use::Personal => "personal",
        }
    }
}

/// Where a rule's clause comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    /// Clause, e.g. `5 CFR 734.303` or `Agency Social Media Policy §4.2`.
    pub clause: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// Account condition of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccountKindCond {
    /// The posting account is in the registry.
    Official,
    /// The posting account is known and not in the registry.
    Personal,
    /// The posting account is not in the registry (personal, or not known).
    NotOfficial,
}

/// Conditions under which a rule applies. All given conditions must hold; an absent one
/// always holds. A condition on something the context does not know (e.g. `on_duty` with no
/// time given) does not hold.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct When {
    /// The draft's use is one of these.
    #[serde(rename = "use", default, skip_serializing_if = "Option::is_none")]
    pub uses: Option<Vec<Use>>,
    /// The posting account is official / personal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<AccountKindCond>,
    /// The site is one of these ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sites: Option<Vec<String>>,
    /// The employee is (true) or is not (false) on duty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_duty: Option<bool>,
    /// The draft names (true) or does not name (false) the organization or an alias.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mentions_employer: Option<bool>,
    /// The draft uses (true) or does not use (false) an official title: one of
    /// `official_titles`, or a title pattern ("Deputy Director at the Department of …").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub official_title: Option<bool>,
    /// The draft refers (true) or does not refer (false) to the employer, by name or without
    /// it ("my agency", "the department I work for", "our office" with work words).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employer_reference: Option<bool>,
    /// The draft does (true) or does not (false) concern work: a work subject (rule, contract,
    /// audit, vendor, budget...), the employer or an official title is in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work: Option<bool>,
    /// The draft is (true) or is not (false) a reply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<bool>,
    /// The draft already carries (true) or does not carry (false) a disclaimer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disclaimer_present: Option<bool>,
    /// Any one of these conditions holds (each is a full `When`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub any: Option<Vec<When>>,
}

/// Phrase list matched on stems.
///
/// A term is one or more words; each word is stemmed like the draft. A trailing `*` on a
/// word matches any word that starts with it (`fundrais*`). Terms starting with `#` or `@`
/// match hashtags or mentions whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PhraseMatcher {
    pub terms: Vec<String>,
    /// Terms that, when they cover a match, cancel it (e.g. "scunthorpe" for a profanity).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub except: Vec<String>,
    /// Per-term severity override for graded lexicons: term → severity.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub grades: std::collections::BTreeMap<String, Severity>,
    /// Replacements for matched terms: term → suggested wording.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub replacements: std::collections::BTreeMap<String, String>,
    /// Require this many distinct terms to match before the rule fires (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_matches: Option<usize>,
    /// Context for ambiguous terms: term → the words around it that clear it (its everyday
    /// sense: "cheese" near "cracker") or confirm it. Only a term that matched has its
    /// context read.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub context: std::collections::BTreeMap<String, TermContext>,
}

/// Largest `window` of a [`TermContext`].
pub const CONTEXT_WINDOW_MAX: usize = 20;
/// `window` of a [`TermContext`] that does not give one.
pub const CONTEXT_WINDOW_DEFAULT: usize = 5;

/// What clears or confirms one ambiguous term of a phrase list.
///
/// A match of the term is decided in this order: a `standalone` number that touches another
/// number is cleared; a `confirm` word in the window, or an abuse score at or above
/// `abuse_confirm_at`, keeps it; a `clear` word in the window clears it; an abuse score
/// below `abuse_clear_below` clears it; otherwise it stands.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TermContext {
    /// Words that clear the match when one is within `window` words either side. One word
    /// each, stemmed like the draft (`cheese` also finds "cheeses"); a trailing `*` matches
    /// any word that starts with it (`snack*`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clear: Vec<String>,
    /// Words that confirm the match when one is within the window (same form as `clear`):
    /// the match stands even when a clearing word is near too.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub confirm: Vec<String>,
    /// Words either side of the match to look at: 1 to 20, default 5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<usize>,
    /// The term is a number that must stand alone: a match joined to another number by a
    /// space, `-`, `.`, `/`, `,` or `:` (an order, tracking, account or phone number) is
    /// cleared, whatever else is near.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub standalone: bool,
    /// The draft's learned abuse score (0–1, see the `abuse` matcher), read without the
    /// term's own words (so the rest of the draft decides): at or above this, it confirms the
    /// match as a `confirm` word would.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abuse_confirm_at: Option<f32>,
    /// The same score: below this, it clears the match when nothing confirms it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abuse_clear_below: Option<f32>,
}

/// The learned abuse score of a draft (0–1, calibrated: the share of drafts with that score
/// that people labelled hateful or offensive), with a threshold per severity. The finding
/// takes the highest severity whose threshold the score reaches; its spans are the words that
/// raised the score most. Give at least one threshold; a higher severity needs a higher one,
/// and the rule's `severity` is the highest severity given.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AbuseMatcher {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advice: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub violation: Option<f32>,
}

impl AbuseMatcher {
    /// The thresholds given, from the highest severity down.
    pub fn thresholds(&self) -> impl Iterator<Item = (Severity, f32)> + '_ {
        [
            (Severity::Violation, self.violation),
            (Severity::Warning, self.warning),
            (Severity::Advice, self.advice),
        ]
        .into_iter()
        .filter_map(|(s, t)| t.map(|t| (s, t)))
    }

    /// The severity a score reaches, if any.
    pub fn severity_of(&self, score: f32) -> Option<Severity> {
        self.thresholds().find(|(_, t)| score >= *t).map(|(s, _)| s)
    }
}

/// A regular expression (`regex-lite` syntax: linear time, no look-around or back-references;
/// `\w`, `\d`, `\s`, `\b` and case-insensitivity are ASCII-only, no `\p{..}` classes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegexMatcher {
    pub pattern: String,
    #[serde(default)]
    pub case_insensitive: bool,
}

/// A built-in detector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DetectorMatcher {
    /// Detector name: one of the engine's built-in detectors (e.g. `US_SSN`, `CREDIT_CARD`); an
    /// unknown name is a validation error that lists them all.
    pub detector: String,
    /// Minimum score (0–1) after context words and validation; default 0.5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_score: Option<f32>,
}

/// The use classifier's reading of the draft's text alone, before the posting account
/// overrides it: the rule fires when the text reads as `use` with at least `min_probability`.
/// It points at no span (the whole draft is the evidence). Without `min_probability` the
/// shipped model's own threshold for that use applies (`personal` and `organizational`: chosen
/// by the trainer so that at most 5 % of held-out posts of the other uses reach it; see
/// `model/REPORT.md`); `professional` needs an explicit threshold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TextUseMatcher {
    #[serde(rename = "use")]
    pub use_: Use,
    /// Probability (0–1) the text must reach.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_probability: Option<f32>,
}

/// How a rule finds its spans: exactly one of these.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Matcher {
    Phrases(PhraseMatcher),
    Regex(RegexMatcher),
    Detector(DetectorMatcher),
    TextUse(TextUseMatcher),
    /// What the draft does, with the facts it must come with (see [`crate::ActMatcher`]).
    Act(crate::ActMatcher),
    Abuse(AbuseMatcher),
}

/// A suggested fix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FixSpec {
    /// What the fix button says, e.g. "Remove the number".
    pub label: String,
    /// Text that replaces each matched span (empty: delete it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replace_with: Option<String>,
}

/// An example draft, with an optional context.
// Deserialized by hand (the same two shapes as `#[serde(untagged)]`, which the schema still
// describes) so that loading a bundle does not buffer every example and build a discarded
// error for each one with a context.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Example {
    Text(String),
    WithContext {
        text: String,
        #[serde(default)]
        context: crate::Context,
    },
}

impl<'de> Deserialize<'de> for Example {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct WithContext {
            text: String,
            #[serde(default)]
            context: crate::Context,
        }

        struct ExampleVisitor;
        impl<'de> serde::de::Visitor<'de> for ExampleVisitor {
            type Value = Example;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(r#"a string, or an object {"text": "...", "context": {...}}"#)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Example, E> {
                Ok(Example::Text(v.to_owned()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Example, E> {
                Ok(Example::Text(v))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Example, A::Error> {
                let w =
                    WithContext::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(Example::WithContext {
                    text: w.text,
                    context: w.context,
                })
            }
        }
        deserializer.deserialize_any(ExampleVisitor)
    }
}

impl Example {
    pub fn text(&self) -> &str {
        match self {
            Example::Text(t) | Example::WithContext { text: t, .. } => t,
        }
    }
}

/// Inline examples: drafts the rule must flag and drafts it must pass.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    #[serde(default)]
    pub flags: Vec<Example>,
    #[serde(default)]
    pub passes: Vec<Example>,
}

/// One rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Unique id, e.g. `hatch-act.solicit-contributions`.
    pub id: String,
    pub element: Element,
    pub severity: Severity,
    /// One line for the card.
    pub message: String,
    /// Why the policy says so.
    pub why: String,
    pub reference: Reference,
    #[serde(default)]
    pub when: When,
    #[serde(rename = "match")]
    pub matcher: Matcher,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<FixSpec>,
    #[serde(default)]
    pub examples: Examples,
    /// Set false to keep a rule in the bundle without running it.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}
