"""Demo staff, organisations and their employer users (all names and numbers are made up)."""

#: the e-mail domain of every demo account
EMAIL_DOMAIN = "demo.participatie.nl"

#: the key of the demo staff's authenticator app (consultants and the administrator log in
#: with a second step); `flask demo code` prints its current code for a demo without a phone
TOTP_SECRET = "EK3PP3K3PSNSVNDMOWEMVGQAPX2KR2UU"  # noqa: S105  (public on purpose, like the demo passwords)

#: one fixed password per role, so that a demo can be given from memory
PASSWORDS = {
    "admin": "sleutelbos-in-de-vensterbank",
    "consultant": "koffie-met-een-stroopwafel",
    "employer": "werkbank-vol-gereedschap",
    "newcomer": "fietsen-langs-de-kromme-rijn",
}

ADMIN = {"email": "admin", "name": "Jeroen Bakker", "language": "nl"}

#: consultants (klantmanagers inburgering); newcomers refer to them by ``key``
CONSULTANTS = [
    {"key": "c1", "email": "consulent1", "name": "Marieke van den Berg", "language": "nl"},
    {"key": "c2", "email": "consulent2", "name": "Youssef El Amrani", "language": "nl"},
    {"key": "c3", "email": "consulent3", "name": "Sanne de Groot", "language": "en"},
]

#: ``verified`` is how many days ago the organisation was verified (None: not yet verified);
#: ``age`` is how many days ago it joined; ``users`` are its employer accounts
ORGANISATIONS = [
    {
        "ref": "org-001",
        "name": "Grand Café De Stadsgracht",
        "kind": "employer",
        "kvk": "71829304",
        "address": "Oudegracht 212",
        "postcode": "3511 NT",
        "city": "Utrecht",
        "website": "https://www.stadsgracht.example",
        "description": "Grand café aan de werf met een open keuken, lunch en diner voor 120 "
        "gasten. We werken al jaren met leerlingen en zijn erkend leerbedrijf.",
        "age": 420,
        "verified": 410,
        "users": [("stadsgracht", "Anouk de Wit"), ("stadsgracht.keuken", "Bram Hoekstra")],
    },
    {
        "ref": "org-002",
        "name": "Van Rijn Logistiek B.V.",
        "kind": "employer",
        "kvk": "30217745",
        "address": "Liesbosweg 31",
        "postcode": "3439 LD",
        "city": "Nieuwegein",
        "website": "https://www.vanrijnlogistiek.example",
        "description": "Opslag en distributie van bouwmaterialen en huishoudartikelen voor de "
        "regio Midden-Nederland. Warehouse of 14,000 m² with day and evening shifts.",
        "age": 390,
        "verified": 385,
        "users": [("vanrijn", "Peter van Rijn")],
    },
    {
        "ref": "org-003",
        "name": "Bakkerij Kromme Rijn",
        "kind": "employer",
        "kvk": "64501298",
        "address": "Plein 7",
        "postcode": "3991 DL",
        "city": "Houten",
        "website": None,
        "description": "Ambachtelijke bakkerij met twee winkels in Houten. Bakken doen we "
        "'s nachts en 's ochtends vroeg; de winkel is open van 7 tot 18 uur.",
        "age": 300,
        "verified": 296,
        "users": [("kromme-rijn", "Gerda Smits")],
    },
    {
        "ref": "org-004",
        "name": "Installatietechniek Vonk & Zn.",
        "kind": "employer",
        "kvk": "32095561",
        "address": "Nijverheidsweg-Noord 88",
        "postcode": "3812 PM",
        "city": "Amersfoort",
        "website": "https://www.vonk-installatie.example",
        "description": "Familiebedrijf in elektrotechniek, verwarming en zonnepanelen, 45 "
        "medewerkers. We leiden zelf monteurs op, samen met het mbo.",
        "age": 520,
        "verified": 515,
        "users": [("vonk", "Henk Vonk"), ("vonk.opleiding", "Ilse Vonk")],
    },
    {
        "ref": "org-005",
        "name": "Zorggroep Zonnehof",
        "kind": "employer",
        "kvk": "41187320",
        "address": "Het Rond 14",
        "postcode": "3701 HS",
        "city": "Zeist",
        "website": "https://www.zonnehof-zorg.example",
        "description": "Woonzorgcentrum en thuiszorg voor ouderen in Zeist en omgeving. "
        "Residents come from many backgrounds; Arabic and Turkish are heard in the hallways.",
        "age": 610,
        "verified": 600,
        "users": [("zonnehof", "Marloes Verhoeven"), ("zonnehof.welzijn", "Karim Bouzid")],
    },
    {
        "ref": "org-006",
        "name": "Hoveniersbedrijf De Lindeboom",
        "kind": "employer",
        "kvk": "28841067",
        "address": "Barwoutswaarder 19",
        "postcode": "3449 HE",
        "city": "Woerden",
        "website": None,
        "description": "Aanleg en onderhoud van tuinen, parken en bedrijfsterreinen in het "
        "Groene Hart. Ploegen van drie of vier mensen, altijd met een voorman.",
        "age": 250,
        "verified": 240,
        "users": [("lindeboom", "Dirk Lindeboom")],
    },
    {
        "ref": "org-007",
        "name": "Glansrijk Schoonmaakdiensten",
        "kind": "employer",
        "kvk": "83310452",
        "address": "Podium 6",
        "postcode": "3401 BX",
        "city": "IJsselstein",
        "website": None,
        "description": "Schoonmaak van kantoren, scholen en trappenhuizen in de Lekstreek.",
        "age": 9,
        "verified": None,
        "users": [("glansrijk", "Naima Ouali")],
    },
    {
        "ref": "org-008",
        "name": "Codewerf B.V.",
        "kind": "employer",
        "kvk": "75520983",
        "address": "Kanaalweg 17G",
        "postcode": "3526 KL",
        "city": "Utrecht",
        "website": "https://www.codewerf.example",
        "description": "Software studio building web apps for housing corporations and schools. "
        "Our team of 20 works in English; about half of us work from home.",
        "age": 330,
        "verified": 322,
        "users": [("codewerf", "Lotte Janssen")],
    },
    {
        "ref": "org-009",
        "name": "Stichting Buurtkracht Zeist",
        "kind": "nonprofit",
        "kvk": "58934410",
        "address": "Couwenhoven 52",
        "postcode": "3703 ER",
        "city": "Zeist",
        "website": "https://www.buurtkracht-zeist.example",
        "description": "Buurthuis, taalcafé en buurtsport in Zeist-West en Crosestein. Alles "
        "draait op vrijwilligers, van 16 tot 84 jaar.",
        "age": 700,
        "verified": 690,
        "users": [("buurtkracht", "Fatima Ait Said"), ("buurtkracht.sport", "Ruud Kramer")],
    },
    {
        "ref": "org-010",
        "name": "Kringloopwinkel Het Tweede Rondje",
        "kind": "nonprofit",
        "kvk": "40521876",
        "address": "Kleine Koppel 3",
        "postcode": "3812 PG",
        "city": "Amersfoort",
        "website": "https://www.tweederondje.example",
        "description": "Kringloopwinkel met werkplaats, ophaaldienst en fietsenhoek. We geven "
        "spullen en mensen een tweede kans.",
        "age": 480,
        "verified": 470,
        "users": [("tweede-rondje", "Joost Mulder")],
    },
    {
        "ref": "org-011",
        "name": "Omnisportvereniging De Vaart",
        "kind": "nonprofit",
        "kvk": "40479213",
        "address": "Sportlaan 4",
        "postcode": "3402 PA",
        "city": "IJsselstein",
        "website": None,
        "description": "Voetbal, atletiek en zaalsport voor 900 leden. Het clubhuis is het "
        "hart van de wijk Zenderpark.",
        "age": 200,
        "verified": 190,
        "users": [("de-vaart", "Martijn Post")],
    },
    {
        "ref": "org-012",
        "name": "Leerwerkcentrum Lekstroom",
        "kind": "education",
        "kvk": "61739025",
        "address": "Lange Dreef 11",
        "postcode": "4131 NJ",
        "city": "Vianen",
        "website": "https://www.lekstroom-leerwerk.example",
        "description": "Mbo-opleidingen in logistiek, techniek en horeca, met een eigen "
        "praktijkhal en schoolkantine. Leren en werken gaan bij ons samen.",
        "age": 560,
        "verified": 555,
        "users": [("lekstroom", "Esther Dekker"), ("lekstroom.praktijk", "Wim Schouten")],
    },
    {
        "ref": "org-013",
        "name": "Gemeente Houten, team Buitenruimte en Dienstverlening",
        "kind": "municipality",
        "kvk": None,
        "address": "Onderdoor 25",
        "postcode": "3995 DW",
        "city": "Houten",
        "website": None,
        "description": "Onderhoud van groen en openbare ruimte, en de publieksbalie van het "
        "gemeentehuis.",
        "age": 650,
        "verified": 650,
        "users": [("houten", "Linda Vermeulen")],
    },
]

# Shorthands for the schedule lists of places and newcomers.
AM, PM, EVE, WKND = "weekday_morning", "weekday_afternoon", "weekday_evening", "weekend"
