"""Demo first conversations: what each demo newcomer told their consultant at the intake.

The starting rung and its reason are in the newcomer's data (``intake``) and go onto the
ladder with the other rungs; this adds the conversation itself, on the same day.
"""

from __future__ import annotations

from marketplace.newcomers.models import Intake

#: what was agreed at the end of the first conversation, by learning route
_AGREED = {
    "b1": "Taalles tot B1 volgen, samen het plan (PIP) maken en een passende plek zoeken.",
    "education": "Uitzoeken welke opleiding past, het diploma laten waarderen waar dat kan, "
    "en samen het plan (PIP) maken.",
    "z": "Een vaste activiteit in de buurt zoeken, Nederlands oefenen en samen het plan (PIP) "
    "maken.",
}


def _can_do(item: dict) -> str:
    jobs = [
        f"{job['occupation']} ({job['years']:g} jaar)" if job.get("years") else job["occupation"]
        for job in item["experience"]
    ]
    lines = [f"Ervaring: {', '.join(jobs)}."] if jobs else []
    if item["skills"]:
        lines.append(f"Kan goed: {', '.join(item['skills'])}.")
    return "\n".join(lines) or "Nog weinig werkervaring; wil veel leren."


def _matters(item: dict) -> str:
    wish = f"Werken als {item['work_goals'][0]}." if item["work_goals"] else "Meedoen in de buurt."
    if item["interests"]:
        return f"{wish} Vindt ook belangrijk: {', '.join(item['interests'])}."
    return wish


def add_intakes(loader) -> None:
    """The first conversation of every demo newcomer, two weeks after their term began."""
    for ref, item in loader.newcomer_data.items():
        profile = loader.profiles[ref]
        days_ago = item["started"] - 14
        loader.session.add(
            Intake(
                profile_id=profile.id,
                held_on=loader.day(days_ago),
                what_matters=_matters(item),
                motivation=item["motivation"],
                capabilities=_can_do(item),
                learning_wishes=", ".join(item["education_goals"]) or None,
                agreements=_AGREED[item["learning_route"]],
                recorded_by_id=profile.consultant.id,
                created_at=loader.at(days_ago, 15),
                updated_at=loader.at(days_ago, 15),
            )
        )
