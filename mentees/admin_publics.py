"""The « Publics prioritaires » box of a young person's admin page: each public with who
declared it, when, and whether staff confirmed it; staff confirm, add or remove one. The
changes go through the services (mentees/services.py); this module only collects the click
and says what happened, in French."""

from django.contrib import messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from .enums import Declarant
from .errors import MenteeError
from .models import Mentee, PriorityMark, PriorityPublic
from .services import (
    priority_mark_add,
    priority_mark_confirm,
    priority_mark_remove,
    priority_marks_confirm_all,
)

PERMISSIONS = {
    "confirm": "mentees.change_prioritymark",
    "add": "mentees.add_prioritymark",
    "remove": "mentees.delete_prioritymark",
}


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "d/m/Y")


def _person(user) -> str:
    return (user.get_full_name() or user.email) if user else "un membre de l'équipe"


def declared_words(mark: PriorityMark) -> str:
    if mark.declared_by == Declarant.MENTEE:
        return f"par le jeune, le {_when(mark.declared_at)}"
    return f"par {_person(mark.declared_by_user)} (équipe), le {_when(mark.declared_at)}"


def confirmation_words(mark: PriorityMark) -> str:
    if mark.confirmed_at is None:
        return "à confirmer"
    return f"confirmé par {_person(mark.confirmed_by)} le {_when(mark.confirmed_at)}"


def publics_url(model_admin, mentee) -> str:
    opts = model_admin.opts
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_publics", args=[quote(mentee.pk)])


def publics_context(model_admin, request, mentee: Mentee) -> dict:
    """What the box shows: the marks (one query) and, for staff who may change them, the
    buttons and the publics that can be added (one query)."""
    marks = list(
        mentee.priority_marks.select_related("public", "declared_by_user", "confirmed_by").order_by(
            "public__order", "public__label"
        )
    )
    user = request.user
    can = {
        action: model_admin.has_change_permission(request, mentee) and user.has_perm(permission)
        for action, permission in PERMISSIONS.items()
    }
    rows = [
        {
            "pk": mark.pk,
            "label": mark.public.label,
            "code": mark.public.code,
            "declared": declared_words(mark),
            "confirmation": confirmation_words(mark),
            "confirmed": mark.is_confirmed,
        }
        for mark in marks
    ]
    addable = []
    if can["add"]:
        marked = [mark.public_id for mark in marks]
        addable = list(PriorityPublic.objects.active().exclude(pk__in=marked))
    return {
        "rows": rows,
        "url": publics_url(model_admin, mentee),
        "can_confirm": can["confirm"],
        "can_remove": can["remove"],
        "can_add": can["add"],
        "addable": addable,
        "unconfirmed": sum(1 for mark in marks if not mark.is_confirmed),
        "mission_locale_name": mentee.mission_locale_name,
    }


def _mark(mentee: Mentee, value: str) -> PriorityMark | None:
    if not value.isdigit():
        return None
    return mentee.priority_marks.select_related("public").filter(pk=int(value)).first()


def _require(request, action: str) -> None:
    if not request.user.has_perm(PERMISSIONS[action]):
        raise PermissionDenied


def change_publics(model_admin, request, object_id):
    """A POST from the box: `confirmer=<mark>`, `tout_confirmer`, `retirer=<mark>` or
    `ajouter` with `public=<code>`; then back to the young person's page."""
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    mentee = get_object_or_404(model_admin.get_queryset(request), pk=object_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    back_to = HttpResponseRedirect(
        reverse(
            f"admin:{model_admin.opts.app_label}_{model_admin.opts.model_name}_change",
            args=[quote(mentee.pk)],
        )
    )
    post, user = request.POST, request.user
    if "tout_confirmer" in post:
        _require(request, "confirm")
        count = priority_marks_confirm_all(mentee=mentee, confirmed_by=user)
        messages.success(request, f"{count} public(s) prioritaire(s) confirmé(s).")
    elif "confirmer" in post:
        _require(request, "confirm")
        mark = _mark(mentee, post["confirmer"])
        if mark is None:
            messages.error(request, "Ce public a été retiré entre-temps : rien à confirmer.")
        else:
            priority_mark_confirm(mark=mark, confirmed_by=user)
            messages.success(request, f"Public « {mark.public.label} » confirmé.")
    elif "retirer" in post:
        _require(request, "remove")
        mark = _mark(mentee, post["retirer"])
        if mark is None:
            messages.error(request, "Ce public a déjà été retiré.")
        else:
            priority_mark_remove(mark=mark, removed_by=user)
            messages.success(request, f"Public « {mark.public.label} » retiré.")
    elif "ajouter" in post:
        _require(request, "add")
        public = PriorityPublic.objects.active().filter(code=post.get("public", "")).first()
        if public is None:
            messages.error(request, "Choisissez dans la liste le public prioritaire à ajouter.")
        else:
            try:
                priority_mark_add(mentee=mentee, public=public, added_by=user)
            except MenteeError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, f"Public « {public.label} » ajouté et confirmé.")
    return back_to
