"""The municipality page's filter: a GET form, so a view of the figures has an address."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, ValidationError

from marketplace.forms import BaseForm, choices


class MunicipalityForm(BaseForm):
    """Which municipality's newcomers to count; empty counts all of them."""

    class Meta:
        csrf = False  # reading figures changes nothing

    municipality = SelectField(_l("Municipality"), validate_choice=False)

    def __init__(self, formdata, names: list[str]):
        super().__init__(formdata)
        self.names = names
        self.municipality.choices = choices(
            [("", _l("All municipalities")), *((name, name) for name in names)]
        )

    def validate_municipality(self, field) -> None:
        if field.data and field.data not in self.names:
            raise ValidationError(_l("Choose a municipality from the list."))
