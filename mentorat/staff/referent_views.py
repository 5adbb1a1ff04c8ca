"""The référent's home in the admin: their mentors and pairs, the sessions to follow up
(reviewed in place), the pairs ready to close, the questionnaires to read and the log of
their exchanges with their mentors. Every list is scoped to the mentors whose référent is
the logged-in staff member, and each is read in one query whatever its length.

The page is opened many times a day on a heavy caseload, so it stays cheap: a bounded queue of
sessions (the rest is one link away, in the sessions list), follow-up forms written by hand
rather than rendered widget by widget, and of each person only their name loaded (the rest of
a registration costs: its phone numbers are parsed on load, and none is shown here)."""

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Window
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from evaluations.enums import Moment, ResponseStatus
from evaluations.interviews import InterviewError, closure_interview_record
from evaluations.models import ClosureInterview, Response
from evaluations.selectors import with_questionnaire_state
from matching.enums import ComplianceState
from matching.models import Mentorship
from matching.services import PairRuleError
from mentors.errors import MentorError
from mentors.models import Exchange, Mentor
from mentors.services_exchanges import exchange_record
from sessions.models import Session
from sessions.services import session_follow_up
from users.forms_errors import add_service_errors
from users.scopes import staff_scope

from . import exports
from .dashboard import Filters
from .dashboard_views import export_links
from .referent_forms import (
    ClosureInterviewForm,
    ExchangeForm,
    FollowUpForm,
    person_name,
    referent_mentors,
)

# The page stays bounded on a heavy caseload: the oldest sessions are the urgent ones, and
# the sessions list (filtered on the queue) holds the rest.
SESSIONS_SHOWN = 20
RESPONSES_SHOWN = 50
EXCHANGES_SHOWN = 50
CLOSED_SHOWN = 20


def _pair_names(path=""):
    # What a pair's str() reads: its members' names.
    return [*person_name(f"{path}mentor__"), *person_name(f"{path}mentee__")]


def _pairs_of(user):
    return Mentorship.objects.filter(mentor__referent=user)


def _sessions_awaiting(user):
    return (
        Session.objects.awaiting_follow_up()
        .filter(mentorship__mentor__referent=user)
        .select_related("mentorship__mentor__user", "mentorship__mentee__user", "follow_up")
        .only(
            "held_on",
            "duration_minutes",
            "summary",
            "follow_up__comment",
            "follow_up__needs_attention",
            *_pair_names("mentorship__"),
        )
        # The queue's length, counted before the LIMIT in the same query.
        .annotate(queue_length=Window(Count("pk")))
    )


def _home(request, *, follow_up_forms=None, exchange_form=None, status=200):
    user = request.user
    today = timezone.localdate()
    # Also the exchange form's choices: one query for both.
    mentors = list(referent_mentors(user))
    pairs = list(
        with_questionnaire_state(_pairs_of(user).active().with_compliance(today=today))
        # Shown under their mentor: only the young person's name is read.
        .select_related("mentee__user")
        .only("mentor", "started_on", "ended_on", "qualifying_sessions", *person_name("mentee__"))
        .order_by("started_on", "pk")
    )
    labels = dict(ComplianceState.choices)
    by_mentor = {mentor.pk: [] for mentor in mentors}
    for pair in pairs:
        pair.compliance_label = labels.get(pair.compliance, "—")
        pair.months = pair.months_elapsed(today=today)
        by_mentor.setdefault(pair.mentor_id, []).append(pair)
    exchange_form = exchange_form or ExchangeForm(referent=user, initial={"happened_on": today})
    follow_up_forms = follow_up_forms or {}
    sessions = list(_sessions_awaiting(user)[:SESSIONS_SHOWN])
    for session in sessions:
        session.form = _plain_form(
            follow_up_forms.get(session.pk)
            or FollowUpForm(prefix=f"s{session.pk}", initial=_initial_follow_up(session))
        )
    context = {
        **admin_context(request),
        "title": "Mon suivi de référent",
        "mentors": [(mentor, by_mentor[mentor.pk]) for mentor in mentors],
        "sessions": sessions,
        "queue_length": sessions[0].queue_length if sessions else 0,
        "ready_to_close": list(
            _pairs_of(user)
            .ready_to_close(today=today)
            .select_related("mentor__user", "mentee__user")
            .only("started_on", *_pair_names())
            .order_by("started_on")
        ),
        # Until the référent (or a coordinator) opens one, it waits here.
        "responses": list(
            Response.objects.unread()
            .filter(mentorship__mentor__referent=user)
            .select_related("mentorship__mentor__user", "mentorship__mentee__user")
            .only("moment", "side", "submitted_at", *_pair_names("mentorship__"))
            .order_by("-submitted_at", "-pk")[:RESPONSES_SHOWN]
        ),
        # The latest closed pairs, each with whether its closure interview is recorded.
        "closed_pairs": list(
            _pairs_of(user)
            .closed()
            .annotate(
                has_interview=Exists(ClosureInterview.objects.filter(mentorship=OuterRef("pk")))
            )
            .select_related("mentor__user", "mentee__user")
            .only("started_on", "ended_on", "close_reason", *_pair_names())
            .order_by("-ended_on", "-pk")[:CLOSED_SHOWN]
        ),
        "exchanges": list(
            Exchange.objects.filter(referent=user).prefetch_related(
                Prefetch(
                    "mentors",
                    queryset=Mentor.objects.select_related("user").only(*person_name()),
                )
            )[:EXCHANGES_SHOWN]
        ),
        "exchange_form": exchange_form,
        "exchange_mentors": _exchange_choices(exchange_form, mentors),
        # Scoped to this référent's mentors by the export view itself.
        "export_links": export_links(Filters(), exports.REFERENT_DATASETS),
    }
    return TemplateResponse(request, "admin/staff/referent_home.html", context, status=status)


def _exchange_choices(form, mentors):
    # The form's mentor choices are the référent's mentors, already read for the first table:
    # rendered from that list rather than by the widget, which would read them again.
    chosen = {str(pk) for pk in form["mentors"].value() or ()}
    return [(mentor, str(mentor.pk) in chosen) for mentor in mentors]


def _plain_form(form):
    """A follow-up form as plain values for its hand-written template: read there through
    bound fields and widgets, twenty of them cost more than the rest of the page."""
    errors = form.errors if form.is_bound else {}
    return {
        "non_field_errors": errors.get(NON_FIELD_ERRORS, ()),
        "fields": [
            {
                "name": field.html_name,
                "id": field.auto_id,
                "label": field.label,
                "value": field.value(),
                "errors": errors.get(field.name, ()),
                "input_type": getattr(field.field.widget, "input_type", "textarea"),
                "max_length": getattr(field.field, "max_length", None),
            }
            for field in form
        ],
    }


def _initial_follow_up(session):
    # A draft follow-up (not yet marked as seen) keeps its comment and flag in the form.
    follow_up = getattr(session, "follow_up", None)
    initial = {"reviewed": True}
    if follow_up is not None:
        initial.update(comment=follow_up.comment, needs_attention=follow_up.needs_attention)
    return initial


def admin_context(request):
    from django.contrib import admin

    return admin.site.each_context(request)


def referent_home(request):
    return _home(request)


@require_POST
def referent_follow_up(request, pk):
    # Only a session on this référent's page may be followed up from it: anything else is
    # not theirs to see (404, not 403, so as not to reveal it exists).
    session = get_object_or_404(
        Session.objects.select_related("mentorship__mentor"),
        pk=pk,
        mentorship__mentor__referent=request.user,
    )
    form = FollowUpForm(request.POST, prefix=f"s{session.pk}")
    if form.is_valid():
        try:
            session_follow_up(
                session=session,
                referent=request.user,
                comment=form.cleaned_data["comment"],
                needs_attention=form.cleaned_data["needs_attention"],
                reviewed=form.cleaned_data["reviewed"],
            )
        except PairRuleError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Suivi de la {session} enregistré.")
            return HttpResponseRedirect(reverse("admin:referent_home") + "#seances")
    return _home(request, follow_up_forms={session.pk: form}, status=400)


@require_POST
def referent_exchange(request):
    form = ExchangeForm(request.POST, referent=request.user)
    if form.is_valid():
        try:
            exchange_record(referent=request.user, **form.cleaned_data)
        except MentorError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Échange enregistré.")
            return HttpResponseRedirect(reverse("admin:referent_home") + "#echanges")
    return _home(request, exchange_form=form, status=400)


def _closed_pairs_for(user):
    """The closed pairs whose interview `user` may record (the service's rule,
    `closure_interview_record`): a national coordinator's, every one; an antenne
    coordinator's, those of their antenne (the young person's or the mentor's); a référent's,
    their mentors'. Anything else is a 404, not revealed to exist."""
    pairs = Mentorship.objects.closed()
    scope = staff_scope(user)
    if scope.national:
        return pairs
    return pairs.filter(scope.q("mentee__antenne", "mentor__antenne") | Q(mentor__referent=user))


def _interview_initial(interview, today):
    if interview is None:
        return {"held_on": today}
    return {
        "held_on": interview.held_on,
        "held_with": interview.held_with,
        "notes": interview.notes,
    }


def closure_interview(request, pk):
    """The closure interview of one closed pair: recorded, then corrected if need be (each
    version kept in its history), with the members' closure questionnaires beside it."""
    pair = get_object_or_404(
        _closed_pairs_for(request.user).select_related("mentor__user", "mentee__user"), pk=pk
    )
    interview = ClosureInterview.objects.filter(mentorship=pair).first()
    if request.method == "POST":
        form = ClosureInterviewForm(request.POST)
        if form.is_valid():
            try:
                closure_interview_record(
                    mentorship=pair, recorded_by=request.user, **form.cleaned_data
                )
            except InterviewError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Entretien de fin enregistré.")
                return HttpResponseRedirect(reverse("admin:closure_interview", args=[pair.pk]))
    else:
        form = ClosureInterviewForm(initial=_interview_initial(interview, timezone.localdate()))
    context = {
        **admin_context(request),
        "title": "Entretien de fin",
        "pair": pair,
        "interview": interview,
        "versions": list(
            ClosureInterview.history.filter(mentorship_id=pair.pk)
            .select_related("history_user")
            .order_by("-history_date", "-history_id")
        ),
        "closure_responses": list(
            Response.objects.filter(
                mentorship=pair, moment=Moment.CLOSURE, status=ResponseStatus.SUBMITTED
            ).order_by("side")
        ),
        "form": form,
    }
    status = 400 if form.is_bound else 200
    return TemplateResponse(request, "admin/staff/closure_interview.html", context, status=status)
