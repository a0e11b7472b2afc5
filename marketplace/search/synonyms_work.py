"""Synonym data, part 1: occupations and work fields (Dutch and English).

Each group is one dict ``{concept: (variant, ...)}``. Every variant, in any wording or language,
makes the analyzer add the concept token for its concept. Variants are written lowercase and
as people write them (accents, hyphens and spaces are normalised by the analyzer). A variant
belongs to one group only (``tests/search/test_analysis.py`` checks). Dutch inflections
(``koken``/``kookt``) and English ones (``cooks``) are found through the stemmers as well, so a
variant list needs the base forms and the irregular ones, not every inflection.
"""

# Cooking: cooks and kitchen work, from hulpkok to chef (sectors hospitality and food).
COOKING = {
    "cooking": (
        "kok", "koks", "kokkin", "koken", "kookt", "kook", "kookster", "hulpkok", "chefkok",
        "keuken", "keukens", "keukenhulp", "keukenmedewerker", "keukenassistent",
        "keukenassistente", "koude keuken", "warme keuken", "eten klaarmaken", "eten koken",
        "maaltijden bereiden", "maaltijden koken", "voedselbereiding", "mise en place", "grillen",
        "cook", "cooks", "cooking", "chef", "chefs", "sous-chef", "line cook", "kitchen",
        "kitchen assistant", "kitchen help", "kitchen helper", "kitchen porter", "culinary",
        "food preparation", "prep cook", "grill",
    ),
}  # fmt: skip

# Hospitality: serving guests, bar and coffee, hotels, canteens, catering.
HOSPITALITY = {
    "hospitality": (
        "horeca", "horecamedewerker", "bediening", "bedienen", "medewerker bediening", "serveren",
        "serveerster", "ober", "kelner", "gastheer", "gastvrouw", "gastvrijheid", "gastvrij",
        "barista", "bar", "barmedewerker", "barkeeper", "barman", "koffie zetten", "restaurant",
        "café", "eetcafé", "hotel", "catering", "cateraar", "kantine", "kantinemedewerker",
        "hospitality", "waiter", "waiters", "waitress", "waiting staff", "serving",
        "bartender", "coffee making", "canteen", "caterer", "food service",
    ),
}  # fmt: skip

# Warehouse and logistics: order picking, stock, loading, forklifts (sector logistics).
WAREHOUSE = {
    "warehouse": (
        "magazijn", "magazijnwerk", "magazijnmedewerker", "magazijnier", "orderpicker",
        "orderpickers", "orderpicken", "orderpicking", "order picker", "order picking",
        "logistiek", "logistiek medewerker", "medewerker logistiek", "heftruck", "heftrucks",
        "heftruckchauffeur", "heftruck rijden", "heftruckcertificaat", "reachtruck", "pallettruck",
        "palletwagen", "laden en lossen", "inpakken", "verpakken", "voorraad", "voorraadbeheer",
        "expeditie", "distributiecentrum", "warehouse", "warehouses", "warehouse worker",
        "warehouse work", "warehousing", "logistics", "logistic", "forklift", "forklift driver",
        "pallet truck", "pallet jack", "loading and unloading", "packing", "stock",
        "stock management", "inventory", "distribution centre", "distribution center",
    ),
}  # fmt: skip

# Retail: shops, sales, the checkout, shelf stacking, market trade (sector retail).
RETAIL = {
    "retail": (
        "winkel", "winkels", "winkelmedewerker", "winkelier", "winkelbediende", "verkoop",
        "verkopen", "verkoper", "verkoopster", "verkoopmedewerker", "kassa", "kassamedewerker",
        "kassière", "caissière", "kassasysteem", "afrekenen", "vakkenvullen", "vakkenvuller",
        "winkelpresentatie", "supermarkt", "markthandel", "handel", "retail", "shop",
        "shop assistant", "sales", "sales assistant", "salesperson", "cashier",
        "checkout", "shelf stacking", "shelf stacker", "supermarket", "market trader",
    ),
}  # fmt: skip

# Cleaning: cleaning, housekeeping, dishwashing, laundry, window cleaning (sector cleaning).
CLEANING = {
    "cleaning": (
        "schoonmaak", "schoonmaken", "schoonmaker", "schoonmaakster", "schoonmaakwerk",
        "schoonmaakmedewerker", "professioneel schoonmaken", "poetsen", "poetshulp",
        "huishoudelijke hulp", "huishoudelijk werk", "huishoudelijke dienst", "huishouden",
        "interieurverzorging", "interieurverzorger", "glazenwassen", "glazenwasser", "afwassen",
        "afwas", "afwasser", "spoelkeuken", "linnenkamer", "wasserij", "cleaning", "cleaner",
        "cleaners", "clean", "housekeeping", "housekeeper", "janitor", "dishwashing",
        "dishwasher", "window cleaning", "window cleaner", "laundry",
    ),
}  # fmt: skip

# Care: elderly care, nursing, personal care, home care; pharmacy as its own concept.
CARE = {
    "care": (
        "zorg", "zorgverlening", "zorgmedewerker", "verzorging", "verzorgen", "verzorgende",
        "verzorgster", "persoonlijke verzorging", "ouderenzorg", "thuiszorg",
        "gehandicaptenzorg", "dementiezorg", "mantelzorg", "mantelzorger", "helpende",
        "helpende zorg en welzijn", "zorg en welzijn", "verpleging", "verpleegkunde",
        "verpleegkundige", "verpleegster", "verpleeghuis", "verzorgingshuis", "woonzorgcentrum",
        "ziekenhuis",
        "omgaan met ouderen", "ouderen", "care", "caring", "caregiver", "carer", "care worker",
        "care assistant", "health care", "healthcare", "elderly care", "elderly", "nursing",
        "nurse", "nursing home", "home care", "personal care", "hospital",
    ),
    "pharmacy": (
        "apotheek", "apotheker", "apothekersassistent", "apothekersassistente", "pharmacy",
        "pharmacist", "pharmacy assistant", "pharmacy technician",
    ),
}  # fmt: skip

# Childcare: day care, after-school care, nannies, working with children.
CHILDCARE = {
    "childcare": (
        "kinderopvang", "kinderdagverblijf", "kdv", "bso", "buitenschoolse opvang",
        "peuterspeelzaal", "gastouder", "oppas", "oppassen", "kinderoppas", "babysitter",
        "babysitten", "pedagogisch medewerker", "kinderverzorging", "kinderverzorgende",
        "kinderen", "werken met kinderen", "zorgen voor kinderen", "childcare",
        "child care", "childminder", "nanny", "babysitting", "day care", "daycare",
        "after-school care", "children", "child", "working with children", "au pair",
    ),
}  # fmt: skip

# Food production: bakeries, butchers, food factories; general production work as a concept.
FOOD = {
    "food_production": (
        "voedselproductie", "voedingsindustrie", "levensmiddelenindustrie", "voeding", "bakker",
        "bakkers", "bakkerij", "bakken", "brood bakken", "banket", "banketbakker", "slager",
        "slagerij", "vleesverwerking", "food", "food production", "food processing",
        "food industry", "baker", "bakery", "baking", "pastry", "butcher", "meat processing",
    ),
    "production": (
        "productie", "productiemedewerker", "productiewerk", "fabriek", "lopende band",
        "machines bedienen", "operator", "production", "production worker", "factory",
        "factory worker", "assembly line", "machine operator",
    ),
}  # fmt: skip

WORK_GROUPS = {
    "cooking": COOKING,
    "hospitality": HOSPITALITY,
    "warehouse": WAREHOUSE,
    "retail": RETAIL,
    "cleaning": CLEANING,
    "care": CARE,
    "childcare": CHILDCARE,
    "food": FOOD,
}
