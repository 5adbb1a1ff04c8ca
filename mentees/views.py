from django.shortcuts import render
from django.urls import reverse

from users.views import registration_view

from .consent import ConsentAlreadyGiven, ConsentLinkError, mentee_from_consent_token
from .forms import GuardianConsentForm, MenteeRegistrationForm
from .services import guardian_consent_give, mentee_register


def register(request):
    return registration_view(
        request,
        form_class=MenteeRegistrationForm,
        register=mentee_register,
        template="mentees/register.html",
        done_url=reverse("mentees:registration_done"),
    )


def registration_done(request):
    return render(request, "mentees/registration_done.html")


def guardian_consent(request, token):
    # A GET never records consent: mail scanners open links too.
    try:
        mentee = mentee_from_consent_token(token)
    except ConsentAlreadyGiven as error:
        return render(request, "mentees/guardian_consent_done.html", {"message": str(error)})
    except ConsentLinkError as error:
        return render(
            request, "mentees/guardian_consent_invalid.html", {"message": str(error)}, status=400
        )
    form = GuardianConsentForm(
        request.POST or None, initial={"guardian_name": mentee.guardian_name}
    )
    if request.method == "POST" and form.is_valid():
        guardian_consent_give(mentee=mentee, guardian_name=form.cleaned_data["guardian_name"])
        return render(
            request,
            "mentees/guardian_consent_done.html",
            {"message": "Merci, votre accord a bien été enregistré."},
        )
    return render(request, "mentees/guardian_consent.html", {"form": form, "mentee": mentee})
