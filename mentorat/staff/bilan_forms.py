"""The period of the funders' report: two dates, the current calendar year up to today when
none is given. Days are the programme's (Europe/Paris, `timezone.localdate`)."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.formats import date_format

from .bilan import Period

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
INVALID_DATE = "Indiquez une date valide, par exemple 31/12/2026."


class PeriodForm(forms.Form):
    du = forms.DateField(
        label="Du",
        required=False,
        widget=DATE_INPUT,
        input_formats=INPUT_FORMATS,
        help_text="Premier jour compris. Sans date : le 1er janvier de l'année de fin.",
        error_messages={"invalid": INVALID_DATE},
    )
    au = forms.DateField(
        label="Au",
        required=False,
        widget=DATE_INPUT,
        input_formats=INPUT_FORMATS,
        help_text="Dernier jour compris. Sans date : aujourd'hui.",
        error_messages={"invalid": INVALID_DATE},
    )

    def __init__(self, *args, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    def clean_au(self):
        end = self.cleaned_data.get("au")
        if end and end > self.today:
            raise forms.ValidationError(
                "Le bilan porte sur des jours passés : la fin de la période ne peut pas "
                f"dépasser aujourd'hui ({date_format(self.today, 'j F Y')})."
            )
        return end

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("du"), cleaned.get("au")
        if self.errors:
            return cleaned
        end = end or self.today
        start = start or end.replace(month=1, day=1)
        if start > end:
            self.add_error("du", "Le début de la période doit précéder sa fin.")
            return cleaned
        cleaned["period"] = Period(start=start, end=end)
        return cleaned


def period_form(params, *, today: datetime.date | None = None) -> tuple[PeriodForm, Period | None]:
    """The form of the query string (`?du=&au=`) and its period, or None when it is invalid.
    Without either date the form is unbound and shows the default period."""
    today = today or timezone.localdate()
    if not (params.get("du") or params.get("au")):
        period = Period.default(today)
        form = PeriodForm(initial={"du": period.start, "au": period.end}, today=today)
        return form, period
    form = PeriodForm(params, today=today)
    if not form.is_valid():
        return form, None
    return form, form.cleaned_data["period"]
