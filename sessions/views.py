"""The sessions pages of a pair: log and correct a session (mentor), evaluate it (each
member), plan the next meeting and download it as .ics (either member), follow it up
(référent, coordinator), and read them.

Every lookup starts from `mentorships_visible_to(user)`: a pair or a session that the user
may not see is a 404, which does not even confirm that it exists. Someone who may see it but
not act on it (the young person on the log page, the référent on the evaluation page…) gets a
page that says why, with a 403. The rules themselves live in sessions.services: the views
turn their PairRuleError back into errors beside the fields."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from matching.enums import MentorshipStatus, Side
from matching.models import Mentorship
from matching.selectors import mentorships_visible_to
from matching.services import PairRuleError
from users.forms_errors import add_service_errors
from users.overload import form_kept_when_overloaded
from users.programme import RULES

from . import services
from .calendar import planned_meeting_ics
from .enums import SessionTopic
from .forms import EvaluationForm, FollowUpForm, MeetingForm, SessionForm
from .models import (
    NOT_COUNTING_FOR_RHYTHM,
    FollowUp,
    PlannedMeeting,
    Session,
    SessionEvaluation,
)

BELOW_MINIMUM = NOT_COUNTING_FOR_RHYTHM
ICS_FILENAME = "rencontre-mentorat.ics"
PAIR_MEMBERS = ("mentor__user", "mentee__user")


def _day(value) -> str:
    return date_format(value, "j F Y")


def visible_pairs(user):
    return mentorships_visible_to(user).select_related(*PAIR_MEMBERS)


def visible_sessions(user):
    """Sessions of the pairs `user` may see, with the pair and both members joined."""
    return Session.objects.filter(mentorship__in=mentorships_visible_to(user)).select_related(
        *(f"mentorship__{name}" for name in PAIR_MEMBERS)
    )


def side_in(pair: Mentorship, user) -> Side | None:
    """The user's side of the pair, from who they are; None for staff who only see it."""
    if pair.mentor.user_id == user.pk:
        return Side.MENTOR
    if pair.mentee.user_id == user.pk:
        return Side.MENTEE
    return None


def pair_title(pair: Mentorship, side: Side | None) -> str:
    # Members know each other by first name (as on « Mes propositions »); staff need both
    # full names to know which pair they are reading.
    if side == Side.MENTOR:
        return f"avec {pair.mentee.user.first_name}"
    if side == Side.MENTEE:
        return f"avec {pair.mentor.user.first_name}"
    return f"du binôme {pair.mentor.user.get_full_name()} – {pair.mentee.user.get_full_name()}"


def planned_meeting_of(pair: Mentorship) -> PlannedMeeting | None:
    try:
        return pair.planned_meeting
    except PlannedMeeting.DoesNotExist:
        return None


def topic_labels(session: Session) -> list[str]:
    names = dict(SessionTopic.choices)
    labels = [names.get(topic, topic) for topic in session.topics if topic != SessionTopic.OTHER]
    if session.other_topic:
        labels.append(session.other_topic)
    return labels


def _pair_page(pair_pk: int) -> str:
    return reverse(settings.PAGE_URLS["member_pair"], args=[pair_pk])


def _refused(request, *, heading: str, message: str, pair: Mentorship, links=()):
    """A page for someone who may see the pair but not do this: it says why, and where to go."""
    return render(
        request,
        "sessions/refused.html",
        {
            "heading": heading,
            "message": message,
            "pair": pair,
            "links": [*links, ("Retour au binôme", _pair_page(pair.pk))],
        },
        status=403,
    )


def _announce_saved(request, session: Session, text: str) -> None:
    messages.success(request, text)
    if session.is_below_minimum:
        # Accepted, but the pair must know it does not count towards the programme's rhythm.
        messages.warning(
            request,
            f"Cette séance de {session.duration_minutes} minutes dure moins de "
            f"{RULES.session_minimum} : elle est bien enregistrée, mais ne compte pas pour le "
            "rythme des rencontres. "
            f"Prévoyez la prochaine rencontre d'au moins {RULES.session_minimum}.",
        )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@form_kept_when_overloaded(PairRuleError)
def session_log(request, pair_pk):
    pair = get_object_or_404(visible_pairs(request.user), pk=pair_pk)
    side = side_in(pair, request.user)
    if side != Side.MENTOR:
        return _refused(
            request,
            heading="Enregistrer une séance",
            message=(
                "Ton mentor enregistre chaque séance ; tu pourras ensuite l'évaluer."
                if side == Side.MENTEE
                else "Seul le mentor du binôme enregistre ses séances. Vous pouvez les "
                "consulter et en assurer le suivi."
            ),
            pair=pair,
            links=[("Voir les séances du binôme", reverse("sessions:list", args=[pair.pk]))],
        )
    if pair.status != MentorshipStatus.ACTIVE:
        return _refused(
            request,
            heading="Enregistrer une séance",
            message="Les séances s'enregistrent pendant le mentorat : ce binôme n'est pas en "
            "cours.",
            pair=pair,
        )
    form = SessionForm(
        request.POST if request.method == "POST" else None,
        initial={"held_on": timezone.localdate()},
    )
    if form.is_bound and form.is_valid():
        try:
            session = services.session_log(
                mentorship=pair, author=request.user, **form.cleaned_data
            )
        except PairRuleError as error:
            add_service_errors(form, error)
        else:
            _announce_saved(
                request,
                session,
                f"La séance du {_day(session.held_on)} est enregistrée. Pensez à l'évaluer.",
            )
            return redirect(_pair_page(pair.pk))
    return render(
        request,
        "sessions/session_form.html",
        {
            "form": form,
            "pair": pair,
            "heading": "Enregistrer une séance",
            "pair_title": pair_title(pair, side),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@form_kept_when_overloaded(PairRuleError)
def session_update(request, pk):
    session = get_object_or_404(visible_sessions(request.user), pk=pk)
    pair = session.mentorship
    detail = [("Voir la séance", reverse("sessions:detail", args=[session.pk]))]
    if session.logged_by_id != request.user.pk:
        return _refused(
            request,
            heading="Modifier une séance",
            message="Seul l'auteur de la séance peut la modifier.",
            pair=pair,
            links=detail,
        )
    if timezone.now() > session.editable_until():
        return _refused(
            request,
            heading="Modifier une séance",
            message=(
                f"Une séance se modifie pendant {RULES.edit_window} après sa saisie : ce délai "
                "a pris fin "
                f"le {_day(timezone.localtime(session.editable_until()))}. Pour une correction, "
                "écrivez à l'équipe du programme."
            ),
            pair=pair,
            links=detail,
        )
    form = SessionForm(
        request.POST if request.method == "POST" else None,
        initial=SessionForm.initial_from(session),
        submit_label="Enregistrer les modifications",
    )
    if form.is_bound and form.is_valid():
        try:
            session = services.session_update(
                session=session, author=request.user, **form.cleaned_data
            )
        except PairRuleError as error:
            add_service_errors(form, error)
        else:
            _announce_saved(request, session, f"La séance du {_day(session.held_on)} est modifiée.")
            return redirect(_pair_page(pair.pk))
    return render(
        request,
        "sessions/session_form.html",
        {
            "form": form,
            "pair": pair,
            "session": session,
            "heading": "Modifier une séance",
            "pair_title": pair_title(pair, Side.MENTOR),
            "editable_until": session.editable_until(),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@form_kept_when_overloaded(PairRuleError)
def session_evaluate(request, pk):
    session = get_object_or_404(visible_sessions(request.user), pk=pk)
    pair = session.mentorship
    side = side_in(pair, request.user)
    if side is None:
        return _refused(
            request,
            heading="Évaluer une séance",
            message="Seuls le mentor et le jeune du binôme évaluent ses séances.",
            pair=pair,
            links=[("Voir la séance", reverse("sessions:detail", args=[session.pk]))],
        )
    evaluation = SessionEvaluation.objects.filter(session=session, side=side).first()
    if evaluation is not None and timezone.now() > evaluation.editable_until():
        return _refused(
            request,
            heading="Évaluer une séance",
            message=(
                ("Tu as évalué" if side == Side.MENTEE else "Vous avez évalué")
                + f" cette séance le {_day(timezone.localtime(evaluation.created_at))} : "
                "une évaluation se "
                f"modifie pendant {RULES.edit_window} seulement."
            ),
            pair=pair,
            links=[("Voir la séance", reverse("sessions:detail", args=[session.pk]))],
        )
    form = EvaluationForm(
        request.POST if request.method == "POST" else None,
        initial=EvaluationForm.initial_from(evaluation),
        is_mentor=side == Side.MENTOR,
    )
    if form.is_bound and form.is_valid():
        try:
            services.session_evaluate(
                session=session,
                author=request.user,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
                objectives_progress=form.cleaned_data.get("objectives_progress", ""),
            )
        except PairRuleError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "Merci, ton évaluation de la séance est enregistrée."
                if side == Side.MENTEE
                else "Merci, votre évaluation de la séance est enregistrée.",
            )
            return redirect(_pair_page(pair.pk))
    return render(
        request,
        "sessions/evaluation_form.html",
        {
            "form": form,
            "pair": pair,
            "session": session,
            "evaluation": evaluation,
            "topics": topic_labels(session),
            "pair_title": pair_title(pair, side),
            # A young person is addressed as « tu », a mentor as « vous ».
            "tu": side == Side.MENTEE,
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@form_kept_when_overloaded(PairRuleError)
def meeting_plan(request, pair_pk):
    pair = get_object_or_404(
        visible_pairs(request.user).select_related("planned_meeting"), pk=pair_pk
    )
    side = side_in(pair, request.user)
    meeting = planned_meeting_of(pair)
    if side is None or pair.status != MentorshipStatus.ACTIVE:
        return _refused(
            request,
            heading="Planifier la prochaine rencontre",
            message=(
                "Le mentor et le jeune du binôme planifient ensemble leurs rencontres."
                if side is None
                else "Les rencontres se planifient pendant le mentorat : ce binôme n'est pas "
                "en cours."
            ),
            pair=pair,
        )
    form = MeetingForm(
        request.POST if request.method == "POST" else None,
        initial=MeetingForm.initial_from(meeting),
    )
    if form.is_bound and form.is_valid():
        try:
            meeting = services.meeting_plan(
                mentorship=pair, author=request.user, **form.cleaned_data
            )
        except PairRuleError as error:
            add_service_errors(form, error)
        else:
            when = timezone.localtime(meeting.starts_at)
            messages.success(
                request,
                f"La prochaine rencontre est prévue le {_day(when)} à {when:%H:%M}. "
                + (
                    "Ajoute-la à ton agenda avec le fichier .ics."
                    if side == Side.MENTEE
                    else "Ajoutez-la à votre agenda avec le fichier .ics."
                ),
            )
            return redirect(_pair_page(pair.pk))
    return render(
        request,
        "sessions/meeting_form.html",
        {
            "form": form,
            "pair": pair,
            "meeting": meeting,
            "pair_title": pair_title(pair, side),
            "tu": side == Side.MENTEE,
        },
    )


@never_cache
@login_required
@require_GET
def meeting_ics(request, pair_pk):
    pair = get_object_or_404(mentorships_visible_to(request.user), pk=pair_pk)
    meeting = get_object_or_404(PlannedMeeting, mentorship=pair)
    response = HttpResponse(
        planned_meeting_ics(meeting), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{ICS_FILENAME}"'
    return response


@dataclass
class SessionRow:
    """A session as one reader sees it in a list: what concerns them, nothing else."""

    session: Session
    side: Side | None
    user_pk: int
    evaluations: list[SessionEvaluation]
    follow_up: FollowUp | None
    can_follow_up: bool

    @property
    def my_evaluation(self) -> SessionEvaluation | None:
        return next((e for e in self.evaluations if e.side == self.side), None)

    @property
    def can_evaluate(self) -> bool:
        if self.side is None:
            return False
        mine = self.my_evaluation
        return mine is None or timezone.now() <= mine.editable_until()

    @property
    def visible_evaluations(self) -> list[SessionEvaluation]:
        # Each member reads their own evaluation only: a young person must be able to say a
        # session was not useful without the mentor reading it. Staff read both.
        if self.side is None:
            return self.evaluations
        return [e for e in self.evaluations if e.side == self.side]

    @property
    def can_edit(self) -> bool:
        return (
            self.session.logged_by_id == self.user_pk
            and timezone.now() <= self.session.editable_until()
        )

    @property
    def topics(self) -> list[str]:
        return topic_labels(self.session)


def _row(session: Session, *, user, side: Side | None, can_follow_up: bool) -> SessionRow:
    try:
        follow_up = session.follow_up
    except FollowUp.DoesNotExist:
        follow_up = None
    return SessionRow(
        session=session,
        side=side,
        user_pk=user.pk,
        evaluations=list(session.evaluations.all()),
        # The follow-up is the staff's: members do not read the référent's notes.
        follow_up=follow_up if side is None else None,
        can_follow_up=can_follow_up,
    )


def _with_reading_data(sessions):
    return sessions.select_related("follow_up__reviewed_by").prefetch_related(
        Prefetch("evaluations", queryset=SessionEvaluation.objects.order_by("side"))
    )


@never_cache
@login_required
@require_GET
def pair_sessions(request, pair_pk):
    """Every session of a pair, newest first, with the planned meeting.

    Queries, whatever the number of sessions: the pair (with both members and the planned
    meeting), the sessions (with their follow-up), their evaluations; plus, for a référent who
    is not a superuser, the coordinator group test."""
    pair = get_object_or_404(
        visible_pairs(request.user).select_related("planned_meeting"), pk=pair_pk
    )
    side = side_in(pair, request.user)
    can_follow_up = side is None and services.may_follow_up(pair, request.user)
    rows = [
        _row(session, user=request.user, side=side, can_follow_up=can_follow_up)
        for session in _with_reading_data(pair.sessions.all())
    ]
    return render(
        request,
        "sessions/pair_sessions.html",
        {
            "pair": pair,
            "side": side,
            "is_member": side is not None,
            "rows": rows,
            "meeting": planned_meeting_of(pair),
            "pair_title": pair_title(pair, side),
            "can_log": side == Side.MENTOR and pair.status == MentorshipStatus.ACTIVE,
            "can_plan": side is not None and pair.status == MentorshipStatus.ACTIVE,
            "below_minimum": BELOW_MINIMUM,
        },
    )


@never_cache
@login_required
@require_GET
def session_detail(request, pk):
    session = get_object_or_404(_with_reading_data(visible_sessions(request.user)), pk=pk)
    pair = session.mentorship
    side = side_in(pair, request.user)
    row = _row(
        session,
        user=request.user,
        side=side,
        can_follow_up=side is None and services.may_follow_up(pair, request.user),
    )
    return render(
        request,
        "sessions/session_detail.html",
        {
            "row": row,
            "session": session,
            "pair": pair,
            "pair_title": pair_title(pair, side),
            "below_minimum": BELOW_MINIMUM,
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@form_kept_when_overloaded(PairRuleError)
def session_follow_up(request, pk):
    session = get_object_or_404(visible_sessions(request.user).select_related("follow_up"), pk=pk)
    pair = session.mentorship
    if not services.may_follow_up(pair, request.user):
        return _refused(
            request,
            heading="Suivi de la séance",
            message="Le suivi des séances revient au référent du mentor et à la coordination "
            "du programme.",
            pair=pair,
            links=[("Voir la séance", reverse("sessions:detail", args=[session.pk]))],
        )
    try:
        follow_up = session.follow_up
    except FollowUp.DoesNotExist:
        follow_up = None
    form = FollowUpForm(
        request.POST if request.method == "POST" else None,
        initial=FollowUpForm.initial_from(follow_up),
    )
    if form.is_bound and form.is_valid():
        try:
            services.session_follow_up(session=session, referent=request.user, **form.cleaned_data)
        except PairRuleError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"Le suivi de la séance du {_day(session.held_on)} est enregistré."
            )
            return redirect(_pair_page(pair.pk))
    return render(
        request,
        "sessions/follow_up_form.html",
        {
            "form": form,
            "pair": pair,
            "session": session,
            "follow_up": follow_up,
            "topics": topic_labels(session),
            "pair_title": pair_title(pair, None),
            "below_minimum": BELOW_MINIMUM,
        },
    )
