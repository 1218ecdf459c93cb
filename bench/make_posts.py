#!/usr/bin/env python3
"""Writes bench/posts.json: realistic social media drafts for the benchmark.

All text is written for this repository (no rows from any data set). 160 drafts are written
out one by one; 160 more are composed from hand-written openers, bodies and closers with a
fixed seed, so the file is reproducible: python3 bench/make_posts.py
"""
import json
import random
from pathlib import Path

HAND = [
    # personal
    "Finally finished the garden fence this weekend. My back hurts but it looks great 🌻",
    "Anyone have a good recipe for sourdough that doesn't need a starter older than my kid?",
    "Ran my first 10k this morning! 58 minutes. Not fast, but I did it 🏃‍♀️🎉",
    "The sunset over the lake tonight was unreal. No filter needed.",
    "Hot take: pineapple on pizza is fine and everyone needs to relax.",
    "Our dog learned to open the fridge. We are no longer in charge of this household.",
    "Reading 'The Overstory' for book club. Halfway through and I already love the trees more than the people.",
    "Happy birthday to my little brother, who is now taller than me and will never let me forget it.",
    "Traffic on the beltway this morning was a special kind of chaos.",
    "Made it to the farmers market before the strawberries sold out. Small victories 🍓",
    "Does anyone know a plumber in the Silver Spring area who actually answers the phone?",
    "My daughter lost her first tooth today and negotiated a rate with the tooth fairy. She's going places.",
    "Can't believe it's already November. Where did the year go?",
    "Rainy Sunday, blanket, tea, and a very long novel. Perfect.",
    "Just booked flights to see my parents for the holidays. Wish me luck at the airport.",
    "The new coffee shop on 5th street makes a cortado that could fix anything ☕",
    "Our team lost the trivia night by one point. One point! The question was about the capital of Burkina Faso.",
    "Spent the afternoon volunteering at the animal shelter. Came home with zero dogs, which is a personal record.",
    "If you're near the park today, the cherry blossoms are at peak. Go now.",
    "Three hours assembling a bookshelf and I have four screws left over. Totally normal, right?",
    "Tried bouldering for the first time. My forearms have filed a formal complaint.",
    "Grateful for friends who show up with soup when you're sick. You know who you are ❤️",
    "Anyone else's kids suddenly obsessed with dinosaurs? We've named every one in the museum.",
    "Weekend plan: absolutely nothing. Can't wait.",
    "My grandmother turned 95 today and still beats all of us at cards.",
    "The first snow of the year always makes the neighborhood look like a postcard ❄️",
    "New year, new running shoes, same slow pace.",
    "Watched the eclipse with the neighbors. Everyone in funny glasses, everyone cheering.",
    "Learning to play the cello at 41. The cat leaves the room every time.",
    "Made my mom's lasagna recipe for the first time. It was 80% as good, which I'm counting as a win.",
    # professional
    "Excited to share that I'll be speaking at the regional GIS users conference next month about open data pipelines.",
    "Great panel today on accessibility in public websites. Key takeaway: test with real screen reader users, early and often.",
    "After eight years in public health, I've learned that the best data dashboard is the one people actually open.",
    "Proud to have completed my PMP certification this week. Thanks to everyone who quizzed me over lunch!",
    "Hiring managers: please write job postings in plain language. Your future employees will thank you.",
    "Interesting article on how cities are using sensor data to plan bike lanes. Worth a read for anyone in transportation planning.",
    "Mentoring tip: ask your mentee what they want to learn, not what you want to teach.",
    "Wrapped up a two-day workshop on plain language writing. Shorter sentences, fewer acronyms, happier readers.",
    "Ten years ago today I started my career as a budget analyst. Still love a good spreadsheet.",
    "Looking forward to the data visualization meetup on Thursday. Who else is going?",
    "Public service tip: the form nobody can fill out is the form that generates all your phone calls.",
    "I'm presenting our lessons learned from moving legacy systems to the cloud at the GovTech summit. Slides will be posted after.",
    "Just published a short paper on survey response rates in rural counties. Link in comments.",
    "Reminder to fellow engineers: documentation is a feature.",
    "Had a great conversation with students at the career fair about careers in environmental science.",
    "Three things I wish I'd known as a new supervisor: listen more, decide faster, write things down.",
    "Congrats to my former intern who just defended her dissertation on groundwater modeling!",
    "What are your favorite tools for teaching statistics to non-statisticians? Collecting ideas for a training.",
    "I'm a policy analyst and I still have to look up the difference between 'affect' and 'effect' every time.",
    "Reflecting on 20 years in emergency management: preparation is boring until it isn't.",
    # organizational
    "We are proud to announce our new grant program for rural health clinics. Applications open March 1.",
    "Our offices will be closed Monday in observance of the federal holiday. Online services remain available.",
    "Join us Thursday at 2 p.m. ET for a live Q&A on the updated benefits application process.",
    "Today we released our annual report on water quality across all 50 states. Read the highlights at the link.",
    "We're hiring! Our department is looking for data scientists, program analysts, and IT specialists. Apply now.",
    "Scam alert: we will never ask for your Social Security number by text message. Report suspicious messages.",
    "Our team is on the ground supporting communities affected by this week's flooding. Updates to follow.",
    "Thanks to everyone who attended our public listening session. Comments are open through June 30.",
    "New guidance for small businesses on export rules is now available on our website.",
    "We are committed to making our services accessible to everyone. Tell us how we can improve.",
    "Reminder: the deadline to apply for the summer internship program is Friday at midnight ET.",
    "Our agency marked Public Service Recognition Week by honoring employees who keep our services running.",
    "Starting today, you can renew your permit entirely online. No more waiting in line.",
    "We're partnering with local libraries to offer free help with online applications this spring.",
    "The public comment period for the proposed rule opens today. Share your views through the official docket.",
    # political / Hatch Act territory
    "Chip in $10 before midnight to help us win this race!",
    "Everyone needs to vote for Senator Alvarez in November. Our future depends on it. #VoteAlvarez",
    "Proud to be volunteering for the campaign this weekend. Knocking doors in Ward 3 🗳️",
    "Donate to my campaign for city council and help bring real change to our neighborhood.",
    "The other party's candidate is a disaster for this country. Don't let them win.",
    "Just registered to vote at my new address. Takes five minutes, do it!",
    "Watching the debate tonight with friends. Strong opinions will be shared (privately).",
    "Join me at the fundraiser for the Democratic candidate on Friday, tickets at the link.",
    "Retweeting because this is important: support the Republican ticket this fall!",
    "I think the new bill on broadband funding is good policy, and here's why.",
    # PII / secrets / security
    "My SSN is 123-45-6789, can someone at HR fix my tax form already?",
    "Call me at (202) 555-0143 if you want to carpool to the conference.",
    "Here's the test account: username admin, password=Winter2024! Don't share it.",
    "Card number 4111 1111 1111 1111 got charged twice, anyone else?",
    "Email me at jordan.lee@example.gov for the meeting notes.",
    "Our server at 10.0.12.7 keeps timing out, IT please help.",
    "Found an old key in the repo: AKIAIOSFODNN7EXAMPLE. Rotated it already, lesson learned.",
    "Passport renewal finally came through, number 912803456, now I can travel again!",
    "Can someone text my wife at 301-555-0199, my phone is dead.",
    "Sending the IBAN for the team gift: GB82 WEST 1234 5698 7654 32.",
    # conduct / profanity / citizen conduct
    "This is the dumbest policy I have ever seen, what a bunch of idiots.",
    "Honestly the new parking rules are garbage and so is whoever wrote them.",
    "Hey @NewsDesk, your reporting on our program is completely wrong. Do better.",
    "Replying to the trolls in the comments: grow up.",
    "I can't talk about the investigation yet but it's going to be big news next week.",
    "Leaked memo says the office is moving to the suburbs. You didn't hear it from me.",
    "Off the record, the budget numbers are worse than anyone is saying.",
    "Working from home today and the internal dashboard is down again, classic.",
    "Here's a photo of my desk with the new badge system. Pretty slick!",
    "As Deputy Director I can tell you this is the best restaurant in town.",
    # multilingual / unicode
    "¡Feliz cumpleaños a mi mamá! 🎂 Te quiero mucho.",
    "Merci à tous pour les vœux, quelle belle journée à Montréal !",
    "東京での会議、とても有意義でした。来年も参加したいです。",
    "Schönes Wochenende allerseits! Endlich wieder Sonne ☀️",
    "שבת שלום לכל החברים! 🕯️",
    "رمضان كريم لجميع الأصدقاء والعائلة 🌙",
    "Great trip to Kraków — pierogi, history, and way too many stairs.",
    "Café au lait and croissants in the morning, naïve optimism all day.",
    "오늘 날씨 정말 좋네요! 산책하기 딱 좋은 날 🌸",
    "Família reunida no domingo. Não tem nada melhor 👨‍👩‍👧‍👦",
    "Спасибо всем за поздравления! Очень приятно.",
    "Namaste from Jaipur 🙏 The colors here are incredible.",
    "Celebrating Diwali with the neighbors tonight 🪔✨",
    "Lunar New Year dinner with the whole family 🧧 新年快乐!",
    "Eid Mubarak to everyone celebrating 🌙",
    # mixed
    "Long day at the office but we shipped the new permit portal. Proud of this team 💪",
    "Can't say much, but my agency is doing something really cool with satellite data this year.",
    "Views are my own: I think remote work has made our team more productive, not less.",
    "At the @DeptOfExamples open house today, great to meet so many curious kids!",
    "My team at the Department of Examples is hiring interns. DM me if interested!",
    "Thrilled to represent the Department of Examples at the international standards meeting in Geneva.",
    "New job alert: I'm joining the Department of Examples as a senior economist. Views my own.",
    "Shoutout to my coworkers who covered for me during my surgery recovery. Best team ever.",
    "If your agency still faxes forms, I have questions.",
    "Saw a great talk on cybersecurity hygiene: use a password manager, turn on MFA, patch everything.",
    "Proud of my sister for getting sworn in as a new citizen today 🇺🇸",
    "The museum's new dinosaur exhibit is worth the trip. Go on a weekday if you can.",
    "Just got back from a conference and my inbox has 400 unread messages. Send help.",
    "Coffee count today: 4. Meeting count: 7. Coincidence? I think not.",
    "Does anyone have a good template for writing a performance self-assessment? Asking for me.",
    "Hiking the ridge trail this weekend. Any tips on parking?",
    "Today's reminder: hydrate, stretch, and log off on time.",
    "Pro tip: never schedule a meeting at 4:45 p.m. on a Friday.",
    "Big thanks to the IT help desk for rescuing my laptop from certain doom.",
    "Sharing this for anyone looking for free tax help: community centers are offering it all month.",
    "I love my job but I also love my vacation days, and this week is for the beach 🏖️",
    "My kid asked what I do at work and I said 'meetings'. She was not impressed.",
    "Ten years at the agency today. Grateful for the mission and the people.",
    "Honored to receive the Secretary's award for excellence this week alongside an amazing team.",
    "Please share: our department's scholarship program for first-generation students closes soon.",
    "Who has the best bagels in the district? Wrong answers only.",
    "The metro was on time today. Marking it on the calendar.",
    "Book recommendation: 'Working' by Studs Terkel. Still relevant 50 years later.",
    "Spent the weekend repainting the kids' room. It's now 'ocean mist', apparently.",
    "I'm running a half marathon for the children's hospital. Any support is appreciated!",
    "Retirement party for my mentor today. 35 years of public service. What a legacy.",
    "Today I learned that our building has a rooftop garden. Three years here and nobody told me.",
    "Testing out a new camera lens on the neighborhood birds 🐦",
    "Volunteered at the food bank with my team. 1,200 meals packed in two hours.",
    "The best part of federal service is meeting people who care deeply about the public good.",
    "Mornings are for coffee and contemplation. And email. Mostly email.",
    "Dear diary: the printer jammed again.",
    "Back from parental leave and so grateful for a team that made it possible.",
    "My hot take for the data folks: most dashboards should be a single number and a sentence.",
    "Hearing from residents at today's town hall reminded me why this work matters.",
    "My phone autocorrected 'fiscal' to 'fiscally irresponsible'. Even my phone has opinions.",
    "Celebrating 50 years of the Clean Water Act with a walk along the river today.",
    "Packing for a week of fieldwork in Alaska. Mosquito spray: check.",
    "Took my parents to see the national parks out west. Dad cried at Yosemite. So did I.",
    "First day back in the office in a while. Forgot my badge. Classic.",
    "Please stop replying-all to the building-wide email about the microwave.",
    "The kids built a blanket fort so large it now has a zip code.",
    "I will never understand why the thermostat in our office is set to 'arctic'.",
    "Saturday plans: farmers market, nap, pizza. In that order.",
]

OPENERS = [
    "Quick update:", "Honestly,", "Not gonna lie,", "PSA:", "Reminder:", "Big news!", "Thread 🧵",
    "Question for my network:", "Small win today:", "Unpopular opinion:", "Heads up:", "Fun fact:",
]
BODIES = [
    "our team finally launched the new online form for permit renewals after months of testing",
    "I spent the whole morning in back-to-back meetings about the budget and my coffee went cold twice",
    "the Department of Examples is hosting an open house next Saturday for families and students",
    "I think we should all be reading the new report on broadband access in rural counties",
    "my neighbor's garden is producing more zucchini than the entire block can eat",
    "the conference in Denver had the best sessions on open data I've seen in years",
    "I'm volunteering at the school book fair this week and the kids are adorable",
    "you can call our help line at 1-800-555-0100 from 8 a.m. to 8 p.m. ET on weekdays",
    "the trail up to the overlook was closed, so we found a hidden waterfall instead",
    "we are looking for feedback from residents on the proposed changes to the bus routes",
    "my daughter just got accepted into the engineering program she's dreamed about",
    "as Deputy Director I see the hard work our staff put in every single day",
    "please chip in what you can for the campaign's final push this weekend",
    "the new cafeteria menu has exactly one vegetarian option and it's sad lettuce",
    "my SSN got exposed in some breach again, so freezing my credit today 123-45-6789 lol",
    "remote work has changed how our team collaborates, mostly for the better",
    "the city council meeting ran until 11 p.m. and nobody mentioned the potholes",
    "I finished reading three books on leadership and they all said 'listen more'",
    "our agency's new app lets you check wait times at every office in real time",
    "the storm knocked out power on our street for two days, thankful for good neighbors",
]
CLOSERS = [
    "", "🙌", "Thoughts?", "More soon.", "#PublicService", "#GovTech #OpenData", "Views my own.",
    "😅", "Details at https://www.example.gov/news", "#weekend", "DM me for details.", "🎉🎉",
    "Link in bio.", "Retweets are not endorsements.", "— sent from my phone",
]

CONTEXTS = [
    None,
    {"site": "x"},
    {"site": "x", "account": "@DeptOfExamples"},
    {"site": "x", "account": "@jane_personal", "reply": False},
    {"site": "x.com", "account": "someone", "local_time": {"weekday": "wed", "hour": 11, "minute": 15}},
    {"site": "x", "reply": True, "on_duty": False},
]


def main():
    rng = random.Random(20261126)
    posts = [{"text": t} for t in HAND]
    seen = set(HAND)
    while len(posts) < 2 * len(HAND):
        t = f"{rng.choice(OPENERS)} {rng.choice(BODIES)}. {rng.choice(CLOSERS)}".strip()
        if t not in seen:
            seen.add(t)
            posts.append({"text": t})
    for i, p in enumerate(posts):
        ctx = CONTEXTS[i % len(CONTEXTS)]
        if ctx is not None:
            p["context"] = ctx
    out = Path(__file__).with_name("posts.json")
    out.write_text(json.dumps(posts, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{out}: {len(posts)} posts, {sum(len(p['text']) for p in posts)} characters")


if __name__ == "__main__":
    main()
