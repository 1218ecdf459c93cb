//! The lexicons acts and facts are built from: phrase families (matched like bundle phrase
//! terms: stems, whole words, `*` at the end of a word) in one table, each compiled once per
//! bundle into the engine's phrase index and searched in its single pass over the draft.
//!
//! Each lexicon is one string with a term a line (a table of `&str` would cost the WebAssembly
//! module a pointer and a length per term). Act-specific cue families live in the act's own file; the argument lexicons several acts
//! share (times, places, parties, offices, work subjects, titles) live here.

use super::{announce, delete_records, employer, endorse, movements, off_channel, solicit};
use super::{title, urge_vote};

/// One lexicon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Lex {
    // Shared arguments.
    Time,
    Place,
    Party,
    Office,
    Campaign,
    Honorific,
    Subject,
    // Facts.
    EmployerNoun,
    WorkWord,
    TitleHead,
    TitlePhrase,
    // Acts.
    EndorseCue,
    Product,
    SecrecyCue,
    MoneyCue,
    VoteCue,
    VoteStrong,
    PartyJudgement,
    NeutralPolitics,
    TravelCue,
    Principal,
    TripCancel,
    ChannelCue,
    Channel,
    DeleteCue,
    Record,
    Concealment,
    DocumentedReason,
}

impl Lex {
    pub const COUNT: usize = Lex::DocumentedReason as usize + 1;
    pub const ALL: [Lex; Lex::COUNT] = [
        Lex::Time,
        Lex::Place,
        Lex::Party,
        Lex::Office,
        Lex::Campaign,
        Lex::Honorific,
        Lex::Subject,
        Lex::EmployerNoun,
        Lex::WorkWord,
        Lex::TitleHead,
        Lex::TitlePhrase,
        Lex::EndorseCue,
        Lex::Product,
        Lex::SecrecyCue,
        Lex::MoneyCue,
        Lex::VoteCue,
        Lex::VoteStrong,
        Lex::PartyJudgement,
        Lex::NeutralPolitics,
        Lex::TravelCue,
        Lex::Principal,
        Lex::TripCancel,
        Lex::ChannelCue,
        Lex::Channel,
        Lex::DeleteCue,
        Lex::Record,
        Lex::Concealment,
        Lex::DocumentedReason,
    ];

    /// The built-in terms, one a line.
    pub fn terms(self) -> &'static str {
        match self {
            Lex::Time => TIME,
            Lex::Place => PLACE,
            Lex::Party => PARTY,
            Lex::Office => OFFICE,
            Lex::Campaign => CAMPAIGN,
            Lex::Honorific => HONORIFIC,
            Lex::Subject => SUBJECT,
            Lex::EmployerNoun => employer::NOUNS,
            Lex::WorkWord => employer::WORK_WORDS,
            Lex::TitleHead => title::HEADS,
            Lex::TitlePhrase => title::PHRASES,
            Lex::EndorseCue => endorse::CUES,
            Lex::Product => endorse::PRODUCTS,
            Lex::SecrecyCue => announce::CUES,
            Lex::MoneyCue => solicit::CUES,
            Lex::VoteCue => urge_vote::CUES,
            Lex::VoteStrong => urge_vote::STRONG,
            Lex::PartyJudgement => urge_vote::JUDGEMENTS,
            Lex::NeutralPolitics => urge_vote::NEUTRAL,
            Lex::TravelCue => movements::CUES,
            Lex::Principal => movements::PRINCIPALS,
            Lex::TripCancel => movements::CANCEL,
            Lex::ChannelCue => off_channel::CUES,
            Lex::Channel => off_channel::CHANNELS,
            Lex::DeleteCue => delete_records::CUES,
            Lex::Record => delete_records::RECORDS,
            Lex::Concealment => delete_records::CONCEALMENT,
            Lex::DocumentedReason => delete_records::DOCUMENTED,
        }
    }
}

/// Times: days, parts of days, relative dates, clock words. Clock numbers ("9 am", "7:15",
/// "0800") are read by [`super::Scene::is_clock`].
pub(crate) const TIME: &str = "
monday
tuesday
wednesday
thursday
friday
saturday
sunday
tomorrow
tonight
this morning
this afternoon
this evening
next week
next month
this weekend
next weekend
noon
midnight
dawn
am
pm
a.m
p.m
o'clock
all day
morning
afternoon
evening
";

/// Place nouns and well-known place names (a capitalised name after "at", "in", "to" is a
/// place too: [`super::Scene::proper_name`]).
pub(crate) const PLACE: &str = "
airport
terminal
hotel
station
field office
regional office
office
center
centre
plant
hub
site
port
base
embassy
capitol
hq
headquarters
residence
clinic
convention center
downtown
room
building
facility
marriott
hilton
hyatt
westin
omni
sheraton
holiday inn
o'hare
dulles
reagan national
jfk
laguardia
andrews
union station
dc
washington
";

/// Political parties and partisan groups.
pub(crate) const PARTY: &str = "
democrat
democrats
democratic party
democratic committee
dems
republican
republicans
republican party
gop
libertarian
libertarians
green party
dnc
rnc
dccc
nrcc
dscc
nrsc
pac
super pac
maga
#maga
#voteblue
#votered
#bluewave
#redwave
";

/// Offices and races.
pub(crate) const OFFICE: &str = "
senate
congress
governor
mayor
city council
county commission
school board
president
the house
district
ticket
slate
incumbent
candidate
candidates
reelection
re election
in office
attorney general
sheriff
state senate
state house
";

/// Campaign words.
pub(crate) const CAMPAIGN: &str = "
campaign
election
election day
in november
the polls
polls open
ballot
primary
midterm
midterms
rally
yard sign
race
";

/// Honorifics before a candidate's name.
pub(crate) const HONORIFIC: &str = "
senator
sen
governor
gov
president
mayor
rep
representative
congresswoman
congressman
councilmember
councilwoman
councilman
commissioner
sheriff
judge
";

/// Work subjects: what an agency decides, buys, announces or keeps.
pub(crate) const SUBJECT: &str = "
rule
final rule
regulation
policy
contract
contractor
contractors
rfp
solicitation
procurement
vendor
award
awards
grant
grants
budget
layoff
layoffs
rif
positions
reorg
reorganization
memo
field office
regional office
hq
headquarters
hiring freeze
merger
settlement
audit
report
decision
interest rate
fee
telework
inspection
inspections
results
trial
appointment
nominee
regional chief
secretary
department
agency
bureau
logo
facilities
briefing
investigation
investigators
foia
legal
case
claims
permit
permits
dispute
oversight
hearing
work
office
.gov
";
