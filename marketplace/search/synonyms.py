"""The curated bilingual synonym list for skills, occupations and sectors, kept as data.

The groups live in :mod:`~marketplace.search.synonyms_work` (occupations and work fields) and
:mod:`~marketplace.search.synonyms_skills` (trades, office, people work, languages,
certificates). Each group is one dict ``{concept: (variant, ...)}``; the analyzer
(:mod:`marketplace.search.analysis`) adds the token ``CONCEPT_PREFIX + concept`` wherever a
variant occurs, so ``kok``, ``koken`` and ``cooking`` all meet in ``@cooking``.

Rules for editing:

* write variants lowercase, as people write them; a multi-word variant ("order picking") is
  matched as consecutive words, longest first;
* a variant belongs to one group and one concept (a test checks, also after normalisation);
* no variant may be a stop word, and a concept must never be a plain word of its own;
* after a change, the index must be rebuilt (``analysis_fingerprint()`` changes with the data).
"""

from __future__ import annotations

from marketplace.search.synonyms_skills import SKILL_GROUPS
from marketplace.search.synonyms_work import WORK_GROUPS


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Every group, by name: {group: {concept: (variant, ...)}}.
GROUPS: dict[str, dict[str, tuple[str, ...]]] = {**WORK_GROUPS, **SKILL_GROUPS}

# The prefix of concept tokens in the index; no word the tokenizer makes can start with it.
CONCEPT_PREFIX = "@"

# The sectors (``marketplace.places.models.Sector`` values) a concept belongs to, for matching
# work goals ("ik wil in de keuken werken") against a place's sector.
CONCEPT_SECTORS: dict[str, tuple[str, ...]] = {
    "cooking": ("hospitality", "food"),
    "hospitality": ("hospitality",),
    "warehouse": ("logistics",),
    "driving": ("logistics",),
    "retail": ("retail",),
    "cleaning": ("cleaning",),
    "care": ("care",),
    "pharmacy": ("care",),
    "childcare": ("care", "education"),
    "food_production": ("food",),
    "production": ("food",),
    "technical": ("technical",),
    "construction": ("construction",),
    "green": ("green",),
    "animal_care": ("green",),
    "administration": ("administration",),
    "finance": ("administration",),
    "ict": ("ict",),
    "education": ("education",),
    "sports": ("sports",),
    "creative": ("creative",),
    "sewing": ("creative",),
    "community": ("community",),
    "volunteering": ("community",),
}

# Words written in capitals that mean something else in lowercase: "IT" is not the English
# stop word "it". Applied before lowercasing, to whole words and to the parts of hyphenated ones.
ACRONYMS: dict[str, str] = {"IT": "ict", "ICT": "ict"}

# Generic parts of Dutch compound job words. With the single-word variants above they are the
# dictionary the compound splitter uses: "kinderopvangmedewerker" = kinderopvang + medewerker.
COMPOUND_PARTS: frozenset[str] = _word_set(
    """
    medewerker medewerkers medewerkster werk werker werkers hulp assistent assistente leerling
    opleiding begeleider begeleidster begeleiding dienst diensten bedrijf bedrijven afdeling
    plek plaats stage baan vak team leider leidster coach maatje wagen wasser maker makers
    beheer beheerder onderhoud certificaat diploma cursus training les lessen ploeg centrum
    ruimte huis kamer post school ervaring instructeur markt opvang jeugd proef praktijk
    project planning planner organisatie taal steun welkom spoel linnen fiets fietsen auto
    hout metaal meubel meubels kleding brood koffie groente groenten transport route order
    picker buiten binnen hoofd junior senior trainee vrijwilligers hal tafel deur glazen
    """
)

# Words whose stem looks like a variant but that mean something else: "ouders" (parents) stems
# like "ouderen" (the elderly), "zorgen" is also "to make sure". They keep their stems but get
# no concept of their own (a multi-word variant such as "zorgen voor kinderen" still counts).
NO_CONCEPT: frozenset[str] = _word_set(
    """
    ouder ouders zorgen zorgt zorgde nederland product producten careful carefully careless
    barred
    """
)
