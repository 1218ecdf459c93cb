//! The compiled bundle and `analyze`.

mod lazy_regex;
mod term_context;

use std::cell::OnceCell;
use std::sync::OnceLock;

use term_context::CompiledContext;

use lazy_regex::{Gates, LazyRegex, Starts};

use crate::abuse;
use crate::acts::{self, Hits, Lex, Lexicons, Scene};
use crate::analysis::{Finding, SeverityCounts, Span};
use crate::classify::{self, UseInput};
use crate::detectors;
use crate::disclaimer::{self, Facts};
use crate::phrases::{PhraseIndex, PhraseIndexBuilder, PhraseSet, Stream, DEFAULT_BUNDLE_DIGEST};
use crate::AccountKind;
use crate::{
    validate, Analysis, Bundle, BundleErrors, Context, Error, FixSpec, Problem, Tokenizer,
};
use crate::{AbuseMatcher, AccountKindCond, Act, Matcher, Severity, Site, Use, Weekday, When};

/// Longest draft analysed, in characters (Unicode scalar values): longer than the longest
/// site limit (63,206). Of a longer draft only the first `MAX_DRAFT_CHARS` are checked, and
/// the analysis says so with a finding [`TRUNCATED_RULE_ID`] (advice, no span).
pub const MAX_DRAFT_CHARS: usize = 65_536;

/// Rule id of the finding that says a draft was checked only in part ([`MAX_DRAFT_CHARS`]).
pub const TRUNCATED_RULE_ID: &str = "preflight.draft-truncated";

/// The finding that says only the first [`MAX_DRAFT_CHARS`] characters were checked.
fn truncated_finding() -> Finding {
    Finding {
        rule_id: TRUNCATED_RULE_ID.into(),
        element: crate::Element::Content,
        severity: Severity::Advice,
        // MAX_DRAFT_CHARS, written out (a test checks they agree).
        message: "Only the first 65,536 characters of this draft were checked".into(),
        why: "Longer drafts are checked in part: post a long text in parts.".into(),
        reference: crate::Reference {
            clause: "preflight".into(),
            url: None,
        },
        spans: Vec::new(),
        matched: Vec::new(),
        entity: None,
        fix: None,
    }
}

/// Words an abuse finding highlights at most (those that raised the score most).
const ABUSE_SPANS: usize = 3;

/// Regex size limit per pattern (compiled program), so a bundle cannot blow up memory.
pub(crate) const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// A rule bundle compiled for fast analysis.
#[derive(Debug)]
pub struct Engine {
    bundle: Bundle,
    tokenizer: Tokenizer,
    rules: Vec<CompiledRule>,
    /// The distinct `when` conditions of the rules (a bundle repeats a few for many rules):
    /// each is checked once per draft.
    whens: Vec<When>,
    /// The regexes of regex rules (compiled on first need), and their literal gates.
    regexes: Vec<(usize, LazyRegex)>,
    /// Built on the first draft a regex rule applies to.
    gates: OnceLock<Gates>,
    /// Every phrase list of the bundle, searched in one pass.
    phrases: PhraseIndex,
    employer: PhraseSet,
    titles: Option<PhraseSet>,
    disclaimer_present: PhraseSet,
    /// The lexicons of acts and text facts, in the same phrase index.
    lexicons: Lexicons,
    /// The act matchers of the rules.
    acts: Vec<CompiledAct>,
    registry: Vec<RegistryEntry>,
    /// Duty windows: (day bitmask, start minute, end minute).
    duty: Vec<(u8, u16, u16)>,
}

#[derive(Debug)]
struct RegistryEntry {
    site: String,
    handle: String,
    unit: String,
}

#[derive(Debug)]
struct CompiledRule {
    /// Index into `bundle.rules`.
    index: usize,
    /// Index into `Engine::whens`: the rule's condition.
    when: usize,
    matcher: CompiledMatcher,
}

#[derive(Debug)]
enum CompiledMatcher {
    Phrases {
        set: PhraseSet,
        except: Option<PhraseSet>,
        /// Per term: its own severity (graded lexicon).
        grades: Vec<Option<Severity>>,
        /// Per term: suggested replacement.
        replacements: Vec<Option<String>>,
        /// Per term: the context that clears or confirms it (ambiguous terms only).
        contexts: Vec<Option<Box<CompiledContext>>>,
        min_matches: usize,
    },
    /// The learned abuse score with a threshold per severity.
    Abuse(AbuseMatcher),
    /// Index into `Engine::regexes`.
    Regex(usize),
    /// Index into `Engine::acts`.
    Act(usize),
    Detector {
        name: &'static str,
        /// The set holding only this detector, so `analyze` need not look the name up.
        only: detectors::DetectorSet,
        min_score: f32,
    },
    /// The text's own use probability (index into `Use::ALL`) reaches the threshold (`None`:
    /// the model's alarm threshold for that use).
    TextUse {
        use_: usize,
        min_probability: Option<f32>,
    },
}

/// A rule's act matcher, compiled.
#[derive(Debug)]
struct CompiledAct {
    act: Act,
    /// The rule's own lexicon words: the lexicon each list adds to.
    extend: Vec<(Lex, PhraseSet)>,
    except: Option<PhraseSet>,
    with: Option<When>,
}

/// An inline example that did not behave as declared.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ExampleFailure {
    pub rule_id: String,
    /// JSON path of the example, e.g. `$.rules[2].examples.flags[0]`.
    pub path: String,
    pub text: String,
    /// `should flag` or `should pass`.
    pub expected: &'static str,
    /// Error, if the example could not be analysed at all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

fn problem(path: String, message: impl Into<String>) -> Problem {
    Problem {
        path,
        line: None,
        column: None,
        message: message.into(),
    }
}

fn parse_hhmm(s: &str) -> Option<u16> {
    let (h, m) = s.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    // 24:00 is allowed as the end of a day.
    if (h < 24 && m < 60) || (h == 24 && m == 0) {
        Some(h * 60 + m)
    } else {
        None
    }
}

fn day_bit(d: Weekday) -> u8 {
    1 << (d as u8)
}

fn bare_handle(h: &str) -> String {
    h.trim().trim_start_matches('@').to_lowercase()
}

/// The disclaimer region of a match: from the match to the end of its sentence (or line), so
/// "Views are my own, not those of DPS." is covered but the sentences before it are not.
fn disclaimer_region(text: &str, start: usize, end: usize) -> Span {
    let is_stop = |c: char| matches!(c, '.' | '!' | '?' | '\n' | '。' | '！' | '？');
    let e = text[end..].find(is_stop).map_or(text.len(), |i| {
        let j = end + i;
        j + text[j..].chars().next().map_or(1, char::len_utf8)
    });
    Span { start, end: e }
}

impl Engine {
    /// Parse, validate and compile a bundle from JSON text. Every problem is reported with its
    /// JSON path and, where it can be found, its line:column.
    pub fn from_json(json: &str) -> Result<Self, BundleErrors> {
        // The regexes are checked by compiling them, once.
        let bundle = validate::parse_with(json, validate::Checks::LeaveRegexes)?;
        Self::compile(bundle).map_err(|mut e| {
            validate::locate_problems(json, &mut e.problems);
            e
        })
    }

    /// Validate and compile a bundle.
    pub fn new(bundle: Bundle) -> Result<Self, BundleErrors> {
        let problems = validate::check_before_compile(&bundle);
        if !problems.is_empty() {
            return Err(BundleErrors { problems });
        }
        Self::compile(bundle)
    }

    /// The embedded default bundle.
    pub fn default_bundle() -> Result<Self, BundleErrors> {
        // The embedded bundle passes every check (`default_bundle_passes_every_check` below),
        // so its load skips them: a tenth of a cold start in WebAssembly.
        // Its phrase terms come stemmed from the build (`phrases::DEFAULT_BUNDLE_DIGEST`).
        if let Ok(bundle) =
            validate::parse_with(crate::DEFAULT_BUNDLE_JSON, validate::Checks::Trusted)
        {
            if let Ok(engine) = Self::compile_with(bundle, Some(DEFAULT_BUNDLE_DIGEST)) {
                return Ok(engine);
            }
        }
        Self::from_json(crate::DEFAULT_BUNDLE_JSON)
    }

    /// The bundle this engine was compiled from.
    pub fn bundle(&self) -> &Bundle {
        &self.bundle
    }

    /// The bundle this engine was compiled from, the engine dropped.
    pub fn into_bundle(self) -> Bundle {
        self.bundle
    }

    fn compile(bundle: Bundle) -> Result<Self, BundleErrors> {
        Self::compile_with(bundle, None)
    }

    /// Compile `bundle`, whose phrase terms `digest` may hold compiled already (the default
    /// bundle's: one line per rule, see `build.rs`).
    fn compile_with(bundle: Bundle, digest: Option<&str>) -> Result<Self, BundleErrors> {
        // The embedded default bundle: phrase terms from the digest, regexes compiled later.
        let trusted = digest.is_some();
        let digest: Vec<&str> = digest.map_or_else(Vec::new, |d| d.lines().collect());
        let mut problems = Vec::new();
        let tokenizer = match Tokenizer::new(&bundle.metadata.language) {
            Ok(t) => t,
            Err(e) => {
                return Err(BundleErrors {
                    problems: vec![problem("$.metadata.language".into(), e.to_string())],
                });
            }
        };
        let mut index = PhraseIndexBuilder::new(&tokenizer);
        let mut phrase_set = |terms: &[String],
                              digested: Option<&str>,
                              path: &str,
                              problems: &mut Vec<Problem>|
         -> Option<PhraseSet> {
            match index.add_digested(terms, digested) {
                Ok(s) => Some(s),
                Err(errs) => {
                    problems.extend(
                        errs.into_iter()
                            .map(|e| problem(format!("{path}[{}]", e.index), e.message)),
                    );
                    None
                }
            }
        };

        // Rules.
        let mut rules = Vec::new();
        let mut acts_compiled = Vec::new();
        let mut whens: Vec<When> = Vec::new();
        let mut regexes = Vec::new();
        for (i, rule) in bundle.rules.iter().enumerate() {
            if !rule.enabled {
                continue;
            }
            let base = format!("$.rules[{i}].match");
            let matcher = match &rule.matcher {
                Matcher::Phrases(p) => {
                    let (terms_d, except_d) =
                        digest.get(i).and_then(|l| l.split_once('\t')).unzip();
                    let path = format!("{base}.phrases.terms");
                    let set = phrase_set(&p.terms, terms_d, &path, &mut problems);
                    let except = if p.except.is_empty() {
                        None
                    } else {
                        let path = format!("{base}.phrases.except");
                        phrase_set(&p.except, except_d, &path, &mut problems)
                    };
                    let Some(set) = set else { continue };
                    let mut grades = vec![None; p.terms.len()];
                    let mut replacements = vec![None; p.terms.len()];
                    for (term, sev) in &p.grades {
                        match p.terms.iter().position(|t| t == term) {
                            Some(k) => grades[k] = Some(*sev),
                            None => problems.push(problem(
                                format!("{base}.phrases.grades.{term}"),
                                format!("graded term {term:?} is not in `terms`"),
                            )),
                        }
                    }
                    for (term, rep) in &p.replacements {
                        match p.terms.iter().position(|t| t == term) {
                            Some(k) => replacements[k] = Some(rep.clone()),
                            None => problems.push(problem(
                                format!("{base}.phrases.replacements.{term}"),
                                format!("replaced term {term:?} is not in `terms`"),
                            )),
                        }
                    }
                    let mut contexts: Vec<Option<Box<CompiledContext>>> = vec![None; p.terms.len()];
                    for (term, c) in &p.context {
                        let mut path = format!("{base}.phrases.context");
                        validate::push_key(&mut path, term);
                        let Some(k) = p.terms.iter().position(|t| t == term) else {
                            problems.push(problem(
                                path,
                                format!("term {term:?} of `context` is not in `terms`"),
                            ));
                            continue;
                        };
                        match CompiledContext::compile(&tokenizer, c) {
                            Ok(cc) => {
                                if cc.uses_abuse() {
                                    if let Err(e) = abuse::embedded_model() {
                                        problems.push(problem(path.clone(), e.to_string()));
                                    }
                                }
                                contexts[k] = Some(Box::new(cc));
                            }
                            Err(errs) => problems.extend(
                                errs.into_iter()
                                    .map(|(field, m)| problem(format!("{path}.{field}"), m)),
                            ),
                        }
                    }
                    if matches!(p.min_matches, Some(0)) {
                        problems.push(problem(
                            format!("{base}.phrases.min_matches"),
                            "must be at least 1",
                        ));
                    }
                    CompiledMatcher::Phrases {
                        set,
                        except,
                        grades,
                        replacements,
                        contexts,
                        min_matches: p.min_matches.unwrap_or(1).max(1),
                    }
                }
                Matcher::Abuse(a) => {
                    if let Err(e) = abuse::embedded_model() {
                        problems.push(problem(format!("{base}.abuse"), e.to_string()));
                        continue;
                    }
                    CompiledMatcher::Abuse(a.clone())
                }
                // The default bundle's compile on the first draft holding their gate (its
                // tests check them).
                Matcher::Regex(r) if trusted => {
                    regexes.push((
                        i,
                        lazy_regex::prepare_trusted(&r.pattern, r.case_insensitive),
                    ));
                    CompiledMatcher::Regex(regexes.len() - 1)
                }
                // Compiled and checked now; the anchored search forms on the first draft that
                // may match.
                Matcher::Regex(r) => match lazy_regex::prepare(&r.pattern, r.case_insensitive) {
                    Ok(p) => {
                        regexes.push((i, p));
                        CompiledMatcher::Regex(regexes.len() - 1)
                    }
                    Err(message) => {
                        problems.push(problem(format!("{base}.regex.pattern"), message));
                        continue;
                    }
                },
                Matcher::TextUse(t) => CompiledMatcher::TextUse {
                    use_: Use::ALL.iter().position(|u| *u == t.use_).unwrap_or(0),
                    min_probability: t.min_probability,
                },
                Matcher::Act(a) => {
                    let Some(act) = Act::from_name(&a.act) else {
                        problems.push(problem(
                            format!("{base}.act.act"),
                            format!("unknown act `{}`, expected one of {}", a.act, Act::names()),
                        ));
                        continue;
                    };
                    let mut extend = Vec::new();
                    let lists = [
                        ("cue", &a.cue, acts::cue_lexicon(act)),
                        ("argument", &a.argument, acts::argument_lexicon(act)),
                    ];
                    for (field, words, lex) in lists {
                        if words.is_empty() {
                            continue;
                        }
                        let path = format!("{base}.act.{field}");
                        if let Some(set) = phrase_set(words, None, &path, &mut problems) {
                            extend.push((lex, set));
                        }
                    }
                    let except = if a.except.is_empty() {
                        None
                    } else {
                        phrase_set(
                            &a.except,
                            None,
                            &format!("{base}.act.except"),
                            &mut problems,
                        )
                    };
                    acts_compiled.push(CompiledAct {
                        act,
                        extend,
                        except,
                        with: a.with.clone(),
                    });
                    CompiledMatcher::Act(acts_compiled.len() - 1)
                }
                Matcher::Detector(d) => match detectors::NAMES.iter().find(|n| **n == d.detector) {
                    Some(name) => CompiledMatcher::Detector {
                        name,
                        only: detectors::DetectorSet::from_names([*name]),
                        min_score: d.min_score.unwrap_or(0.5),
                    },
                    None => {
                        problems.push(problem(
                            format!("{base}.detector.detector"),
                            format!(
                                "unknown detector {:?}: expected one of {}",
                                d.detector,
                                detectors::NAMES.join(", ")
                            ),
                        ));
                        continue;
                    }
                },
            };
            let when = match whens.iter().position(|w| *w == rule.when) {
                Some(k) => k,
                None => {
                    whens.push(rule.when.clone());
                    whens.len() - 1
                }
            };
            rules.push(CompiledRule {
                index: i,
                when,
                matcher,
            });
        }

        // Employer names: organization, aliases and official handles.
        let mut employer_terms = vec![bundle.metadata.organization.clone()];
        employer_terms.extend(bundle.metadata.aliases.iter().cloned());
        employer_terms.extend(
            bundle
                .registry
                .iter()
                .map(|a| format!("@{}", bare_handle(&a.handle))),
        );
        let employer = phrase_set(&employer_terms, None, "$.metadata.aliases", &mut problems);
        let titles = if bundle.official_titles.is_empty() {
            None
        } else {
            phrase_set(
                &bundle.official_titles,
                None,
                "$.official_titles",
                &mut problems,
            )
        };
        // What counts as a disclaimer: the listed phrasings and every variant the bundle suggests.
        let mut present = bundle.disclaimers.present_phrases.clone();
        let org = &bundle.metadata.organization;
        for v in &bundle.disclaimers.variants {
            for t in [&v.long, &v.short, &v.minimal] {
                present.push(disclaimer::render(t, org));
            }
        }
        let disclaimer_present = phrase_set(
            &present,
            None,
            "$.disclaimers.present_phrases",
            &mut problems,
        );
        // The built-in lexicons compile by construction (`acts::testing::every_lexicon_compiles`).
        let lexicons = Lexicons::add(&mut index).map_err(|_| BundleErrors {
            problems: vec![problem(
                "$".into(),
                "built-in act lexicons could not be compiled",
            )],
        })?;

        let registry = bundle
            .registry
            .iter()
            .map(|a| RegistryEntry {
                site: a.site.clone(),
                handle: bare_handle(&a.handle),
                unit: a.unit.clone(),
            })
            .collect();
        let mut duty = Vec::new();
        if let Some(d) = &bundle.duty_hours {
            for (i, w) in d.windows.iter().enumerate() {
                let days = w.days.iter().fold(0u8, |m, d| m | day_bit(*d));
                match (parse_hhmm(&w.start), parse_hhmm(&w.end)) {
                    (Some(s), Some(e)) if s < e => duty.push((days, s, e)),
                    _ => problems.push(problem(
                        format!("$.duty_hours.windows[{i}]"),
                        format!(
                            "expected start < end as HH:MM, found {:?}–{:?}",
                            w.start, w.end
                        ),
                    )),
                }
            }
        }

        if !problems.is_empty() {
            return Err(BundleErrors { problems });
        }
        let (Some(employer), Some(disclaimer_present)) = (employer, disclaimer_present) else {
            return Err(BundleErrors {
                problems: vec![problem("$".into(), "bundle could not be compiled")],
            });
        };
        let phrases = index.build();
        Ok(Self {
            bundle,
            phrases,
            tokenizer,
            rules,
            whens,
            gates: OnceLock::new(),
            regexes,
            employer,
            titles,
            disclaimer_present,
            lexicons,
            acts: acts_compiled,
            registry,
            duty,
        })
    }

    /// Resolve the context's site (an id or a host name) to a bundle site.
    pub fn resolve_site(&self, site: &str) -> Option<&Site> {
        let s = site.trim().to_lowercase();
        if let Some(found) = self
            .bundle
            .sites
            .iter()
            .find(|x| x.id.eq_ignore_ascii_case(&s))
        {
            return Some(found);
        }
        // Accept a URL or host: strip scheme, path and port.
        let host = s.split("://").last().unwrap_or(&s);
        let host = host.split(['/', '?', '#']).next().unwrap_or(host);
        let host = host.rsplit_once(':').map_or(host, |(h, port)| {
            if port.chars().all(|c| c.is_ascii_digit()) {
                h
            } else {
                host
            }
        });
        let host = host.trim_end_matches('.');
        let matches = |pattern: &str, host: &str| {
            let p = pattern.trim().to_lowercase();
            match p.strip_prefix("*.") {
                Some(base) => host == base || host.ends_with(&format!(".{base}")),
                None => host == p,
            }
        };
        let find = |h: &str| {
            self.bundle
                .sites
                .iter()
                .find(|x| x.hosts.iter().any(|p| matches(p, h)))
        };
        find(host).or_else(|| host.strip_prefix("www.").and_then(find))
    }

    fn account(
        &self,
        context: &Context,
        site: Option<&Site>,
    ) -> (AccountKind, Option<&RegistryEntry>) {
        let Some(handle) = context
            .account
            .as_deref()
            .map(bare_handle)
            .filter(|h| !h.is_empty())
        else {
            return (AccountKind::Unknown, None);
        };
        let entry = self
            .registry
            .iter()
            .find(|e| e.handle == handle && site.is_none_or(|s| s.id == e.site));
        match entry {
            Some(e) => (AccountKind::Official, Some(e)),
            None => (AccountKind::Personal, None),
        }
    }

    fn on_duty(&self, context: &Context) -> Option<bool> {
        if let Some(b) = context.on_duty {
            return Some(b);
        }
        let t = context.local_time?;
        if self.bundle.duty_hours.is_none() || t.hour > 23 || t.minute > 59 {
            return None;
        }
        let minute = u16::from(t.hour) * 60 + u16::from(t.minute);
        Some(
            self.duty
                .iter()
                .any(|(days, s, e)| days & day_bit(t.weekday) != 0 && *s <= minute && minute < *e),
        )
    }

    /// Analyse one draft. A draft longer than [`MAX_DRAFT_CHARS`] characters is checked up to
    /// there; its analysis has a finding [`TRUNCATED_RULE_ID`] that says so, and its spans,
    /// length and disclaimer are those of the part checked (spans are offsets into `text`
    /// all the same).
    pub fn analyze(&self, text: &str, context: &Context) -> Result<Analysis, Error> {
        // A draft has at least as many bytes as characters: short ones skip the count.
        let cut = if text.len() > MAX_DRAFT_CHARS {
            text.char_indices().nth(MAX_DRAFT_CHARS).map(|(i, _)| i)
        } else {
            None
        };
        // One call site: the module inlines it (docs/BENCHMARKS.md, "Hardening").
        let mut analysis = self.analyze_checked(cut.map_or(text, |c| &text[..c]), context)?;
        if cut.is_none() {
            return Ok(analysis);
        }
        let at = analysis
            .findings
            .iter()
            .position(|f| f.severity == Severity::Advice)
            .unwrap_or(analysis.findings.len());
        analysis.findings.insert(at, truncated_finding());
        analysis.counts.advice += 1;
        Ok(analysis)
    }

    fn analyze_checked(&self, text: &str, context: &Context) -> Result<Analysis, Error> {
        if let Some(t) = context.local_time {
            if t.hour > 23 || t.minute > 59 {
                return Err(Error::Context(format!(
                    "local_time {:02}:{:02} is not a time of day",
                    t.hour, t.minute
                )));
            }
        }
        let site = context.site.as_deref().and_then(|s| self.resolve_site(s));
        let (account_kind, official) = self.account(context, site);
        let on_duty = self.on_duty(context);
        let tokens = self.tokenizer.tokenize(text);
        let stream = Stream::new(&self.tokenizer, &tokens);

        // Disclaimer text is recognised first and kept out of every other check.
        let found = self.phrases.find(&stream);
        let mut disclaimer_regions: Vec<Span> = Vec::new();
        for m in found.of(self.disclaimer_present) {
            let region = disclaimer_region(text, m.span.start, m.span.end);
            match disclaimer_regions.last_mut() {
                Some(last) if region.start <= last.end => last.end = last.end.max(region.end),
                _ => disclaimer_regions.push(region),
            }
        }
        let outside =
            |a: usize, b: usize| !disclaimer_regions.iter().any(|r| a < r.end && r.start < b);

        let mentions_employer = found
            .of(self.employer)
            .iter()
            .any(|m| outside(m.span.start, m.span.end));
        let listed_title = self.titles.is_some_and(|t| {
            found
                .of(t)
                .iter()
                .any(|m| outside(m.span.start, m.span.end))
        });

        // Acts and text facts read the draft's sentences: built only when a lexicon that
        // starts one of them matched.
        let wants_view = self.lexicons.any_of(&found, acts::FACT_TRIGGERS)
            || self.acts.iter().any(|a| {
                acts::triggers(a.act).any(|l| self.lexicons.any_of(&found, &[l]))
                    || a.extend.iter().any(|(_, set)| !found.of(*set).is_empty())
            });
        let view = wants_view.then(|| {
            let hits = self.lexicons.hits(&found);
            let scene = Scene::new(text, &stream.slots);
            (scene, hits)
        });
        let outside_slots = |scene: &Scene, r: &std::ops::Range<usize>| {
            let span = scene.span(r.clone());
            outside(span.start, span.end)
        };
        // Where the employer is referred to (by name, or unnamed) and titles are used.
        let mut employer_slots: Vec<std::ops::Range<usize>> = found
            .of(self.employer)
            .iter()
            .filter(|m| outside(m.span.start, m.span.end))
            .map(|m| m.slots.clone())
            .collect();
        let mut title_slots: Vec<std::ops::Range<usize>> = self
            .titles
            .map(|t| {
                found
                    .of(t)
                    .iter()
                    .filter(|m| outside(m.span.start, m.span.end))
                    .map(|m| m.slots.clone())
                    .collect()
            })
            .unwrap_or_default();
        let named_slots = employer_slots.clone();
        let mut unnamed_employer = false;
        if let Some((scene, hits)) = &view {
            let unnamed: Vec<_> = acts::employer::unnamed(scene, hits)
                .into_iter()
                .filter(|r| outside_slots(scene, r))
                .collect();
            unnamed_employer = !unnamed.is_empty();
            employer_slots.extend(unnamed);
            title_slots.extend(
                acts::title::patterns(scene, hits, &employer_slots)
                    .into_iter()
                    .filter(|r| outside_slots(scene, r)),
            );
        }
        let official_title = listed_title || !title_slots.is_empty();
        let employer_reference = mentions_employer || unnamed_employer;
        let work =
            employer_reference || official_title || self.lexicons.any_of(&found, &[Lex::Subject]);

        // Use: the text classifier, overridden by the registry for official accounts.
        let mut use_ = classify::assess(&UseInput {
            text,
            tokens: &tokens,
            context,
            site_kind: site.map(|s| s.kind),
            account_kind,
            mentions_employer,
        });
        // `assess` applies the registry override; only the engine knows which account it was.
        if let (Some(entry), Some(reason)) = (official, use_.override_reason.as_mut()) {
            *reason = format!("@{} ({}): {reason}", entry.handle, entry.unit);
        }

        let facts = WhenFacts {
            use_: use_.label,
            account_kind,
            site: site.map(|s| s.id.as_str()),
            on_duty,
            mentions_employer,
            employer_reference,
            official_title,
            work,
            reply: context.reply.unwrap_or(false),
            disclaimer_present: !disclaimer_regions.is_empty(),
        };

        // Which rules apply here; the detectors they need run together in one pass.
        let holds: Vec<bool> = self.whens.iter().map(|w| facts.holds(w)).collect();
        let applies: Vec<bool> = self.rules.iter().map(|r| holds[r.when]).collect();
        let mut wanted = detectors::DetectorSet::empty();
        for (rule, _) in self.rules.iter().zip(&applies).filter(|(_, a)| **a) {
            if let CompiledMatcher::Detector { only, .. } = rule.matcher {
                wanted = wanted.union(only);
            }
        }
        let mut detections = Vec::new();
        wanted.detect_into(text, &mut detections);
        // Which regexes the draft may match (one pass for all their literal gates).
        let regex_applies = self
            .rules
            .iter()
            .zip(&applies)
            .any(|(r, a)| *a && matches!(r.matcher, CompiledMatcher::Regex(_)));
        // Where each regex may match: regex-lite has no literal prefilter, so a gated regex
        // is tried only where one of its literals starts.
        let regex_starts = if regex_applies {
            self.gates
                .get_or_init(|| {
                    let gates: Vec<_> = self.regexes.iter().map(|(_, r)| r.gate()).collect();
                    Gates::new(&gates)
                })
                .starts(text)
        } else {
            Vec::new()
        };

        // The abuse score, computed on first need (an abuse rule, or an ambiguous term whose
        // context reads it); `None` without a model.
        let abuse_score: OnceCell<Option<f32>> = OnceCell::new();
        let abuse = || {
            *abuse_score.get_or_init(|| {
                abuse::embedded_model()
                    .ok()
                    .map(|m| m.score(&tokens).probability)
            })
        };
        // The score without an ambiguous term's own words, for its context.
        let abuse_without = |mask: std::ops::Range<usize>| {
            abuse::embedded_model()
                .ok()
                .map(|m| m.score_masked(&tokens, mask).probability)
        };

        let mut findings = Vec::new();
        for (ri, rule) in self.rules.iter().enumerate() {
            let spec = &self.bundle.rules[rule.index];
            if !applies[ri] {
                continue;
            }
            let finding = |spans: Vec<Span>,
                           severity: Severity,
                           entity: Option<String>,
                           fix: Option<FixSpec>| {
                let matched = spans
                    .iter()
                    .map(|s| text[s.start..s.end].to_string())
                    .collect();
                Finding {
                    rule_id: spec.id.clone(),
                    element: spec.element,
                    severity,
                    message: with_account(
                        &spec.message,
                        official.map(|e| e.handle.as_str()),
                        context,
                    ),
                    why: spec.why.clone(),
                    reference: spec.reference.clone(),
                    spans,
                    matched,
                    entity,
                    fix,
                }
            };
            match &rule.matcher {
                CompiledMatcher::Phrases {
                    set,
                    except,
                    grades,
                    replacements,
                    contexts,
                    min_matches,
                } => {
                    let excepted = except.map_or(&[][..], |e| found.of(e));
                    let hits: Vec<_> = found
                        .of(*set)
                        .iter()
                        .filter(|m| outside(m.span.start, m.span.end))
                        .filter(|m| {
                            !excepted
                                .iter()
                                .any(|x| x.span.start <= m.span.start && m.span.end <= x.span.end)
                        })
                        .filter(|m| {
                            contexts[m.term]
                                .as_ref()
                                .is_none_or(|c| c.keeps(m, &stream, text, &abuse_without))
                        })
                        .collect();
                    let mut distinct: Vec<usize> = hits.iter().map(|m| m.term).collect();
                    distinct.sort_unstable();
                    distinct.dedup();
                    if hits.is_empty() || distinct.len() < *min_matches {
                        continue;
                    }
                    let graded = grades.iter().any(Option::is_some)
                        || replacements.iter().any(Option::is_some);
                    if graded {
                        // A lexicon: one finding per term, with its own grade and replacement.
                        for term in distinct {
                            let spans = merge_spans(
                                hits.iter()
                                    .filter(|m| m.term == term)
                                    .map(|m| m.span.clone()),
                            );
                            let fix = replacements[term]
                                .as_ref()
                                .map(|r| FixSpec {
                                    label: format!("Use \u{201c}{r}\u{201d}"),
                                    replace_with: Some(r.clone()),
                                })
                                .or_else(|| spec.fix.clone());
                            findings.push(finding(
                                spans,
                                grades[term].unwrap_or(spec.severity),
                                None,
                                fix,
                            ));
                        }
                    } else {
                        let spans = merge_spans(hits.iter().map(|m| m.span.clone()));
                        findings.push(finding(spans, spec.severity, None, spec.fix.clone()));
                    }
                }
                CompiledMatcher::Regex(k) => {
                    let starts = match regex_starts.get(*k) {
                        Some(Starts::At(v)) if v.is_empty() => continue,
                        Some(Starts::At(v)) => Some(v.as_slice()),
                        _ => None,
                    };
                    // A pattern that does not compile leaves its rule silent; only the
                    // default bundle's compile this late, and its tests check them.
                    let Some(re) = self.regexes[*k].1.get() else {
                        continue;
                    };
                    let spans = merge_spans(
                        re.find_all(text, starts)
                            .into_iter()
                            .filter(|m| !m.is_empty() && outside(m.start, m.end)),
                    );
                    if !spans.is_empty() {
                        findings.push(finding(spans, spec.severity, None, spec.fix.clone()));
                    }
                }
                CompiledMatcher::TextUse {
                    use_: k,
                    min_probability,
                } => {
                    let threshold = min_probability.or_else(|| {
                        let m = classify::embedded_model().ok()?;
                        match k {
                            0 => Some(m.organizational_alarm),
                            2 => Some(m.personal_alarm),
                            _ => None,
                        }
                    });
                    let reads = use_
                        .text_probabilities
                        .is_some_and(|p| threshold.is_some_and(|t| p[*k] >= t));
                    if reads {
                        findings.push(finding(Vec::new(), spec.severity, None, spec.fix.clone()));
                    }
                }
                CompiledMatcher::Act(k) => {
                    let Some((scene, hits)) = &view else { continue };
                    let act = &self.acts[*k];
                    // A rule's own words join the built-in lexicons.
                    let extended;
                    let hits = if act.extend.iter().any(|(_, set)| !found.of(*set).is_empty()) {
                        let mut h = hits.clone();
                        for (lex, set) in &act.extend {
                            h.add(*lex, found.of(*set));
                        }
                        extended = h;
                        &extended
                    } else {
                        hits
                    };
                    if !acts::may_occur(act.act, hits) {
                        continue;
                    }
                    let excepted = act.except.map_or(&[][..], |e| found.of(e));
                    let near = Near {
                        scene,
                        hits,
                        employer: &employer_slots,
                        named: &named_slots,
                        titles: &title_slots,
                    };
                    let spans = merge_spans(
                        acts::find(act.act, scene, hits)
                            .into_iter()
                            .filter(|r| outside_slots(scene, r))
                            .filter(|r| {
                                let sentence = scene.sentence(r.start);
                                !excepted.iter().any(|x| {
                                    x.slots.start >= sentence.start && x.slots.end <= sentence.end
                                })
                            })
                            .filter(|r| {
                                act.with
                                    .as_ref()
                                    .is_none_or(|w| facts.holds_with(w, &near, r.start))
                            })
                            .map(|r| {
                                let s = scene.span(r);
                                s.start..s.end
                            }),
                    );
                    if !spans.is_empty() {
                        findings.push(finding(spans, spec.severity, None, spec.fix.clone()));
                    }
                }
                CompiledMatcher::Abuse(a) => {
                    let Some(score) = abuse() else { continue };
                    let Some(severity) = a.severity_of(score) else {
                        continue;
                    };
                    // The words that raised the score most; the whole draft if none did.
                    let strongest = abuse::embedded_model()
                        .map(|m| m.strongest_tokens(&tokens, ABUSE_SPANS))
                        .unwrap_or_default();
                    let mut spans = merge_spans(
                        strongest
                            .iter()
                            .filter_map(|&k| tokens.get(k))
                            .map(|t| t.span.clone())
                            .filter(|s| outside(s.start, s.end)),
                    );
                    if spans.is_empty() {
                        let lead = text.len() - text.trim_start().len();
                        let end = text.trim_end().len();
                        if lead >= end || !outside(lead, end) {
                            continue;
                        }
                        spans.push(Span { start: lead, end });
                    }
                    findings.push(finding(spans, severity, None, spec.fix.clone()));
                }
                CompiledMatcher::Detector {
                    name, min_score, ..
                } => {
                    let spans = merge_spans(
                        detections
                            .iter()
                            .filter(|d| {
                                d.entity == *name
                                    && d.score >= *min_score
                                    && outside(d.span.start, d.span.end)
                            })
                            .map(|d| d.span.clone()),
                    );
                    if !spans.is_empty() {
                        findings.push(finding(
                            spans,
                            spec.severity,
                            Some(name.to_string()),
                            spec.fix.clone(),
                        ));
                    }
                }
            }
        }
        findings.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then(a.spans.first().cmp(&b.spans.first()))
        });
        let mut counts = SeverityCounts::default();
        for f in &findings {
            match f.severity {
                Severity::Advice => counts.advice += 1,
                Severity::Warning => counts.warning += 1,
                Severity::Violation => counts.violation += 1,
            }
        }

        let present_span = disclaimer_regions.first().map(|r| {
            let slice = &text[r.start..r.end];
            let lead = slice.len() - slice.trim_start().len();
            let trail = slice.len() - slice.trim_end().len();
            Span {
                start: r.start + lead,
                end: r.end - trail,
            }
        });
        let disclaimer = disclaimer::decide(
            &Facts {
                text,
                tokens: &tokens,
                site,
                account_kind,
                mentions_employer,
                unnamed_employer,
                official_title,
                present_span,
                organization: &self.bundle.metadata.organization,
                violation: counts.violation > 0,
            },
            &self.bundle.disclaimers.variants,
        );
        Ok(Analysis {
            use_,
            findings,
            counts,
            disclaimer,
            site: site.map(|s| s.id.clone()),
            account_kind,
            account_unit: official.map(|e| e.unit.clone()),
            mentions_employer,
            employer_reference,
            official_title,
            on_duty,
            length: disclaimer::site_length(text, &tokens, site),
        })
    }

    /// Run every enabled rule's inline examples; returns the failures (empty: all pass).
    pub fn test_examples(&self) -> Vec<ExampleFailure> {
        let mut failures = Vec::new();
        for (i, rule) in self.bundle.rules.iter().enumerate() {
            if !rule.enabled {
                continue;
            }
            let cases = [
                ("flags", &rule.examples.flags, true),
                ("passes", &rule.examples.passes, false),
            ];
            for (kind, examples, should_flag) in cases {
                for (j, ex) in examples.iter().enumerate() {
                    let (text, ctx) = match ex {
                        crate::Example::Text(t) => (t.as_str(), Context::default()),
                        crate::Example::WithContext { text, context } => {
                            (text.as_str(), context.clone())
                        }
                    };
                    let (flagged, error) = match self.analyze(text, &ctx) {
                        Ok(a) => (a.findings.iter().any(|f| f.rule_id == rule.id), None),
                        Err(e) => (!should_flag, Some(e.to_string())),
                    };
                    if flagged != should_flag || error.is_some() {
                        failures.push(ExampleFailure {
                            rule_id: rule.id.clone(),
                            path: format!("$.rules[{i}].examples.{kind}[{j}]"),
                            text: text.to_string(),
                            expected: if should_flag {
                                "should flag"
                            } else {
                                "should pass"
                            },
                            error,
                        });
                    }
                }
            }
        }
        failures
    }

    /// Build the search forms of every regex of the bundle now instead of on first need (to
    /// move the cost to a moment of the caller's choosing), returning the problems of those
    /// that cannot be compiled (see [`Engine::regex_problems`]).
    pub fn compile_regexes(&self) -> Vec<Problem> {
        for (_, re) in &self.regexes {
            let _ = re.get();
        }
        self.regex_problems()
    }

    /// Regexes that failed to compile. A bundle's patterns are compiled (regex-lite) and
    /// checked when it is loaded, so only the embedded default bundle's, compiled on first
    /// need, could appear here (its tests say none does). Such a rule finds nothing.
    pub fn regex_problems(&self) -> Vec<Problem> {
        self.regexes
            .iter()
            .filter_map(|(i, re)| {
                re.error()
                    .map(|e| problem(format!("$.rules[{i}].match.regex.pattern"), e))
            })
            .collect()
    }

    /// Number of examples in the bundle (enabled rules).
    pub fn example_count(&self) -> usize {
        self.bundle
            .rules
            .iter()
            .filter(|r| r.enabled)
            .map(|r| r.examples.flags.len() + r.examples.passes.len())
            .sum()
    }
}

/// A rule message with `{account}` replaced by the posting account: the registry's handle
/// (`@handle`), else the account the context names, else "this account".
fn with_account(message: &str, registry: Option<&str>, context: &Context) -> String {
    if !message.contains("{account}") {
        return message.to_string();
    }
    let account = match (registry, context.account.as_deref()) {
        (Some(h), _) => format!("@{}", h.trim_start_matches('@')),
        (None, Some(a)) if !a.trim().is_empty() => a.trim().to_string(),
        _ => "this account".to_string(),
    };
    message.replace("{account}", &account)
}

/// Sort and merge overlapping or touching spans.
fn merge_spans(spans: impl Iterator<Item = std::ops::Range<usize>>) -> Vec<Span> {
    let mut v: Vec<Span> = spans
        .map(|r| Span {
            start: r.start,
            end: r.end,
        })
        .collect();
    v.sort_unstable();
    let mut out: Vec<Span> = Vec::with_capacity(v.len());
    for s in v {
        match out.last_mut() {
            Some(last) if s.start < last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

/// The text facts around an act, for its `with`.
struct Near<'a, 's> {
    scene: &'a Scene<'s>,
    hits: &'a Hits,
    /// Slots of the employer's name and of unnamed references to it.
    employer: &'a [std::ops::Range<usize>],
    /// Slots of the employer's name only.
    named: &'a [std::ops::Range<usize>],
    /// Slots of official titles (listed or by pattern).
    titles: &'a [std::ops::Range<usize>],
}

impl Near<'_, '_> {
    /// The act's window: its sentence and the ones on either side.
    fn window(&self, at: usize) -> std::ops::Range<usize> {
        self.scene.window(at, 1, 1)
    }

    fn employer(&self, at: usize) -> bool {
        let w = self.window(at);
        self.employer
            .iter()
            .any(|r| r.start >= w.start && r.end <= w.end)
    }

    fn title(&self, at: usize) -> bool {
        let w = self.window(at);
        self.titles
            .iter()
            .any(|r| r.start >= w.start && r.end <= w.end)
    }

    fn named(&self, at: usize) -> bool {
        let w = self.window(at);
        self.named
            .iter()
            .any(|r| r.start >= w.start && r.end <= w.end)
    }

    fn subject(&self, at: usize) -> bool {
        self.scene.has_in(self.hits, Lex::Subject, &self.window(at))
    }
}

/// What the `when` conditions are evaluated against.
struct WhenFacts<'a> {
    use_: Option<Use>,
    account_kind: AccountKind,
    site: Option<&'a str>,
    on_duty: Option<bool>,
    mentions_employer: bool,
    employer_reference: bool,
    official_title: bool,
    work: bool,
    reply: bool,
    disclaimer_present: bool,
}

impl WhenFacts<'_> {
    /// An act's `with`, for the act starting at slot `at`: a `when` whose text facts are
    /// those near the act.
    fn holds_with(&self, w: &When, near: &Near, at: usize) -> bool {
        let (employer, title) = (near.employer(at), near.title(at));
        WhenFacts {
            mentions_employer: near.named(at),
            employer_reference: employer,
            official_title: title,
            work: employer || title || near.subject(at),
            ..*self
        }
        .holds(w)
    }

    /// The conditions on the context shared by `when` and an act's `with`.
    fn context_holds(
        &self,
        account: Option<AccountKindCond>,
        sites: Option<&[String]>,
        on_duty: Option<bool>,
        reply: Option<bool>,
    ) -> bool {
        let account_ok = account.is_none_or(|acc| match acc {
            AccountKindCond::Official => self.account_kind == AccountKind::Official,
            AccountKindCond::Personal => self.account_kind == AccountKind::Personal,
            AccountKindCond::NotOfficial => self.account_kind != AccountKind::Official,
        });
        account_ok
            && sites.is_none_or(|sites| self.site.is_some_and(|s| sites.iter().any(|x| x == s)))
            && on_duty.is_none_or(|d| self.on_duty == Some(d))
            && reply.is_none_or(|r| r == self.reply)
    }

    fn holds(&self, w: &When) -> bool {
        if let Some(uses) = &w.uses {
            if !self.use_.is_some_and(|u| uses.contains(&u)) {
                return false;
            }
        }
        if !self.context_holds(w.account, w.sites.as_deref(), w.on_duty, None) {
            return false;
        }
        if w.mentions_employer
            .is_some_and(|b| b != self.mentions_employer)
            || w.employer_reference
                .is_some_and(|b| b != self.employer_reference)
            || w.official_title.is_some_and(|b| b != self.official_title)
            || w.work.is_some_and(|b| b != self.work)
            || w.reply.is_some_and(|b| b != self.reply)
            || w.disclaimer_present
                .is_some_and(|b| b != self.disclaimer_present)
        {
            return false;
        }
        if let Some(any) = &w.any {
            if !any.iter().any(|sub| self.holds(sub)) {
                return false;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{LocalTime, Severity, UseSource};

    const BUNDLE: &str = r##"{
      "format": 1,
      "metadata": {"id": "t", "version": "1.0.0", "organization": "Department of Examples", "aliases": ["DoEx"], "language": "en"},
      "sites": [
        {"id": "x", "name": "X", "hosts": ["x.com", "twitter.com"], "kind": "general", "char_limit": 280, "url_length": 23},
        {"id": "mastodon", "name": "Mastodon", "hosts": ["*.social"], "kind": "general", "char_limit": 500}
      ],
      "registry": [{"site": "x", "handle": "@DeptExamples", "unit": "Press Office"}],
      "duty_hours": {"time_zone": "America/New_York", "windows": [{"days": ["mon", "fri"], "start": "09:00", "end": "17:00"}]},
      "official_titles": ["Deputy Director"],
      "disclaimers": {
        "variants": [
          {"id": "own-views", "situation": "names_employer", "long": "The views expressed here are my own and do not necessarily represent those of the {organization} or the United States.", "short": "Views are my own, not those of {organization}.", "minimal": "Views my own."},
          {"id": "title", "situation": "official_title", "long": "I write in a personal capacity; the views are mine and not those of the {organization}.", "short": "Personal capacity; views my own.", "minimal": "Views my own."}
        ],
        "present_phrases": ["views are my own", "opinions are my own"]
      },
      "rules": [
        {"id": "solicit", "element": "legal", "severity": "violation", "message": "m", "why": "w",
         "reference": {"clause": "5 CFR 734.303"}, "match": {"phrases": {"terms": ["chip in", "donate to my campaign"]}},
         "examples": {"flags": ["Chip in $5"], "passes": ["potato chips and dip"]}},
        {"id": "partisan-on-duty", "element": "acceptable_use", "severity": "violation", "message": "m", "why": "w",
         "reference": {"clause": "c"}, "when": {"on_duty": true}, "match": {"phrases": {"terms": ["vote for"]}},
         "examples": {"flags": [{"text": "vote for Smith", "context": {"on_duty": true}}], "passes": ["vote for Smith"]}},
        {"id": "official-only", "element": "content", "severity": "advice", "message": "m", "why": "w",
         "reference": {"clause": "c"}, "when": {"account": "official"}, "match": {"regex": {"pattern": "\\bdelete\\b", "case_insensitive": true}},
         "examples": {"flags": [{"text": "Will DELETE later", "context": {"site": "x", "account": "deptexamples"}}], "passes": ["will delete later"]}},
        {"id": "words", "element": "employee_conduct", "severity": "warning", "message": "m", "why": "w",
         "reference": {"clause": "c"}, "match": {"phrases": {"terms": ["crazy", "damn"], "grades": {"damn": "advice"}, "replacements": {"crazy": "surprising"}, "except": ["damn good"]}},
         "examples": {"flags": ["that was crazy"], "passes": ["damn good coffee"]}}
      ]
    }"##;

    fn engine() -> Engine {
        Engine::from_json(BUNDLE).unwrap()
    }

    fn ids(a: &Analysis) -> Vec<&str> {
        a.findings.iter().map(|f| f.rule_id.as_str()).collect()
    }

    #[test]
    fn default_bundle_passes_every_check() {
        let bundle: Bundle = serde_json::from_str(crate::DEFAULT_BUNDLE_JSON).unwrap();
        assert_eq!(validate::check_with(&bundle, true), vec![]);
        // Its load skips the duplicate-key scan too (`validate::Checks::Trusted`).
        assert!(validate::parse(crate::DEFAULT_BUNDLE_JSON).is_ok());
        let e = Engine::default_bundle().unwrap();
        assert_eq!(e.test_examples(), vec![]);
        assert_eq!(e.compile_regexes(), vec![]);
    }

    /// A bundle with a broken regex and another problem: `from_json` lists both, though a
    /// valid bundle's regexes are only checked by compiling them.
    #[test]
    fn from_json_lists_regex_problems_beside_others() {
        let bad = BUNDLE.replace(r#"\\bdelete\\b"#, "(unclosed").replace(
            r#"{"phrases": {"terms": ["chip in", "donate to my campaign"]}}"#,
            r#"{"detector": {"detector": "NOPE"}}"#,
        );
        let errors = Engine::from_json(&bad).unwrap_err();
        let paths: Vec<&str> = errors.problems.iter().map(|p| p.path.as_str()).collect();
        assert!(
            paths.contains(&"$.rules[2].match.regex.pattern"),
            "{paths:?}"
        );
        assert!(
            paths.contains(&"$.rules[0].match.detector.detector"),
            "{paths:?}"
        );
        assert!(
            errors.problems.iter().all(|p| p.line.is_some()),
            "{errors:?}"
        );
    }

    /// The default bundle loads with its terms from the build-time digest; they are the
    /// terms compiling its JSON gives.
    #[test]
    fn default_bundle_with_digest_equals_a_plain_compile() {
        let bundle: Bundle = serde_json::from_str(crate::DEFAULT_BUNDLE_JSON).unwrap();
        let plain = Engine::new(bundle).unwrap();
        let digested = Engine::default_bundle().unwrap();
        assert_eq!(
            format!("{:?}", digested.phrases),
            format!("{:?}", plain.phrases)
        );
        assert_eq!(
            format!("{:?}", digested.rules),
            format!("{:?}", plain.rules)
        );
        for text in [
            "Chip in $5 to my campaign today",
            "Heading to Denver tomorrow, room #1234. Give at secure.actblue.com/donate",
            "As a federal scientist I recommend this sunscreen. f**k",
            "Lunch was great",
        ] {
            let ctx = Context {
                on_duty: Some(true),
                ..Default::default()
            };
            assert_eq!(
                digested.analyze(text, &ctx).unwrap(),
                plain.analyze(text, &ctx).unwrap()
            );
        }
    }

    #[test]
    fn regexes_compile_on_the_first_draft_that_may_match() {
        let e = Engine::default_bundle().unwrap();
        // The default bundle's patterns are not even compiled at load.
        assert!(e.regexes.iter().all(|(_, r)| !r.is_plain_compiled()));
        assert!(e.regexes.iter().all(|(_, r)| !r.is_compiled()));
        let a = e
            .analyze("Lunch was great today", &Context::default())
            .unwrap();
        assert!(a.findings.is_empty());
        assert!(e.regexes.iter().all(|(_, r)| !r.is_compiled()));
        let a = e
            .analyze(
                "Give at secure.actblue.com/donate today",
                &Context::default(),
            )
            .unwrap();
        assert!(
            ids(&a).contains(&"hatch-act.donation-link"),
            "{:?}",
            ids(&a)
        );
        assert_eq!(e.regexes.iter().filter(|(_, r)| r.is_compiled()).count(), 1);
        assert_eq!(
            e.regexes
                .iter()
                .filter(|(_, r)| r.is_plain_compiled())
                .count(),
            1
        );
        // A deferred pattern that does not compile leaves its rule silent, and is reported
        // once tried. (Another bundle's is refused at load: `from_json_lists_regex_problems…`.)
        let bad = BUNDLE.replace(r#"\\bdelete\\b"#, "delete(");
        let e = Engine::compile_with(serde_json::from_str(&bad).unwrap(), Some("")).unwrap();
        assert_eq!(e.regex_problems(), vec![]);
        let ctx = Context {
            site: Some("x".into()),
            account: Some("deptexamples".into()),
            ..Default::default()
        };
        assert!(e
            .analyze("please delete this", &ctx)
            .unwrap()
            .findings
            .is_empty());
        let problems = e.regex_problems();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].path, "$.rules[2].match.regex.pattern");
    }

    #[test]
    fn examples_pass() {
        assert_eq!(engine().test_examples(), vec![]);
    }

    /// The abuse matcher: the finding's severity is the highest threshold the draft's score
    /// reaches, its spans the words that raised the score most.
    #[test]
    fn abuse_rule_grades_by_score_and_highlights_the_strongest_words() {
        let json = BUNDLE.replace(
            r#"{"phrases": {"terms": ["chip in", "donate to my campaign"]}}"#,
            r#"{"abuse": {"advice": 0.3, "warning": 0.75, "violation": 0.97}}"#,
        );
        let e = Engine::from_json(&json).unwrap();
        let model = abuse::embedded_model().unwrap();
        let matcher = crate::AbuseMatcher {
            advice: Some(0.3),
            warning: Some(0.75),
            violation: Some(0.97),
        };
        let texts = [
            "what a stupid ugly disgusting pig you are",
            "go crawl back under your rock you worthless idiot",
            "Our office will be closed Monday for the holiday.",
            "Thank you to everyone who came to the career fair today!",
            "",
        ];
        let mut seen = Vec::new();
        for text in texts {
            let a = e.analyze(text, &Context::default()).unwrap();
            let found: Vec<_> = a
                .findings
                .iter()
                .filter(|f| f.rule_id == "solicit")
                .collect();
            let toks = e.tokenizer.tokenize(text);
            let want = matcher.severity_of(model.score(&toks).probability);
            assert_eq!(found.first().map(|f| f.severity), want, "{text:?}");
            seen.push(want);
            if let Some(f) = found.first() {
                let strongest = model.strongest_tokens(&toks, ABUSE_SPANS);
                for s in &f.spans {
                    assert!(
                        strongest
                            .iter()
                            .any(|&k| toks[k].span.start <= s.start && s.end <= toks[k].span.end)
                            || (strongest.is_empty() && s.end > s.start),
                        "{text:?}: {s:?}"
                    );
                }
            }
        }
        // The drafts span the severities (or the test would not test the grading).
        assert!(seen.contains(&Some(Severity::Violation)), "{seen:?}");
        assert!(seen.contains(&None), "{seen:?}");
        // An empty draft has no finding, whatever the intercept.
        assert!(e
            .analyze("", &Context::default())
            .unwrap()
            .findings
            .is_empty());
    }

    #[test]
    fn phrase_rule_fires_with_span() {
        let e = engine();
        let text = "Please chip in to my campaign";
        let a = e.analyze(text, &Context::default()).unwrap();
        assert_eq!(ids(&a), ["solicit"]);
        let s = a.findings[0].spans[0];
        assert_eq!(&text[s.start..s.end], "chip in");
        assert_eq!(a.counts.violation, 1);
        assert_eq!(a.max_severity(), Some(Severity::Violation));
    }

    #[test]
    fn graded_lexicon_gives_one_finding_per_term() {
        let a = engine()
            .analyze("crazy day, damn", &Context::default())
            .unwrap();
        assert_eq!(a.findings.len(), 2);
        assert_eq!(a.findings[0].severity, Severity::Warning);
        assert_eq!(
            a.findings[0].fix.as_ref().unwrap().replace_with.as_deref(),
            Some("surprising")
        );
        assert_eq!(a.findings[1].severity, Severity::Advice);
        assert!(engine()
            .analyze("a damn good day", &Context::default())
            .unwrap()
            .findings
            .is_empty());
    }

    #[test]
    fn registry_overrides_use_and_drops_disclaimer() {
        let e = engine();
        let ctx = Context {
            site: Some("https://x.com/compose/post".into()),
            account: Some("@deptexamples".into()),
            ..Default::default()
        };
        let a = e
            .analyze("The Department of Examples opens applications today.", &ctx)
            .unwrap();
        assert_eq!(a.account_kind, AccountKind::Official);
        assert_eq!(a.use_.label, Some(Use::Organizational));
        assert_eq!(a.use_.source, UseSource::Registry);
        assert!(a
            .use_
            .override_reason
            .as_deref()
            .unwrap()
            .contains("Press Office"));
        assert!(!a.disclaimer.needed);
        // The same handle on another site is not the registered account.
        let ctx = Context {
            site: Some("mastodon.social".into()),
            ..ctx
        };
        assert_eq!(
            e.analyze("hi", &ctx).unwrap().account_kind,
            AccountKind::Personal
        );
    }

    #[test]
    fn disclaimer_fits_the_site_and_is_recognised_once_present() {
        let e = engine();
        let ctx = Context {
            site: Some("x.com".into()),
            account: Some("@jane".into()),
            ..Default::default()
        };
        let text = "Proud of my team at DoEx for shipping the new permit portal today. https://example.gov/a/very/long/link/that/counts/as/23";
        let a = e.analyze(text, &ctx).unwrap();
        assert!(a.mentions_employer);
        assert!(a.disclaimer.needed && !a.disclaimer.present);
        let s = a.disclaimer.suggestion.as_ref().unwrap();
        assert_eq!(s.variant, "long");
        assert!(a.length + s.insert.chars().count() <= 280);
        // Inserting the suggestion makes it present, and nothing inside it is checked.
        let with = format!("{text}{}", s.insert);
        let b = e.analyze(&with, &ctx).unwrap();
        assert!(
            b.disclaimer.present && b.disclaimer.suggestion.is_none(),
            "{:?}",
            b.disclaimer
        );
        let span = b.disclaimer.present_span.unwrap();
        assert_eq!(&with[span.start..span.end], s.text);
        // A long draft only leaves room for a shorter variant.
        let long = format!("DoEx {}", "word ".repeat(40));
        let c = e.analyze(&long, &ctx).unwrap();
        assert_eq!(c.disclaimer.suggestion.as_ref().unwrap().variant, "short");
        let full = format!("DoEx {}", "word ".repeat(55));
        let d = e.analyze(&full, &ctx).unwrap();
        assert!(d.disclaimer.needed && d.disclaimer.suggestion.is_none());
    }

    #[test]
    fn disclaimer_region_does_not_swallow_the_sentence_before_it() {
        let e = engine();
        let a = e
            .analyze(
                "Loving my job at DoEx 👩‍💻 Views my own.",
                &Context::default(),
            )
            .unwrap();
        assert!(
            a.mentions_employer,
            "the employer is named before the disclaimer"
        );
        assert!(a.disclaimer.needed && a.disclaimer.present);
        let b = e
            .analyze(
                "That was crazy. Views are my own, crazy as they are.",
                &Context::default(),
            )
            .unwrap();
        let spans: Vec<_> = b.findings.iter().flat_map(|f| f.spans.clone()).collect();
        assert_eq!(
            spans,
            vec![Span { start: 9, end: 14 }],
            "only the first 'crazy' is checked"
        );
    }

    #[test]
    fn present_phrase_means_no_suggestion() {
        let a = engine()
            .analyze(
                "Great conference hosted by DoEx today. Views are my own.",
                &Context::default(),
            )
            .unwrap();
        assert!(a.disclaimer.needed && a.disclaimer.present && a.disclaimer.suggestion.is_none());
    }

    #[test]
    fn official_title_asks_for_the_title_disclaimer() {
        let a = engine()
            .analyze("As Deputy Director I loved this book.", &Context::default())
            .unwrap();
        assert!(a.official_title);
        assert_eq!(
            a.disclaimer.situation,
            Some(crate::DisclaimerSituation::OfficialTitle)
        );
        assert_eq!(a.disclaimer.suggestion.unwrap().id, "title");
    }

    /// A bundle with an act rule: its own lexicon words, `except` and `with` each do their part, and the
    /// `employer_reference` condition sees the employer without its name.
    #[test]
    fn act_rules_combine_acts_with_facts() {
        let mut v: serde_json::Value = serde_json::from_str(BUNDLE).unwrap();
        v["rules"].as_array_mut().unwrap().extend([
            serde_json::json!({"id": "endorse", "element": "legal", "severity": "violation",
                "message": "m", "why": "w", "reference": {"clause": "5 CFR 2635.702"},
                "match": {"act": {"act": "endorse",
                    "argument": ["widgetron"], "cue": ["top pick"],
                    "except": ["not sponsored"],
                    "with": {"any": [{"official_title": true}, {"account": "official"}]}}}}),
            serde_json::json!({"id": "unnamed", "element": "content", "severity": "advice",
                "message": "m", "why": "w", "reference": {"clause": "c"},
                "when": {"employer_reference": true, "mentions_employer": false},
                "match": {"act": {"act": "delete_records", "with": {"work": true}}}}),
            serde_json::json!({"id": "named-near", "element": "content", "severity": "advice",
                "message": "m", "why": "w", "reference": {"clause": "c"},
                "match": {"act": {"act": "announce_nonpublic", "with": {"mentions_employer": true}}}}),
        ]);
        let e = Engine::new(serde_json::from_value(v).unwrap()).unwrap();
        let me = Context {
            site: Some("x".into()),
            account: Some("@jo".into()),
            ..Context::default()
        };
        let official = Context {
            account: Some("@DeptExamples".into()),
            ..me.clone()
        };
        let run = |t: &str, c: &Context| e.analyze(t, c).unwrap();
        // A title (listed, or by pattern) or an official account makes a recommendation an
        // endorsement; a lexicon word added by the bundle is a product.
        let a = run("As Deputy Director I recommend the widgetron to all.", &me);
        assert_eq!(ids(&a), vec!["endorse"]);
        assert_eq!(a.findings[0].matched, vec!["recommend"]);
        assert_eq!(
            ids(&run(
                "Senior analyst at the Department of Examples: widgetron is my top pick.",
                &me
            )),
            vec!["endorse"]
        );
        assert_eq!(
            ids(&run("We recommend the widgetron.", &official)),
            vec!["endorse"]
        );
        assert!(run("I recommend the widgetron.", &me).findings.is_empty());
        // The title must be near the act: another paragraph's title does not count.
        assert!(run(
            "Deputy Director at the Department of Examples. Retired now. Gardening every day. I recommend the widgetron.",
            &me
        )
        .findings
        .is_empty());
        // `except` in the act's sentence cancels it.
        assert!(run("We recommend the widgetron, not sponsored.", &official)
            .findings
            .is_empty());

        // An unnamed employer reference is a fact of its own; the disclaimer decision sees it.
        let a = run("Delete the audit emails from my agency before Friday.", &me);
        assert_eq!(ids(&a), vec!["unnamed"]);
        assert!(a.employer_reference && !a.mentions_employer);
        assert!(a.disclaimer.needed);
        assert!(
            a.disclaimer.reason.contains("refers to your employer"),
            "{}",
            a.disclaimer.reason
        );
        assert!(run("Delete the audit emails from DoEx before Friday.", &me)
            .findings
            .is_empty());
        assert!(!run("My team won the softball game!", &me).disclaimer.needed);
        // `with` reads the text facts near the act: the employer named two sentences away
        // is not near a leak.
        assert_eq!(
            ids(&run("Between us, DoEx moves HQ in May.", &me)),
            vec!["named-near"]
        );
        assert!(run(
            "DoEx rocks. Lunch was fine. Tea too. Between us, HQ moves in May.",
            &me
        )
        .findings
        .is_empty());
    }

    /// A suggested disclaimer says that it does not cure a violation in the draft.
    #[test]
    fn disclaimer_note_when_the_draft_has_a_violation() {
        let e = engine();
        let me = Context {
            site: Some("x".into()),
            account: Some("@jo".into()),
            ..Context::default()
        };
        let a = e.analyze("DoEx staff: chip in for my race", &me).unwrap();
        assert!(a.counts.violation > 0 && a.disclaimer.needed);
        assert!(a
            .disclaimer
            .note
            .as_deref()
            .is_some_and(|n| n.contains("does not cure")));
        let a = e.analyze("DoEx staff: great quarter", &me).unwrap();
        assert!(a.disclaimer.needed && a.disclaimer.note.is_none());
    }

    #[test]
    fn when_conditions_not_official_and_disclaimer_present() {
        let facts = |account_kind, disclaimer_present| WhenFacts {
            use_: Some(Use::Personal),
            account_kind,
            site: None,
            on_duty: None,
            mentions_employer: true,
            employer_reference: true,
            official_title: false,
            work: true,
            reply: false,
            disclaimer_present,
        };
        let w = When {
            account: Some(AccountKindCond::NotOfficial),
            disclaimer_present: Some(false),
            ..Default::default()
        };
        assert!(facts(AccountKind::Unknown, false).holds(&w));
        assert!(facts(AccountKind::Personal, false).holds(&w));
        assert!(!facts(AccountKind::Official, false).holds(&w));
        assert!(!facts(AccountKind::Personal, true).holds(&w));
        let any = When {
            any: Some(vec![
                When {
                    reply: Some(true),
                    ..Default::default()
                },
                When {
                    mentions_employer: Some(true),
                    ..Default::default()
                },
            ]),
            ..Default::default()
        };
        assert!(facts(AccountKind::Unknown, false).holds(&any));
    }

    #[test]
    fn lunch_is_clean() {
        let a = engine()
            .analyze("Best tacos ever at lunch today 🌮", &Context::default())
            .unwrap();
        assert!(a.findings.is_empty());
        assert!(!a.disclaimer.needed && a.disclaimer.suggestion.is_none());
    }

    #[test]
    fn duty_hours_from_local_time() {
        let e = engine();
        let at = |weekday, hour| Context {
            local_time: Some(LocalTime {
                weekday,
                hour,
                minute: 0,
            }),
            ..Default::default()
        };
        assert_eq!(
            ids(&e.analyze("vote for Smith", &at(Weekday::Mon, 10)).unwrap()),
            ["partisan-on-duty"]
        );
        assert!(e
            .analyze("vote for Smith", &at(Weekday::Mon, 18))
            .unwrap()
            .findings
            .is_empty());
        assert!(e
            .analyze("vote for Smith", &at(Weekday::Tue, 10))
            .unwrap()
            .findings
            .is_empty());
        assert!(e.analyze("x", &at(Weekday::Tue, 25)).is_err());
    }

    #[test]
    fn broken_bundles_are_reported_with_paths() {
        let bad = BUNDLE.replace(r#""element": "legal""#, r#""element": "legl""#);
        assert!(Engine::from_json(&bad).is_err());
        let bad = BUNDLE.replace(r#"\\bdelete\\b"#, r#"(unclosed"#);
        let err = Engine::from_json(&bad).unwrap_err();
        assert!(
            err.problems
                .iter()
                .any(|p| p.path == "$.rules[2].match.regex.pattern"),
            "{err}"
        );
        let bad = BUNDLE.replace(
            r#"["chip in", "donate to my campaign"]"#,
            r#"["chip in", "b*d"]"#,
        );
        let err = Engine::from_json(&bad).unwrap_err();
        assert!(
            err.problems
                .iter()
                .any(|p| p.path == "$.rules[0].match.phrases.terms[1]"),
            "{err}"
        );
        // A broken regex beside another problem: both reported, from text and from a value.
        let bad = bad.replace(r#"\\bdelete\\b"#, r#"(unclosed"#);
        let err = Engine::from_json(&bad).unwrap_err();
        let paths: Vec<&str> = err.problems.iter().map(|p| p.path.as_str()).collect();
        assert!(
            paths.contains(&"$.rules[0].match.phrases.terms[1]"),
            "{err}"
        );
        assert!(paths.contains(&"$.rules[2].match.regex.pattern"), "{err}");
        let bundle: Bundle = serde_json::from_str(&bad).unwrap();
        let err = Engine::new(bundle).unwrap_err();
        let paths: Vec<&str> = err.problems.iter().map(|p| p.path.as_str()).collect();
        assert!(
            paths.contains(&"$.rules[0].match.phrases.terms[1]"),
            "{err}"
        );
        assert!(paths.contains(&"$.rules[2].match.regex.pattern"), "{err}");
        assert!(Engine::from_json("{").is_err());
    }

    #[test]
    fn never_panics_on_odd_input() {
        let e = engine();
        let long = "x".repeat(10_000);
        let odd = [
            "",
            " ",
            "\u{0}",
            "#",
            "@",
            "#_",
            "@.",
            "http://",
            "a\u{301}\u{301}\u{301}",
            "👩‍👩‍👧‍👦👩‍👩‍👧‍👦",
            "\u{202e}abc",
            "日本語のテキスト",
            "שלום עולם",
            long.as_str(),
            "#A#B#C",
            "@@@@",
            "..!!??\n\n",
        ];
        for s in odd {
            let mut a = e
                .analyze(
                    s,
                    &Context {
                        site: Some("x".into()),
                        ..Default::default()
                    },
                )
                .unwrap();
            a.to_utf16(s);
        }
    }

    /// Bundle limits reach the engine's loader as problems, never as a crash: a regex of
    /// 2,000 nested groups (the gate reader and regex-lite both recurse), a bundle over
    /// the nesting limit.
    #[test]
    fn engine_loader_reports_limits() {
        let mut v: serde_json::Value = serde_json::from_str(crate::DEFAULT_BUNDLE_JSON).unwrap();
        let k = v["rules"]
            .as_array()
            .unwrap()
            .iter()
            .position(|r| r["match"].get("regex").is_some())
            .unwrap();
        let nested = format!("{}a{}", "(".repeat(2000), ")".repeat(2000));
        v["rules"][k]["match"]["regex"]["pattern"] = nested.into();
        let errs = Engine::from_json(&v.to_string()).unwrap_err();
        assert_eq!(
            errs.problems[0].path,
            format!("$.rules[{k}].match.regex.pattern")
        );
        let deep = format!("{}1{}", "[".repeat(100), "]".repeat(100));
        let errs = Engine::from_json(&deep).unwrap_err();
        assert!(errs.problems[0]
            .message
            .contains("nested deeper than 32 levels"));
    }

    /// Of a draft longer than MAX_DRAFT_CHARS only the start is checked, and a finding says
    /// so; the spans of the part checked still convert to UTF-16 offsets into the whole.
    #[test]
    fn long_draft_is_checked_in_part_and_says_so() {
        let e = Engine::default_bundle().unwrap();
        let ctx = Context {
            site: Some("x".into()),
            ..Default::default()
        };
        let ssn = "My SSN is 123-45-6789.";
        // Four-byte emoji (two UTF-16 units each) before the SSN, then filler to the limit.
        let head = format!("😀😀 {ssn} ");
        let filler_chars = MAX_DRAFT_CHARS - head.chars().count() - 10;
        let fill = "ab ".repeat(filler_chars / 3 + 1);
        let fill: String = fill.chars().take(filler_chars).collect();
        let at_limit = format!("{head}{fill}{}", "x".repeat(10));
        assert_eq!(at_limit.chars().count(), MAX_DRAFT_CHARS);
        let whole = e.analyze(&at_limit, &ctx).unwrap();
        assert!(whole
            .findings
            .iter()
            .all(|f| f.rule_id != TRUNCATED_RULE_ID));

        // One character more, and a second SSN beyond the limit.
        let long = format!("{at_limit}é Second: 987-65-4321");
        let mut a = e.analyze(&long, &ctx).unwrap();
        let notes: Vec<_> = a
            .findings
            .iter()
            .filter(|f| f.rule_id == TRUNCATED_RULE_ID)
            .collect();
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].severity, Severity::Advice);
        assert!(notes[0].spans.is_empty() && notes[0].matched.is_empty());
        assert!(notes[0]
            .message
            .contains(&format!("first {} characters", "65,536")));
        assert_eq!(MAX_DRAFT_CHARS, 65_536);
        // Counts include the note; the SSN beyond the limit is not reported.
        let advice = a
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Advice)
            .count();
        assert_eq!(a.counts.advice, advice);
        let matched: Vec<&str> = a
            .findings
            .iter()
            .flat_map(|f| f.matched.iter().map(String::as_str))
            .collect();
        assert!(matched.contains(&"123-45-6789"), "{matched:?}");
        assert!(!matched.iter().any(|m| m.contains("987-65-4321")));
        // Findings stay sorted by severity, most severe first.
        assert!(a
            .findings
            .windows(2)
            .all(|w| w[0].severity >= w[1].severity));
        // UTF-16 spans into the whole draft give back the matched text.
        let units: Vec<u16> = long.encode_utf16().collect();
        let before = a.clone();
        a.to_utf16(&long);
        for (f, g) in a.findings.iter().zip(&before.findings) {
            for (s, m) in f.spans.iter().zip(&g.matched) {
                assert_eq!(String::from_utf16(&units[s.start..s.end]).unwrap(), *m);
            }
        }
    }
}
