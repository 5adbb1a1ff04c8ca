"""Approving or rejecting one registration from the person's page in the admin (a young
person's or a mentor's). The decision goes through the same services as the list's actions
(`registration_approve`, `registration_reject`); these views only collect the coordinator's
click or reason and say what happened, in French."""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse

from users.programme import characters_words

from .enums import RegistrationStatus
from .services import (
    RegistrationError,
    approval_refusal,
    registration_approve,
    registration_reject,
    rejection_refusal,
)


class RejectionForm(forms.Form):
    reason = forms.CharField(
        label="Motif du refus (envoyé à la personne)",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Indiquez le motif du refus.",
            "max_length": f"Le motif est limité à {characters_words(1000)}.",
        },
    )


def url_name(model_admin, action: str) -> str:
    opts = model_admin.opts
    return f"admin:{opts.app_label}_{opts.model_name}_{action}"


def change_url(model_admin, registration) -> str:
    return reverse(url_name(model_admin, "change"), args=[quote(registration.pk)])


def registration_or_404(model_admin, request, object_id):
    """The registration the coordinator may review, or 403 / 404. Reviewing is changing the
    registration: référents, who only read their mentors' files, are refused."""
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    return get_object_or_404(model_admin.get_queryset(request).select_related("user"), pk=object_id)


def review_context(model_admin, request, registration) -> dict | None:
    """What the person's page offers: the approve and reject buttons the status allows (None
    for somebody who may not review)."""
    if registration is None or not model_admin.has_change_permission(request, registration):
        return None
    approval = approval_refusal(registration)
    return {
        "approve_url": None
        if approval
        else reverse(url_name(model_admin, "approve"), args=[registration.pk]),
        "reject_url": None
        if rejection_refusal(registration)
        else reverse(url_name(model_admin, "reject"), args=[registration.pk]),
        "antenne_url": reverse(url_name(model_admin, "antenne"), args=[registration.pk]),
        # Waiting for a guardian is worth saying; « already approved » is the status itself.
        "approval_note": ""
        if registration.status == RegistrationStatus.APPROVED
        else (approval or ""),
    }


def approve_now(request, registration, *, back_to: str) -> HttpResponseRedirect:
    try:
        registration_approve(registration=registration, approved_by=request.user)
    except RegistrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"Inscription de {registration} validée ; un e-mail lui a été envoyé."
        )
    return HttpResponseRedirect(back_to)


def approve(model_admin, request, object_id):
    """A POST from the person's page: approve, and back to the page."""
    registration = registration_or_404(model_admin, request, object_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return approve_now(request, registration, back_to=change_url(model_admin, registration))


def reject(model_admin, request, object_id):
    """A page asking the reason (sent to the person), then the rejection."""
    registration = registration_or_404(model_admin, request, object_id)
    back_to = change_url(model_admin, registration)
    refusal = rejection_refusal(registration)
    if refusal and request.method != "POST":
        messages.error(request, refusal)
        return HttpResponseRedirect(back_to)
    form = RejectionForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            registration_reject(
                registration=registration,
                reason=form.cleaned_data["reason"],
                rejected_by=request.user,
            )
        except RegistrationError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                f"Inscription de {registration} refusée ; le motif lui a été envoyé par e-mail.",
            )
        return HttpResponseRedirect(back_to)
    return TemplateResponse(
        request,
        "admin/users/reject_registration.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": f"Refuser l'inscription de {registration}",
            "opts": model_admin.opts,
            "original": registration,
            "form": form,
            "back_to": back_to,
        },
    )
