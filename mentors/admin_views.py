"""Approving a mentor from their page in the admin. A mentor who accepts minors without a
valid honorability check is asked for it on the spot: the document seen and its date, recorded
and approved together (`mentor_approve_with_screening`). Anybody else is approved as on a
young person's page."""

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone

from users.admin_views import approve_now, change_url, registration_or_404
from users.services import RegistrationError, approval_refusal

from .enums import ScreeningDocument
from .models import screening_expires_on, screening_valid_since
from .services import mentor_approve_with_screening, screening_date_error

# The second submit button: approve now, record the check later (no minor until then).
WITHOUT_SCREENING = "sans_controle"


class ScreeningForm(forms.Form):
    document = forms.ChoiceField(
        label="Pièce vue",
        choices=ScreeningDocument.choices,
        # Django's admin style of a list of radio buttons.
        widget=forms.RadioSelect(attrs={"class": "radiolist"}),
        error_messages={
            "required": "Choisissez la pièce que vous avez vue.",
            "invalid_choice": "Choisissez la pièce vue dans la liste.",
        },
    )
    checked_on = forms.DateField(
        label="Date du contrôle",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Le jour où vous avez vu la pièce ; ni dans le futur, ni trop ancienne.",
        error_messages={
            "required": "Indiquez la date à laquelle vous avez vu la pièce.",
            "invalid": "Saisissez une date valide (par exemple 31/01/2027).",
        },
    )

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        # The browser's date picker offers only the dates the rule accepts.
        self.fields["checked_on"].widget.attrs.update(
            min=screening_valid_since(today).isoformat(), max=today.isoformat()
        )

    def clean_checked_on(self):
        checked_on = self.cleaned_data["checked_on"]
        error = screening_date_error(checked_on, today=self.today)
        if error:
            raise forms.ValidationError(error)
        return checked_on


def approve(model_admin, request, object_id):
    mentor = registration_or_404(model_admin, request, object_id)
    back_to = change_url(model_admin, mentor)
    refusal = approval_refusal(mentor)
    if refusal:
        messages.error(request, refusal)
        return HttpResponseRedirect(back_to)
    today = timezone.localdate()
    needs_screening = mentor.needs_screening(today=today)
    if request.method == "POST" and (not needs_screening or WITHOUT_SCREENING in request.POST):
        return approve_now(request, mentor, back_to=back_to)
    form = None
    if needs_screening:
        form = ScreeningForm(request.POST if request.method == "POST" else None, today=today)
        if form.is_valid():
            try:
                record = mentor_approve_with_screening(
                    mentor=mentor,
                    document=form.cleaned_data["document"],
                    checked_on=form.cleaned_data["checked_on"],
                    approved_by=request.user,
                )
            except RegistrationError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    f"Inscription de {mentor} validée ; contrôle d'honorabilité enregistré, "
                    f"valable jusqu'au {screening_expires_on(record.checked_on):%d/%m/%Y}. "
                    "Un e-mail lui a été envoyé.",
                )
            return HttpResponseRedirect(back_to)
    typed = form.cleaned_data.get("checked_on") if form is not None and form.is_bound else None
    return TemplateResponse(
        request,
        "admin/mentors/mentor/approve.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": f"Valider l'inscription de {mentor}",
            "opts": model_admin.opts,
            "original": mentor,
            "form": form,
            "back_to": back_to,
            "without_screening": WITHOUT_SCREENING,
            "validity_days": settings.SCREENING_VALIDITY_DAYS,
            "expires_if_today": screening_expires_on(today),
            "expires_if_typed": screening_expires_on(typed) if typed else None,
        },
    )
