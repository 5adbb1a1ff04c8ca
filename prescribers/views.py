"""The prescriber's small space (their referrals, each one's stage, the form to refer a young
person) and the young person's registration from the referral's link."""

import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from mentees.forms import MenteeRegistrationForm
from users.errors import ServiceError
from users.forms_errors import add_service_errors
from users.overload import form_kept_when_overloaded
from users.two_factor import second_factor_missing, second_factor_url
from users.views import registration_view

from .enums import ConsultedPage, Stage
from .forms import ReferralForm
from .links import ReferralAlreadyCompleted, ReferralLinkError, referral_from_token
from .models import Prescriber, Referral
from .services import (
    referral_create,
    referral_registration_complete,
    referrals_consulted,
    registration_initial,
)
from .stages import path_steps, with_stage


def prescriber_required(view):
    """A prescriber's page: logged in, an active prescriber (404 for anybody else, staff
    included: they read referrals in the admin), with the second factor given (the
    middleware asks for it already; checked again here, where the data is)."""

    @login_required
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        prescriber = (
            Prescriber.objects.select_related("organisation")
            .filter(user=request.user, user__is_active=True)
            .first()
        )
        if prescriber is None:
            raise Http404("Page réservée aux prescripteurs du programme.")
        if second_factor_missing(request.user):
            return redirect(second_factor_url(request.user, next_url=request.get_full_path()))
        return view(request, prescriber, *args, **kwargs)

    return wrapped


def _contacts() -> list[dict]:
    return settings.PROGRAMME_CONTACTS


@prescriber_required
def home(request, prescriber: Prescriber):
    referrals = list(
        with_stage(Referral.objects.of_prescriber(prescriber)).only(
            "pk", "first_name", "last_name", "created_at"
        )
    )
    referrals_consulted(referrals=referrals, by=request.user, page=ConsultedPage.LIST)
    for referral in referrals:
        referral.stage_label = Stage(referral.stage).label
    return render(
        request,
        "prescribers/home.html",
        {"prescriber": prescriber, "referrals": referrals, "contacts": _contacts()},
    )


@prescriber_required
@form_kept_when_overloaded(ServiceError)
def refer(request, prescriber: Prescriber):
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            referral = referral_create(prescriber=prescriber, **form.referral_fields())
        except ServiceError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"C'est envoyé : {referral} a reçu le lien pour compléter son inscription.",
            )
            return redirect("prescribers:referral", referral.pk)
    return render(request, "prescribers/refer.html", {"form": form, "prescriber": prescriber})


@prescriber_required
def referral(request, prescriber: Prescriber, pk: int):
    referral = get_object_or_404(
        with_stage(Referral.objects.of_prescriber(prescriber)).select_related("organisation"),
        pk=pk,
    )
    referrals_consulted(referrals=[referral], by=request.user, page=ConsultedPage.DETAIL)
    return render(
        request,
        "prescribers/referral.html",
        {
            "referral": referral,
            "stage": Stage(referral.stage),
            "steps": path_steps(referral.stage),
            "contacts": _contacts(),
        },
    )


def register(request, token: str):
    """The young person's own registration, from the link of the referral: the public form,
    filled with what the prescriber typed; the young person checks it, completes it and gives
    their own consent."""
    try:
        referral = referral_from_token(token)
    except ReferralAlreadyCompleted as error:
        return render(request, "prescribers/link_used.html", {"message": str(error)})
    except ReferralLinkError as error:
        return render(request, "prescribers/link_invalid.html", {"message": str(error)}, status=400)
    return registration_view(
        request,
        form_class=functools.partial(
            MenteeRegistrationForm, initial=registration_initial(referral)
        ),
        register=functools.partial(referral_registration_complete, referral=referral),
        template="prescribers/register.html",
        done_url=reverse("mentees:registration_done"),
    )
