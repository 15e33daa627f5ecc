"""Stories for the pairs of issue 16: copies that spell places and write numbers another way,
and look-alike reports that must stay apart (our own words; outlets fictional).

Each story: slug -> (title, [paragraphs]).  make_pairs.py derives the copies with
``respelt``: the places in another spelling the gazetteer knows, numbers in digits where
the original wrote words (or the other way round), one paragraph dropped.
"""

EN = {
    "idlib-clinic": (
        "Clinic in Idlib countryside closes after strikes",
        [
            "A primary health clinic in the town of Kafr Nabl in the southern Idlib "
            "countryside closed its doors on Sunday after fourteen strikes hit the area in two "
            "days, the clinic's director said.",
            "The director said the clinic had treated about three hundred patients a week, "
            "most of them children and older people from camps near Maarat al-Numan, and that "
            "two nurses were lightly injured when windows shattered.",
            "Families who relied on the clinic now have to travel to hospitals in Idlib city "
            "or Saraqib, a journey that costs more than many of them earn in a day.",
            "Aid workers in Idlib said four other health centres in the province had "
            "suspended work this month and that medicine stocks would last six weeks at most.",
            "The health directorate appealed to donors to fund generators and solar panels so "
            "that the clinics that remain open can keep vaccines cold through the power cuts.",
        ],
    ),
    "latakia-coast-fires": (
        "Fires spread through forests of the Latakia mountains",
        [
            "Forest fires burned for a third day in the mountains of the Latakia countryside, "
            "forcing the evacuation of seven villages near Kessab and Qardaha, residents said.",
            "Firefighters from Latakia and Jableh worked through the night, and a civil "
            "defence official said twenty-five teams were deployed along the ridge roads.",
            "Farmers said the flames destroyed olive groves and apple orchards that took "
            "decades to grow, and that eleven families lost their homes in one village alone.",
            "The agriculture directorate estimated that two thousand hectares had burned and "
            "warned that strong winds forecast for the weekend could spread the fires again.",
            "Volunteers in Latakia city collected blankets and food for the evacuated families, "
            "who were housed in schools and a sports hall on the coast.",
        ],
    ),
    "deir-ezzor-ferry": (
        "Ferry crossing on the Euphrates reopens in Deir ez-Zor",
        [
            "A river ferry linking the two banks of the Euphrates east of Deir ez-Zor resumed "
            "service on Monday after a closure of nine days, boat owners said.",
            "The crossing carries about five hundred people a day, including students, "
            "traders and patients heading to hospitals in Deir ez-Zor city.",
            "Boat owners said they had been told to stop after two boats were fired upon in "
            "the dark, and that the crossing would now close every evening at six.",
            "Traders in Mayadin said prices of vegetables fell as soon as the ferry reopened, "
            "because lorries no longer had to take the long road through Raqqa.",
            "Local officials said a floating bridge promised last year had still not been "
            "built and that the ferry remained the only link for twelve villages.",
        ],
    ),
    "daraa-power": (
        "Power cuts spark protest in Daraa",
        [
            "Dozens of residents gathered in front of the electricity office in Daraa on "
            "Thursday to protest against power cuts that have lasted up to twenty hours a day.",
            "Protesters said their neighbourhoods in Daraa al-Balad received electricity for "
            "only four hours, while generator subscriptions had doubled in price since spring.",
            "A shopkeeper said he paid thirty dollars a month for two amperes, more than a "
            "third of what a teacher earns, and that his freezer had stopped working.",
            "Officials at the office told the crowd that two transformers had been stolen "
            "and that repairs would take at least three weeks.",
            "The gathering ended peacefully after an hour, and organisers said they would "
            "return next week if nothing changed.",
        ],
    ),
}

AR = {
    "ar-kafrnabl-school": (
        "قصف يطال مدرسة في كفر نبل",
        [
            "تعرضت مدرسة ابتدائية في بلدة كفر نبل بريف إدلب الجنوبي لقصف مدفعي صباح يوم "
            "الأحد، ما أدى إلى إصابة أربعة عشر طالبا بجروح متفاوتة، بحسب الدفاع المدني.",
            "وقال مدير المدرسة إن ثلاث قذائف سقطت في الباحة أثناء الاستراحة، وإن المعلمين "
            "نقلوا الأطفال إلى الطابق الأرضي حتى توقف القصف.",
            "وأوضح مسعفون أن سبعة من المصابين نقلوا إلى مشفى في معرة النعمان، وأن حالة "
            "اثنين منهم خطرة.",
            "وأعلنت مديرية التربية تعليق الدوام في خمس مدارس في البلدة والقرى المحيطة بها "
            "حتى نهاية الأسبوع.",
            "وطالب الأهالي المنظمات الدولية بالضغط لوقف استهداف المدارس، مؤكدين أن مئات "
            "الأطفال باتوا محرومين من التعليم.",
        ],
    ),
    "ar-azaz-camp": (
        "عاصفة تغرق خياما قرب أعزاز",
        [
            "أغرقت أمطار غزيرة ليلة أمس خمسين خيمة في مخيم للنازحين قرب مدينة أعزاز شمالي "
            "حلب، وفق ما أفاد به مسؤول في إدارة المخيم.",
            "وقال المسؤول إن ثلاثين عائلة نقلت إلى مسجد قريب، وإن المياه جرفت الفرش "
            "والأغطية ومواد التدفئة.",
            "وأضاف أن المخيم يضم نحو ألف ومئتي عائلة، وأن قنوات التصريف التي حفرها "
            "المتطوعون لم تكف لاستيعاب مياه الأمطار.",
            "وناشدت منظمات محلية تقديم خيام عازلة ومواد تدفئة قبل العاصفة المتوقعة نهاية "
            "الأسبوع.",
            "ويعيش في مخيمات ريف أعزاز آلاف النازحين منذ سنوات، في ظروف تزداد صعوبة مع كل "
            "شتاء.",
        ],
    ),
}

# place spellings a copy uses (each pair is one place in the gazetteer: places.csv)
RESPELL_EN = [
    ("Idlib", "Idleb"), ("Latakia", "Lattakia"), ("Deir ez-Zor", "Deir al-Zour"),
    ("Raqqa", "Raqqah"), ("Daraa", "Deraa"), ("Kafr Nabl", "Kafranbel"),
    ("Maarat al-Numan", "Maarat al-Nouman"), ("Saraqib", "Saraqeb"), ("Mayadin", "Meyadin"),
    ("Jisr al-Shughur", "Jisr al-Shughour"), ("Atmeh", "Atma"), ("Binnish", "Binnesh"),
    ("Manbij", "Manbej"),
]
RESPELL_AR = [("كفر نبل", "كفرنبل"), ("أعزاز", "عزاز")]
# numbers a copy writes in digits (and one it writes in words)
NUMBERS_EN = [
    ("fourteen", "14"), ("three hundred", "300"), ("twenty-five", "25"), ("two thousand",
    "2,000"), ("five hundred", "500"), ("twenty hours", "20 hours"), ("thirty dollars",
    "30 dollars"), ("seven villages", "7 villages"), ("nine days", "9 days"), ("eleven", "11"),
    ("six people", "6 people"), ("more than twenty", "more than 20"), ("four other",
    "4 other"), ("six weeks", "6 weeks"), ("three weeks", "3 weeks"),
]
NUMBERS_AR = [("أربعة عشر", "14"), ("ثلاث قذائف", "3 قذائف"), ("سبعة", "7"),
              ("خمسين خيمة", "50 خيمة"), ("ثلاثين عائلة", "30 عائلة"), ("خمس مدارس", "5 مدارس")]
