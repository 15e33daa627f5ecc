"""English base stories for the de-duplication test set (our own words; outlets fictional).

Each story: slug -> (title, [paragraphs]).  make_pairs.py derives copies from them.
"""

STORIES = {
    "idlib-market": (
        "Shelling hits market in Idlib countryside",
        [
            "Artillery shells struck a crowded vegetable market in the town of Sarmin on "
            "Tuesday morning, killing at least six people and wounding more than twenty, "
            "according to local rescue workers who reached the site within minutes.",
            "Witnesses said the first shell landed near a row of stalls selling tomatoes and "
            "cucumbers shortly after eight o'clock, when the market is at its busiest. A "
            "second and third shell followed as people tried to carry the wounded away.",
            "The civil defence service said its volunteers evacuated the injured to two "
            "field hospitals in nearby Binnish and Idlib city, where doctors warned that "
            "supplies of blood and anaesthetic were running low after a week of strikes.",
            "Residents described the market as one of the few places where families from "
            "surrounding displacement camps could still buy fresh food at prices they could "
            "afford. Many shopkeepers said they would not reopen until the shelling stopped.",
            "No group claimed responsibility for the attack. The area has seen a steady "
            "rise in bombardment since the start of the month, and aid agencies have called "
            "on all sides to keep civilians and civilian sites out of the fighting.",
        ],
    ),
    "aleppo-water": (
        "Aleppo neighbourhoods without water for a fifth day",
        [
            "Tens of thousands of residents in eastern Aleppo have been without running "
            "water for five days after a pumping station on the Euphrates line broke down, "
            "city officials and residents said on Sunday.",
            "Families in the districts of Sakhour and Hanano have been queuing at mosques "
            "and schools where tanker trucks deliver water twice a day. Several residents "
            "said they had paid private sellers three times the usual price for a barrel.",
            "An engineer at the water directorate, who asked not to be named because he was "
            "not authorised to speak to the press, said spare parts for the station's main "
            "pump had to be brought from the coast and would take at least another week.",
            "Doctors at a local clinic said they had seen a rise in cases of diarrhoea among "
            "young children, and urged parents to boil water from tankers before use.",
            "The United Nations children's agency said it was trucking emergency supplies to "
            "the worst affected areas and was working with the directorate on the repairs.",
        ],
    ),
    "deir-ezzor-bridge": (
        "Reopened bridge reconnects banks of the Euphrates near Deir ez-Zor",
        [
            "A temporary steel bridge over the Euphrates river near Deir ez-Zor reopened to "
            "traffic on Thursday, reconnecting farming villages on the eastern bank with the "
            "city's markets for the first time in almost a year.",
            "Local officials said the crossing can carry cars and light trucks but not heavy "
            "lorries, which will still have to use river ferries until a permanent "
            "structure is built. Engineers spent four months assembling the span.",
            "Farmers on the eastern bank welcomed the opening, saying the cost of moving "
            "wheat and vegetables by boat had eaten most of their income. One grower said "
            "he had let part of his harvest rot last summer because he could not sell it.",
            "The old concrete bridge at the same spot was destroyed during the fighting and "
            "its broken sections still lie in the water a few hundred metres downstream.",
            "Traders in the city said they expected prices for fresh produce to fall within "
            "weeks if the crossing stays open and the roads on both sides remain safe.",
        ],
    ),
    "refugee-returns": (
        "Few refugees return from Lebanon despite new registration scheme",
        [
            "Only a small number of Syrian refugees in Lebanon have signed up for a new "
            "voluntary return scheme in its first month, aid workers and officials on both "
            "sides of the border said this week.",
            "Under the scheme, families register at offices in the Bekaa valley and are "
            "given a date to cross at the Masnaa border point with their belongings. "
            "Organisers had hoped several thousand people would join the first convoys.",
            "Refugees interviewed in camps near Zahle said they feared conscription, arrest "
            "or finding their homes destroyed. Others said they had no money to rebuild and "
            "that schools and clinics in their home villages had not reopened.",
            "Human rights groups have warned that returns must be voluntary, safe and "
            "dignified, and said independent monitors should be allowed to follow returnees "
            "after they reach their home areas.",
            "Lebanese officials say the country cannot carry the burden of hosting so many "
            "refugees during its own economic crisis and have pressed donors to fund "
            "reconstruction inside Syria.",
        ],
    ),
    "raqqa-school": (
        "Rebuilt school in Raqqa opens its doors to pupils",
        [
            "A secondary school in central Raqqa that was badly damaged during the battle "
            "for the city reopened on Saturday after two years of repairs, with more than "
            "seven hundred pupils enrolled for the new term.",
            "Teachers said classes will run in two shifts because there are still not enough "
            "rooms, desks or textbooks. The science laboratory and library remain closed "
            "while workers finish replacing windows and wiring.",
            "Parents crowded the gates on the first morning, and several said their "
            "children had missed years of schooling while the family moved between camps "
            "and relatives' homes in the countryside.",
            "The reconstruction was paid for by a local council fund and a grant from a "
            "European aid group, according to the school's headmaster, who thanked builders "
            "for working through the summer heat.",
            "Education officials said dozens of other schools in the province still need "
            "repairs and that many trained teachers have left the region to find work.",
        ],
    ),
    "daraa-protest": (
        "Residents of Daraa rally over power cuts",
        [
            "Hundreds of people gathered in the centre of Daraa on Friday to protest against "
            "power cuts that leave most homes with electricity for only two hours a day, "
            "witnesses and local activists said.",
            "Protesters carried handwritten signs and chanted slogans demanding that "
            "officials explain where the fuel meant for the city's generators had gone. "
            "Shops around the main square closed their shutters during the rally.",
            "Security forces watched from a distance and the gathering dispersed peacefully "
            "after about two hours, according to an activist who filmed the event.",
            "The provincial electricity company blamed the cuts on damage to transmission "
            "lines and a shortage of gas for power stations, and promised an improvement by "
            "the end of the month.",
            "Residents said the cuts had made it impossible to store food or run water pumps "
            "in the summer heat, and that many small workshops had stopped working.",
        ],
    ),
    "hama-harvest": (
        "Wheat harvest in Hama hit by drought and fuel prices",
        [
            "Farmers in the Hama countryside expect one of their poorest wheat harvests in "
            "a decade after a dry winter and a sharp rise in the price of diesel, "
            "agricultural officials and growers said.",
            "Many fields in the Ghab plain were left unsown because farmers could not afford "
            "to run irrigation pumps, while crops on rain-fed land withered in the spring.",
            "A farmer from the village of Qalaat al-Madiq said he had harvested less than "
            "half of what the same land produced two years ago, and that the price offered "
            "by state buyers did not cover his costs.",
            "The agriculture directorate said it would raise the purchase price and "
            "distribute subsidised seed for the next season, but growers said the help "
            "usually arrives late.",
            "Economists warn that a poor harvest will push up the price of bread, which "
            "already takes a large share of household spending across the country.",
        ],
    ),
    "latakia-fire": (
        "Forest fires spread in Latakia mountains",
        [
            "Firefighters struggled on Wednesday to contain several forest fires in the "
            "mountains east of Latakia, where strong winds and high temperatures pushed the "
            "flames towards villages.",
            "Residents of at least three villages were told to leave their homes as a "
            "precaution, and some spent the night with relatives in the city or in public "
            "buildings opened for them.",
            "Local officials said water-bombing helicopters and dozens of fire engines had "
            "been deployed, and that volunteers were clearing firebreaks with bulldozers.",
            "The fires destroyed large areas of pine forest and orchards of apples and "
            "olives that many families rely on for their income.",
            "Environmental groups said the region's forests have shrunk sharply over the "
            "past decade because of fires, logging for firewood and a lack of maintenance.",
        ],
    ),
    "camp-winter": (
        "Storm floods tents in camps near the Turkish border",
        [
            "Heavy rain and strong winds flooded hundreds of tents in displacement camps "
            "near the Turkish border overnight, forcing families to move to mosques and "
            "unfinished buildings, aid groups said on Monday.",
            "Camp managers said water reached knee height in some low-lying camps near the "
            "town of Atmeh, soaking blankets, mattresses and food supplies.",
            "A mother of five said her family had spent the night standing inside the tent "
            "holding the children because there was nowhere dry to sit.",
            "Aid organisations said they were distributing new tents, plastic sheeting and "
            "heating fuel, but warned that supplies for the winter were far below needs.",
            "More than a million people live in camps in the north-west, many of them for "
            "several years, in shelters that were meant to be temporary.",
        ],
    ),
    "currency-slide": (
        "Syrian pound falls to new low on informal market",
        [
            "The Syrian pound fell to a record low against the dollar on the informal market "
            "on Sunday, traders in Damascus said, adding to pressure on families already "
            "struggling with rising prices.",
            "Money changers said demand for dollars had grown after the government raised "
            "the price of subsidised fuel, while the supply of foreign currency remained "
            "thin.",
            "Shopkeepers said they changed price tags several times a week, and some "
            "refused to sell goods until the rate settled.",
            "The central bank has tried to narrow the gap between its official rate and the "
            "market rate, but economists say the measures have had little lasting effect.",
            "Public sector wages, which are paid in pounds, have lost most of their value, "
            "and many employees take second jobs or depend on money sent from abroad.",
        ],
    ),
    "hospital-strike": (
        "Hospital in western Aleppo countryside put out of service",
        [
            "A hospital in the western Aleppo countryside was put out of service on "
            "Saturday after an air strike damaged its emergency ward and generator room, "
            "medical staff said.",
            "Patients, including newborns in incubators, were moved to other hospitals in "
            "ambulances and private cars. Staff said nobody inside the building was killed, "
            "but two guards were injured.",
            "The hospital served more than fifty thousand people in nearby towns and was one "
            "of the few in the area with an intensive care unit.",
            "Medical aid groups condemned the strike and said health facilities in the "
            "region had been hit repeatedly over the past year.",
            "The director said repairs could take months and appealed for help to replace "
            "equipment destroyed in the attack.",
        ],
    ),
    "detainee-release": (
        "Families wait for news after detainee release",
        [
            "Families gathered outside a Damascus square for a third day on Tuesday, "
            "hoping for news of relatives after authorities announced the release of a "
            "number of detainees under an amnesty decree.",
            "Buses brought small groups of released men to the square, where relatives "
            "held up photographs of missing sons and brothers and asked whether anyone had "
            "seen them in prison.",
            "Many families said they had not heard from their relatives for years and did "
            "not know whether they were alive.",
            "Rights groups said the number released so far was small compared with the "
            "tens of thousands of people still missing, and called for lists of detainees "
            "to be published.",
            "Several of the released men appeared weak and confused, and some could not "
            "remember the names of their relatives, witnesses said.",
        ],
    ),
    "oil-smuggling": (
        "Fuel smuggling across front lines drives up prices in the north",
        [
            "Fuel smuggled across front lines in northern Syria is being sold at prices far "
            "above the official rate, traders and residents said, as crossings between "
            "areas held by different forces stay officially closed.",
            "Drivers said they pay fees at several checkpoints to move tankers of crude oil "
            "from fields in the east to makeshift refineries in the north-west.",
            "The refineries, often little more than metal tanks heated over open fires, "
            "produce low-quality diesel and pollute the air and soil around them.",
            "Doctors in nearby towns said they had seen more patients with breathing "
            "problems since the refineries multiplied.",
            "Local councils have tried to move the refineries away from homes, but owners "
            "say they have nowhere else to go and that thousands of jobs depend on them.",
        ],
    ),
    "quake-rebuild": (
        "Jableh residents still waiting to rebuild after earthquake",
        [
            "Months after the earthquake, many families in the coastal city of Jableh are "
            "still living in rented rooms or with relatives while they wait for permission "
            "and money to rebuild their homes.",
            "Engineers have inspected thousands of buildings and marked many as unsafe, but "
            "residents say demolition of damaged blocks has been slow.",
            "A teacher whose apartment building collapsed said compensation offered by the "
            "authorities would not pay for even one room.",
            "Aid groups have repaired some homes with light damage and handed out cash to "
            "families, but say large-scale reconstruction needs funds that have not come.",
            "Residents said the aftershocks had left children afraid to sleep indoors and "
            "that some families still spend nights in cars during bad weather.",
        ],
    ),
    "teachers-pay": (
        "Teachers in Idlib strike over unpaid salaries",
        [
            "Teachers in dozens of schools across Idlib province stopped work on Monday "
            "to protest against months of unpaid salaries after an aid programme that "
            "funded their wages ended.",
            "Many teachers said they had worked without pay since the start of the school "
            "year, and some had taken second jobs in construction or farming to feed their "
            "families.",
            "Parents said they supported the strike but worried that their children would "
            "fall further behind after years of disrupted schooling.",
            "The local education directorate said it was in talks with donors to restore "
            "funding and urged teachers to return to class in the meantime.",
            "Education groups estimate that hundreds of thousands of children in the "
            "north-west are out of school or attend irregularly.",
        ],
    ),
    "border-crossing": (
        "Aid trucks cross from Turkey after crossing reopens",
        [
            "A convoy of aid trucks carrying food, medicine and shelter materials crossed "
            "into north-west Syria on Thursday after the border crossing reopened following "
            "a two-week closure.",
            "The United Nations said the convoy of forty trucks was the first to use the "
            "crossing since the closure and that more were expected in the coming days.",
            "Aid workers on the Syrian side said warehouses were almost empty and that "
            "food distributions had been cut in several camps during the closure.",
            "Humanitarian groups have long warned that the region depends on cross-border "
            "aid and that any interruption puts lives at risk.",
            "The reopening was agreed after talks between officials and aid agencies, but "
            "the arrangement must be renewed within months.",
        ],
    ),
}

# A second, independent account of the same event by another outlet, in other words.
INDEPENDENT = {
    "idlib-market": (
        "Market attack in Sarmin leaves civilians dead",
        [
            "Civilians were killed in Sarmin on Tuesday when shells fell on the town's "
            "market, a medic and two residents told our correspondent by phone.",
            "A man who sells fruit at the market said he heard a whistle and then an "
            "explosion behind his stall. He counted several bodies on the ground before "
            "ambulances arrived.",
            "The medic, who works at a hospital in Binnish, said the wounded included "
            "children and that several were in a critical condition.",
            "Sarmin lies a few kilometres east of Idlib city and has been hit repeatedly in "
            "recent weeks. Many of its inhabitants have already fled north towards the "
            "border.",
            "Humanitarian officials repeated their call for the protection of markets, "
            "schools and hospitals, which they said had come under fire with alarming "
            "regularity.",
        ],
    ),
    "aleppo-water": (
        "Thirsty Aleppo waits for pump repairs",
        [
            "In the eastern districts of Aleppo, the taps have been dry since last week. "
            "Residents carry plastic jerrycans through the streets to fill them from tankers "
            "parked outside schools.",
            "The cause is a breakdown at a pumping station that sends river water to the "
            "city, according to the local water authority, which says repairs depend on "
            "parts that are still on their way.",
            "Water sellers have raised their prices, and families who cannot pay say they "
            "have cut back on washing and cooking.",
            "Health workers fear an outbreak of waterborne disease if the shortage lasts, "
            "especially among infants.",
            "A UN agency has started sending emergency deliveries, a spokesperson said, "
            "without giving a date for the end of the outage.",
        ],
    ),
    "latakia-fire": (
        "Villagers flee as blazes rage near Latakia",
        [
            "Flames swept through pine-covered hills in Latakia province for a second day, "
            "and authorities ordered people in several mountain villages to leave.",
            "Gusting winds made the work of fire crews harder, a civil defence official "
            "said, adding that aircraft had been called in to drop water on the blazes.",
            "Families loaded mattresses and gas cylinders onto pick-up trucks and drove "
            "down to the coast, where schools were opened as shelters.",
            "Farmers said they had lost olive and apple trees that took decades to grow.",
            "Experts blame hotter summers and neglected woodland for the growing number of "
            "fires in the coastal mountains.",
        ],
    ),
    "camp-winter": (
        "Rain turns north-west camps into mud",
        [
            "Families in camps close to the border with Turkey woke to find their tents "
            "standing in water after a night of storms.",
            "In Atmeh, volunteers dug channels to drain the flood while parents carried "
            "children and belongings to higher ground.",
            "Aid workers said the storm had damaged or destroyed many shelters and that "
            "emergency kits were being handed out.",
            "Camp residents complained that the same thing happens every winter and that "
            "promises of better shelters have not been kept.",
            "The number of people living in the camps has grown every year, according to "
            "humanitarian coordinators in the region.",
        ],
    ),
    "border-crossing": (
        "Convoy crosses into Idlib after border closure ends",
        [
            "After two weeks without deliveries, forty lorries loaded with aid rolled "
            "across the Turkish border into Idlib province on Thursday.",
            "Officials at the crossing said the trucks carried flour, medical kits and "
            "tents, and that more convoys would follow.",
            "Aid groups in the province said the closure had forced them to reduce food "
            "rations just as winter approached.",
            "The crossing is a lifeline for millions of people in the north-west, most of "
            "whom depend on aid to survive.",
            "Diplomats said the agreement to reopen it was temporary and would have to be "
            "extended later in the year.",
        ],
    ),
    "hospital-strike": (
        "Air raid forces evacuation of Aleppo countryside hospital",
        [
            "Doctors evacuated patients from a hospital west of Aleppo on Saturday after "
            "the building was hit in an air raid, a medical charity said.",
            "The strike damaged the emergency department and knocked out the generators, "
            "leaving the hospital without power.",
            "Newborn babies were carried to ambulances in the arms of nurses, a staff "
            "member said. Two security guards were hurt.",
            "The charity said the hospital had been one of the last in the area able to "
            "treat seriously ill patients.",
            "It called for an independent investigation and for attacks on medical "
            "facilities to stop.",
        ],
    ),
}
