//! The voice lexicons of the use classifier: which everyday English words belong to the
//! work side (career and field vocabulary, job titles; public-service vocabulary,
//! government roles, agency and program words) and which to the family and leisure side
//! (family, home life, pets, leisure, sports, hobbies, food, travel, holidays).
//!
//! Whole categories of common words, written from general knowledge of each category, never
//! picked from the hand-written drafts or the training rows. Each list is whitespace-separated
//! words, stemmed at start-up with the same Snowball stemmer as the tokenizer (so "hikes",
//! "hiking" and "hiked" are one entry); a word is matched on its stem. A stem belongs to one
//! list only (tested): an ambiguous word ("coach", "goal", "match", "card", "plant", "park")
//! is left out rather than counted on both sides.
//!
//! Used only by [`super::features::extract`]: changing a list changes the features, so it
//! needs a new `FEATURE_VERSION` and a retrained model.

/// Career and field vocabulary: one's job, skills, research and profession, and job titles.
pub const WORK: &[&str] = &[
    // Career and the job itself.
    "team teams teammate teammates project projects career careers job jobs role roles
     position colleague colleagues coworker coworkers staff staffer employee employees
     employer hire hired hiring recruit recruiter recruiting recruitment onboarding promotion
     promoted resume interview interviews interviewing internship internships intern interns
     apprentice apprenticeship fellowship salary retirement retire retired retiring
     workplace work working worked works workday workload overtime shift shifts
     professional professionals profession industry industries sector expertise expert experts
     experience skill skills skilled upskilling lesson lessons learned learning insight
     insights takeaway takeaways productivity efficiency workflow workflows
     tools tooling framework frameworks model models method methods methodology",
    // Professional events and activities.
    "conference conferences summit symposium webinar webinars panel panelist panelists
     presentation presentations presented presenting keynote speaker speakers speaking
     workshop workshops seminar seminars training trainings meeting meetings agenda
     networking collaboration collaborate collaborating collaborator collaborators
     stakeholder stakeholders client clients deliverable deliverables milestone milestones
     roadmap kickoff brainstorm brainstorming award awards awarded
     certification certifications certified credential credentials accreditation",
    // Research and field work.
    "research researcher researchers paper papers published publish
     publishing manuscript preprint reviewer reviewers
     hypothesis experiment experiments experimental lab labs laboratory fieldwork field
     survey surveys sample sampling dataset datasets data analysis analyses analyze analyzing
     analytics statistics statistical modeling modelling simulation forecast forecasting
     evaluation assessment assessments audit audits metrics metric benchmark benchmarks
     dashboard dashboards thesis dissertation phd doctorate postdoc degree degrees course
     courses coursework curriculum cohort bootcamp mentor mentors mentoring mentorship mentee
     mentees peer peers feedback",
    // Management, operations, business and technology.
    "leadership leader leaders manager managers management managing manage supervisor
     supervisors supervising strategy strategic operations operational logistics procurement
     acquisition acquisitions contracting contract contracts contractor contractors vendor
     vendors requirements implementation implementing rollout modernization optimization
     engineering engineer engineers science scientific technology technologies technical tech
     innovation innovative startup startups founder founders cofounder entrepreneur
     entrepreneurs entrepreneurship business businesses enterprise product products
     stakeholder software hardware code coding coder developer developers
     cloud cybersecurity devops deployment deployments deploy deployed
     pipeline pipelines architecture database databases api automation automate automating
     automated algorithm algorithms spreadsheet spreadsheets
     prototype prototypes linkedin",
    // Job titles and occupations.
    "analyst analysts scientist scientists economist economists statistician statisticians
     epidemiologist epidemiologists biologist biologists ecologist ecologists geologist
     geologists hydrologist hydrologists meteorologist meteorologists climatologist chemist
     chemists physicist physicists geographer cartographer toxicologist archaeologist
     historian historians archivist archivists librarian librarians curator curators
     architect architects designer designers consultant consultants
     auditor auditors attorney attorneys lawyer lawyers paralegal paralegals nurse nurses
     physician physicians pharmacist pharmacists therapist therapists counselor counselors
     dietitian veterinarian technician technicians mechanic mechanics electrician
     electricians plumber welder machinist specialist
     specialists coordinator coordinators director directors executive executives chief
     ceo cto cfo coo vp clerk clerks planner planners surveyor surveyors forester foresters
     firefighter firefighters smokejumper smokejumpers paramedic paramedics dispatcher
     dispatchers professor professors lecturer lecturers teacher teachers instructor
     instructors educator educators editor editors writer writers
     journalist journalists translator translators interpreter interpreters recruiter
     recruiters crew crews foreman",
];

/// Public-service vocabulary: what an institution says to the public it serves, government
/// roles and bodies, agency and program words, civic life, and public notices.
pub const SERVICE: &[&str] = &[
    // Government bodies, roles and civic life.
    "agency agencies department departments dept bureau bureaus administration office offices
     ministry commission commissioner commissioners council councilmember committee
     subcommittee caucus congress congressional senate senator senators congressman
     congresswoman representatives legislature legislator legislators lawmaker lawmakers
     legislation legislative amendment ordinance statute law laws court courts
     judge judges justice governor governors mayor mayors secretary administrator
     administrators official officials ambassador sheriff ombudsman investigator investigators ranger
     rangers government governments govt federal state states statewide county counties city
     cities municipal municipality nation national nationwide public taxpayer taxpayers
     citizen citizens residents constituent constituents district districts election
     elections vote votes voting voted voter voters ballot ballots polls polling democracy
     census civic town towns township village villages borough parish tribal tribes
     territory territories americans president presidential military troops
     servicemembers",
    // Programs, services and benefits.
    "program programs initiative initiatives grant grants grantee funding fund funds funded
     budget budgets appropriations relief assistance aid benefit benefits eligible
     eligibility application applications applicant applicants permit permits license
     licenses licensing passport passports visa visas tax taxes irs medicare medicaid
     pension veterans survivors seniors services service customers clinic clinics center
     centers hotline helpline website portal online form forms fee fees enrollment
     registration outreach volunteer volunteers volunteering donation
     donations donor donors nonprofit charity fundraiser",
    // Notices, safety and operations.
    "announce announced announces announcement announcements announcing update updates
     updated notice notices reminder reminders deadline deadlines alert alerts advisory
     advisories warning warnings emergency emergencies disaster disasters evacuation
     evacuate shelter shelters preparedness recovery resilience outbreak vaccine vaccines
     vaccination vaccinations healthcare inspection inspections enforcement investigation
     oversight transparency compliance regulation regulations regulatory rule
     rules rulemaking policy policies guidance guideline guidelines statement statements
     report reports reporting briefing briefings hearing hearings testimony
     closed closure closures closing reopen reopens reopened reopening hours schedule
     schedules scheduled appointment appointments available availability free status
     processing fraud scam scams scammer scammers phishing safety security
     protection protect infrastructure broadband highway highways transit bridge bridges
     repairs maintenance construction conservation environmental emissions pollution
     wildlife mission ceremony observance proclamation commemorate rural communities
     community visitors",
];

/// Family, home life, pets, leisure, sports, hobbies, food, travel and holidays.
pub const LEISURE: &[&str] = &[
    // Family and friends.
    "family families kid kids son sons daughter daughters wife wives husband husbands spouse
     mom moms mum mother mothers dad dads father fathers parent parents parenting baby babies
     toddler toddlers newborn grandma grandpa grandmother grandfather grandparents grandkids
     grandson granddaughter grandchildren brother brothers sister sisters sibling siblings
     cousin cousins aunt uncle niece nephew twins fiance fiancee boyfriend girlfriend bestie
     bff friend friends buddy neighbor neighbors wedding weddings anniversary honeymoon
     married marriage pregnant pregnancy nanny babysitter",
    // Home life.
    "home house apartment kitchen backyard yard garden gardening porch couch sofa bed
     bedroom nap naps sleep sleeping tired laundry chores dishes groceries grocery pajamas
     blanket blankets fireplace houseplants",
    // Pets.
    "dog dogs puppy puppies pup cat cats kitten kittens pet pets horse horses hamster
     bunny leash",
    // Leisure, outdoors and travel.
    "weekend weekends vacation vacations holiday holidays trip trips roadtrip getaway beach
     lake mountains camping campfire tent hike hikes hiking hiked trail trails fishing kayak
     kayaking canoe boating swim swimming surf surfing ski skiing snowboarding sledding bike
     biking cycling jog jogging marathon gym workout yoga sunset sunrise picnic cruise
     sightseeing road morning night tonight",
    // Sports.
    "game games football baseball basketball soccer softball hockey volleyball tennis golf
     bowling rugby cricket lacrosse wrestling nfl nba mlb nhl superbowl playoffs playoff
     tournament tournaments championship touchdown inning fans league stadium cheer
     cheered cheering season win lost",
    // Hobbies and entertainment.
    "hobby hobbies puzzle puzzles crossword knitting crochet sewing quilting painting
     drawing guitar piano drums band concert concerts festival music song songs playlist
     album singing dance dancing karaoke movie movies cinema netflix tv episode episodes
     binge show videogame videogames gaming xbox playstation nintendo chess lego crafts fun
     lol lmao lmfao omg haha hahaha yay woohoo",
    // Food and drink.
    "dinner lunch breakfast brunch snack snacks dessert cake cakes cookie cookies pie pizza
     burger burgers taco tacos sushi pasta bbq barbecue grill grilling coffee tea beer wine
     cocktail cocktails popcorn pancakes waffles bacon cheese chocolate candy recipe recipes
     baking bake baked cook cooking cooked restaurant cafe bakery takeout leftovers bread
     soup salad sandwich steak pumpkin honey",
    // Holidays and celebrations.
    "christmas xmas thanksgiving halloween easter hanukkah passover diwali ramadan eid
     valentine birthday birthdays bday celebrate celebrating celebration
     celebrations fireworks",
];

/// Every word of a lexicon (the lists hold whitespace-separated words).
pub fn words(list: &'static [&'static str]) -> impl Iterator<Item = &'static str> {
    list.iter().flat_map(|block| block.split_whitespace())
}
