"""Synonym data, part 2: trades, office and ICT, people work (Dutch and English).

Same shape and rules as :mod:`marketplace.search.synonyms_work`.
"""

# Technical: mechanics, electricians, installers, welding, bike and car repair.
TECHNICAL = {
    "technical": (
        "techniek", "technisch", "technicus", "technisch inzicht", "monteur", "monteurs",
        "leerling-monteur", "elektromonteur", "servicemonteur", "automonteur", "elektricien",
        "elektrotechniek", "elektrotechnisch", "installatietechniek", "installateur",
        "installatie", "loodgieter", "lassen", "lasser", "metaalbewerking", "fietsenmaker",
        "fietstechniek", "fietsen repareren", "auto's repareren", "zonnepanelen",
        "werkvoorbereiding", "werkvoorbereider", "technisch tekenen", "nen 1010", "technical",
        "technician", "technology", "mechanic", "mechanics", "car mechanic", "bike mechanic",
        "bike repair", "bicycle repair", "electrician", "electrical", "electrical work",
        "electrical engineering", "installer", "plumber", "plumbing", "welding", "welder",
        "metalwork", "solar panels", "technical drawing", "automotive",
    ),
}  # fmt: skip

# Construction: building sites, carpentry, masonry, paving, painting and renovating houses.
CONSTRUCTION = {
    "construction": (
        "bouw", "bouwen", "bouwvakker", "bouwplaats", "bouwmedewerker", "timmeren", "timmerman",
        "timmerwerk", "metselen", "metselaar", "stukadoor", "stukadoren", "huisschilder",
        "schilderwerk", "bestraten", "stratenmaker", "tegelzetter", "renovatie", "renoveren",
        "klussen", "klusjesman", "sloopwerk", "houtbewerking", "meubelmaker", "construction",
        "construction worker", "building site", "carpentry", "carpenter", "joinery",
        "bricklaying", "bricklayer", "plasterer", "house painter", "paving", "tiler",
        "renovation", "handyman", "odd jobs", "demolition", "woodwork", "woodworking",
        "furniture maker",
    ),
}  # fmt: skip

# Green: gardens, parks, landscaping, farming; animal care as its own concept.
GREEN = {
    "green": (
        "groen", "groenvoorziening", "groenonderhoud", "groenwerk", "groenmedewerker", "tuin",
        "tuinen", "tuinieren", "tuinman", "tuinder", "tuinbouw", "tuinonderhoud", "hovenier",
        "hoveniers", "snoeien", "maaien", "grasmaaien", "bosmaaier", "plantsoen",
        "plantsoenendienst", "buitenruimte", "landbouw", "boer", "boerderij", "kwekerij",
        "natuur", "green", "gardening", "gardener", "garden", "gardens", "landscaping",
        "landscaper", "groundskeeper", "pruning", "mowing", "agriculture", "farming", "farmer",
        "farm", "horticulture", "greenhouse",
    ),
    "animal_care": (
        "dieren verzorgen", "dierenverzorging", "dierenverzorger", "dierenasiel",
        "kinderboerderij", "animal care", "animal caretaker", "animals",
    ),
}  # fmt: skip

# Administration: office work, reception, data entry, archives; bookkeeping and finance apart.
ADMINISTRATION = {
    "administration": (
        "administratie", "administratief", "administratief medewerker", "administrateur",
        "kantoor", "kantoorwerk", "kantoormedewerker", "secretaresse", "secretariaat",
        "receptie", "receptioniste", "balie", "baliemedewerker", "data-invoer",
        "gegevensinvoer", "typen", "archief", "archiveren", "digitaal archiveren",
        "documentbeheer", "administration", "administrative", "admin", "office",
        "office work", "office manager", "office assistant", "secretary", "receptionist",
        "front desk", "data entry", "typing", "archiving", "filing",
    ),
    "finance": (
        "boekhouden", "boekhouder", "boekhoudster", "boekhouding", "financiële administratie",
        "financieel administratief medewerker", "crediteurenadministratie", "exact online",
        "econoom", "financiën", "bookkeeping", "bookkeeper", "accounting", "accountant",
        "finance", "financial administration", "economics", "economist",
    ),
}  # fmt: skip

# ICT: programming, software testing, IT support and system administration.
ICT = {
    "ict": (
        "ict", "ict-support", "ict-beheer", "informatica", "programmeren", "programmeur",
        "softwareontwikkelaar", "softwareontwikkeling", "webontwikkelaar", "helpdesk",
        "servicedesk", "systeembeheer", "systeembeheerder", "netwerkbeheer", "software testen",
        "computer", "computers", "computer science", "programming", "programmer", "developer",
        "software developer", "software development", "software engineer", "web developer",
        "it support", "it-support", "it helpdesk", "service desk", "system administrator",
        "sysadmin", "software testing", "software tester", "test automation", "python", "git",
    ),
}  # fmt: skip

# Driving: licences, drivers, couriers, delivery (often with logistics).
DRIVING = {
    "driving": (
        "rijbewijs", "rijbewijs b", "rijbewijs c", "chauffeur", "chauffeurs", "bijrijder",
        "bezorger", "bezorgen", "bezorging", "koerier", "vrachtwagenchauffeur", "bestelbus",
        "busjes rijden", "afleveren bij klanten", "code 95", "driving licence",
        "driving license", "driver's license", "driver's licence", "drivers license",
        "driver", "drivers", "driving", "delivery driver", "courier", "truck driver",
        "van driver",
    ),
}  # fmt: skip

# Customer contact: service desks, phone work, friendliness towards customers.
CUSTOMER_CONTACT = {
    "customer_contact": (
        "klantcontact", "klantenservice", "klantenservicemedewerker", "klantvriendelijk",
        "klantvriendelijkheid", "klantgericht", "klanten helpen", "klanten uitleg geven",
        "callcenter", "telefoneren", "telefonist", "publieke dienstverlening",
        "customer service", "customer contact", "customer care", "customer-friendly",
        "customer friendly", "helping customers", "call centre", "call center",
        "telephone work",
    ),
}  # fmt: skip

# Languages: one concept per language, and learning or interpreting languages.
LANGUAGES = {
    "lang_nl": ("nederlands", "nederlandse taal", "dutch", "dutch language"),
    "lang_en": ("engels", "english"),
    "lang_ar": ("arabisch", "arabic"),
    "lang_tr": ("turks", "turkish"),
    "lang_ti": ("tigrinya", "tigrinia"),
    "lang_fa": ("perzisch", "farsi", "persian", "dari"),
    "lang_uk": ("oekraïens", "ukrainian"),
    "lang_ru": ("russisch", "russian"),
    "lang_fr": ("frans", "french"),
    "lang_de": ("duits", "german"),
    "lang_es": ("spaans", "spanish"),
    "lang_pl": ("pools", "poolse taal", "polish language"),
    "lang_so": ("somalisch", "somali"),
    "lang_ku": ("koerdisch", "kurdish"),
    "learning_dutch": (
        "taalles", "taallessen", "taalcursus", "nt2", "inburgering", "inburgeringscursus",
        "staatsexamen", "taalmaatje", "taalcoach", "taalcafé", "nederlands leren",
        "nederlands oefenen", "nederlands spreken", "dutch lessons", "dutch course",
        "language course", "language buddy", "language café", "learning dutch",
        "practising dutch", "civic integration",
    ),
    "interpreting": (
        "tolk", "tolken", "vertalen", "vertaler", "interpreter", "interpreting", "translating",
        "translation", "translator",
    ),
}  # fmt: skip

# Education: teaching, classroom assistance, tutoring (sector education).
EDUCATION = {
    "education": (
        "onderwijs", "lesgeven", "les geven", "leraar", "lerares", "leerkracht", "docent",
        "docente", "onderwijsassistent", "onderwijsassistente", "klassenassistent", "bijles",
        "pabo", "education", "teaching", "teacher", "teachers", "teaching assistant",
        "tutor", "tutoring", "classroom assistant",
    ),
}  # fmt: skip

# Sports: sport clubs, coaching youth teams, fitness.
SPORTS = {
    "sports": (
        "sport", "sporten", "sportbegeleider", "sportinstructeur", "buurtsport",
        "buurtsportcoach", "sportvereniging", "trainer", "jeugdtrainer", "pupillentrainer",
        "voetbal", "jeugdvoetbal", "volleybal", "basketbal", "hardlopen", "zwemmen", "sports",
        "football", "soccer", "volleyball", "basketball", "fitness", "gym", "swimming",
        "sports coach", "sports club",
    ),
}  # fmt: skip

# Creative: design, art, media; sewing and tailoring as their own concept.
CREATIVE = {
    "creative": (
        "creatief", "creativiteit", "ontwerp", "ontwerpen", "grafisch ontwerp",
        "grafisch ontwerper", "grafisch vormgever", "vormgeving", "tekenen", "schilderen",
        "fotografie", "muziek", "social media", "content maken", "photoshop", "figma",
        "creative", "design", "designer", "graphic design", "graphic designer", "illustration",
        "drawing", "painting", "photography", "music", "content creation",
    ),
    "sewing": (
        "naaien", "naaister", "naaiatelier", "kleermaker", "kleding herstellen",
        "kleding maken", "textiel", "sewing", "seamstress", "tailor", "tailoring",
        "clothing repair", "textiles",
    ),
}  # fmt: skip

# Community: neighbourhood work, social work, activities, volunteering.
COMMUNITY = {
    "community": (
        "buurthuis", "buurtcentrum", "buurtkamer", "buurtwerk", "buurtwerker", "buurt",
        "buurtactiviteiten", "buurtcontacten", "wijk", "wijkteam", "wijkgericht werken",
        "opbouwwerk", "sociaal werk", "sociaal werker", "maatschappelijk werk", "welzijn",
        "welzijnswerk", "activiteiten organiseren", "activiteitenbegeleiding",
        "activiteitenbegeleider", "community", "community centre", "community center",
        "community work", "neighbourhood", "neighborhood", "social work", "social worker",
        "activity coordinator", "organising activities",
    ),
    "volunteering": ("vrijwilliger", "vrijwilligers", "vrijwilligerswerk", "volunteer",
                     "volunteers", "volunteering", "voluntary work"),
}  # fmt: skip

# Certificates and school levels: each certificate is its own concept. Levels are normalised by
# the analyzer first ("MBO-2", "mbo 2", "mbo niveau 2" all become the word "mbo2").
CERTIFICATES = {
    "vca": ("vca", "vca-basis", "vca basis", "vca vol", "vca-vol", "veiligheidscertificaat"),
    "bhv": ("bhv", "bedrijfshulpverlening", "bedrijfshulpverlener", "emergency response officer"),
    "first_aid": ("ehbo", "ehbo-diploma", "eerste hulp", "reanimatie", "first aid", "cpr"),
    "haccp": ("haccp", "haccp-certificaat", "voedselveiligheid", "hygiënecode", "food safety",
              "food hygiene"),
    "social_hygiene": ("sociale hygiëne", "svh", "social hygiene"),
    "mbo1": ("mbo1", "entreeopleiding", "entree-opleiding", "entry level vocational"),
    "mbo2": ("mbo2",),
    "mbo3": ("mbo3",),
    "mbo4": ("mbo4",),
    "mbo": ("mbo", "middelbaar beroepsonderwijs", "vocational", "vocational training",
            "vocational education"),
    "hbo": ("hbo", "hoger beroepsonderwijs", "hogeschool", "university of applied sciences"),
}  # fmt: skip

SKILL_GROUPS = {
    "technical": TECHNICAL,
    "construction": CONSTRUCTION,
    "green": GREEN,
    "administration": ADMINISTRATION,
    "ict": ICT,
    "driving": DRIVING,
    "customer_contact": CUSTOMER_CONTACT,
    "languages": LANGUAGES,
    "education": EDUCATION,
    "sports": SPORTS,
    "creative": CREATIVE,
    "community": COMMUNITY,
    "certificates": CERTIFICATES,
}
