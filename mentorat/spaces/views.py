"""The personal spaces: « Mon espace » (a member's pairs and what is waiting for them, the
pairs a référent or a coordinator follows) and one pair's page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from matching.forms_objectives import ObjectiveForm, ObjectiveStatusForm
from matching.rules import MINIMUM_MONTHS, MINIMUM_SESSION_MINUTES
from matching.selectors import mentorships_visible_to
from mentors.models import Mentor
from users.enums import RegistrationStatus

from .overview import PairView
from .queries import followed_pairs_page, member_pairs, with_space_details
from .todo import all_tasks

FOLLOWED_PER_PAGE = 50


@never_cache
@login_required
def home(request):
    now = timezone.now()
    today = timezone.localdate(now)
    visible = mentorships_visible_to(request.user)
    pairs = [
        PairView.for_user(mentorship, request.user, now=now)
        for mentorship in member_pairs(visible, request.user, today=today)
    ]
    followed = None
    if request.user.is_staff:
        # A coordinator sees every pair of the programme: a page at a time.
        followed = followed_pairs_page(
            visible, today=today, number=request.GET.get("page"), per_page=FOLLOWED_PER_PAGE
        )
    return render(
        request,
        "spaces/home.html",
        {
            "pairs": pairs,
            "tasks": all_tasks(pairs),
            "followed": followed,
            "today": today,
            "mentor_training": _mentor_training(request.user),
        },
    )


def _mentor_training(user) -> dict | None:
    """For a mentor (not rejected), whether they attended an initial training (one query):
    their home links to « Mes formations ». None for anybody else."""
    return (
        Mentor.objects.filter(user=user)
        .exclude(status=RegistrationStatus.REJECTED)
        .with_initial_training()
        .values("initial_training")
        .first()
    )


@never_cache
@login_required
def pair(request, pk):
    now = timezone.now()
    mentorship = get_object_or_404(
        with_space_details(mentorships_visible_to(request.user), today=timezone.localdate(now)),
        pk=pk,
    )
    view = PairView.for_user(mentorship, request.user, now=now)
    objectives = [
        (objective, ObjectiveStatusForm(objective=objective) if view.can_edit else None)
        for objective in view.objectives
    ]
    return render(
        request,
        "spaces/pair.html",
        {
            "pair": view,
            "pair_tasks": [(view, task) for task in view.tasks],
            "objectives": objectives,
            "add_form": ObjectiveForm() if view.can_edit else None,
            "minimum_minutes": MINIMUM_SESSION_MINUTES,
            "minimum_months": MINIMUM_MONTHS,
        },
    )
