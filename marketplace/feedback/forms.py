"""The feedback form: four scores from 1 to 5, a recommendation and a comment, all optional."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, TextAreaField
from wtforms.validators import AnyOf, Length, Optional

from marketplace.feedback.models import FeedbackAbout
from marketplace.feedback.services import COMMENT_LENGTH, HIGHEST, LOWEST, SCORES, Answers
from marketplace.forms import BaseForm, choices

SCORE_CHOICES = choices(
    [
        ("1", _l("1 – not at all")),
        ("2", "2"),
        ("3", "3"),
        ("4", "4"),
        ("5", _l("5 – very much")),
    ]
)
RECOMMEND_CHOICES = choices([("yes", _l("Yes")), ("no", _l("No")), ("not_sure", _l("Not sure"))])
RECOMMEND_VALUES = {"yes": True, "no": False, "not_sure": None}

#: the questions, worded for what is rated; a score missing here is not asked
QUESTIONS = {
    FeedbackAbout.PLACE: {
        "meaningful": _l("Was the work meaningful to you?"),
        "learned": _l("Did you learn new things?"),
        "dutch_practice": _l("Could you speak Dutch there?"),
        "respect": _l("Were you treated with respect?"),
        "would_recommend": _l("Would you recommend this place to other newcomers?"),
    },
    FeedbackAbout.SERVICE: {
        "meaningful": _l("Does the help of the municipality help you forward?"),
        "learned": _l("Do you understand what you can do and where to go?"),
        "respect": _l("Does the municipality treat you with respect?"),
        "would_recommend": _l("Would you recommend this help to other newcomers?"),
    },
}


def _score() -> RadioField:
    return RadioField(
        choices=SCORE_CHOICES,
        validate_choice=False,  # AnyOf says what is wrong in plain words
        validators=[
            Optional(),
            AnyOf(
                [str(n) for n in range(LOWEST, HIGHEST + 1)],
                message=_l("Choose a number from 1 to 5."),
            ),
        ],
    )


class FeedbackForm(BaseForm):
    """Feedback on a place or on the service; the questions depend on what is rated."""

    meaningful = _score()
    learned = _score()
    dutch_practice = _score()
    respect = _score()
    would_recommend = RadioField(
        choices=RECOMMEND_CHOICES,
        validate_choice=False,
        validators=[
            Optional(),
            AnyOf(list(RECOMMEND_VALUES), message=_l("Choose yes, no or not sure.")),
        ],
    )
    comment = TextAreaField(
        _l("What else would you like to tell? (if you want)"),
        description=_l("For example: what went well, what was hard, what could be better."),
        validators=[
            Optional(),
            Length(max=COMMENT_LENGTH, message=_l("Keep your text under %(max)d characters.")),
        ],
    )

    def __init__(self, about: FeedbackAbout, *args, **kwargs):
        super().__init__(*args, **kwargs)
        questions = QUESTIONS[about]
        for name in (*SCORES, "would_recommend"):
            if name in questions:
                self[name].label.text = questions[name]
            else:
                del self[name]

    def answers(self) -> Answers:
        """The answers for the service; a field not asked or not filled in is None."""
        # Optional() lets a blank answer (" ") through: it counts as not filled in
        given = [n for n in SCORES if n in self and (self[n].data or "").strip()]
        scores = {name: int(self[name].data) for name in given}
        return Answers(
            **scores,
            would_recommend=RECOMMEND_VALUES.get(self.would_recommend.data or ""),
            comment=self.comment.data,
        )
