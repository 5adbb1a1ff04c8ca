"""A mentor's trainings in their space: the coming sessions, signed up or cancelled in one
click, the trainings they followed; and their volunteer's attestation (a printable page of
their mentoring hours and trainings). A mentor's own only: anybody else gets a 404."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, Max, Min, OuterRef, Sum
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from matching.models import Mentorship
from mentors.errors import MentorError
from mentors.models import Mentor, TrainingRegistration, TrainingSession
from mentors.services_training import training_cancel, training_sign_up
from users.enums import RegistrationStatus
from users.programme import duration_words

# The page lists at most this many coming sessions (the soonest): a programme plans a few a
# month.
COMING_SHOWN = 30


def own_mentor(user) -> Mentor:
    """The logged-in user's mentor registration, not rejected; 404 for anybody else."""
    mentor = (
        Mentor.objects.filter(user=user)
        .exclude(status=RegistrationStatus.REJECTED)
        .only("pk", "status", "user_id", "referent_id", "antenne_id")
        .first()
    )
    if mentor is None:
        raise Http404("Cette page est celle des mentors.")
    return mentor


def _coming(mentor: Mentor, now):
    mine = TrainingRegistration.objects.filter(session=OuterRef("pk"), mentor=mentor)
    # The national sessions and the mentor's antenne's.
    return list(
        TrainingSession.objects.upcoming(now=now)
        .open_to(mentor.antenne_id)
        .with_seats()
        .annotate(mine=Exists(mine))[:COMING_SHOWN]
    )


@never_cache
@login_required
def trainings(request):
    mentor = own_mentor(request.user)
    now = timezone.now()
    coming = _coming(mentor, now)
    for session in coming:
        session.seats_left = max(session.capacity - session.signed_up, 0)
        session.duration = duration_words(session.duration_minutes)
    followed = list(
        TrainingRegistration.objects.filter(mentor=mentor, session__starts_at__lte=now)
        .select_related("session")
        .order_by("-session__starts_at", "-pk")
    )
    return render(
        request,
        "spaces/trainings.html",
        {"coming": coming, "followed": followed},
    )


def _back():
    return HttpResponseRedirect(reverse("spaces:trainings"))


@login_required
@require_POST
def training_sign_up_view(request, pk):
    mentor = own_mentor(request.user)
    session = get_object_or_404(
        TrainingSession.objects.upcoming().open_to(mentor.antenne_id), pk=pk
    )
    try:
        training_sign_up(session=session, mentor=mentor)
    except MentorError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"Inscription confirmée : {session}. Un e-mail de confirmation vous est envoyé, "
            "avec l'événement à ajouter à votre agenda.",
        )
    return _back()


@login_required
@require_POST
def training_cancel_view(request, pk):
    mentor = own_mentor(request.user)
    session = get_object_or_404(
        TrainingSession.objects.upcoming().filter(registrations__mentor=mentor), pk=pk
    )
    try:
        training_cancel(session=session, mentor=mentor)
    except MentorError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Inscription annulée : {session}. La place est libérée.")
    return _back()


@never_cache
@login_required
def attestation(request):
    """The volunteer's attestation: each pair's sessions and hours (the young person is not
    named), the trainings attended, the association and the date. Three queries."""
    mentor = own_mentor(request.user)
    pairs = list(
        Mentorship.objects.filter(mentor=mentor, started_on__isnull=False)
        .annotate(
            sessions_count=Count("sessions"),
            minutes=Sum("sessions__duration_minutes"),
            first_session=Min("sessions__held_on"),
            last_session=Max("sessions__held_on"),
        )
        .only("started_on", "ended_on", "status")
        .order_by("started_on", "pk")
    )
    total_minutes = sum(pair.minutes or 0 for pair in pairs)
    for pair in pairs:
        pair.hours = duration_words(pair.minutes) if pair.minutes else "—"
    trainings_attended = list(
        TrainingRegistration.objects.attended()
        .filter(mentor=mentor)
        .select_related("session")
        .order_by("session__starts_at", "pk")
    )
    for seat in trainings_attended:
        seat.duration = duration_words(seat.session.duration_minutes)
    training_minutes = sum(seat.session.duration_minutes for seat in trainings_attended)
    return render(
        request,
        "spaces/attestation.html",
        {
            "mentor_name": request.user.get_full_name(),
            "pairs": pairs,
            "sessions_count": sum(pair.sessions_count for pair in pairs),
            "total_hours": duration_words(total_minutes) if total_minutes else "aucune",
            "trainings": trainings_attended,
            "training_hours": duration_words(training_minutes) if training_minutes else "aucune",
            "association_name": settings.ASSOCIATION_NAME,
            "today": timezone.localdate(),
        },
    )
