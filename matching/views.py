"""The members' side of a proposal: « Mes propositions » and the signed e-mail link."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from mentees.consent import ConsentLinkError
from users.enums import HelpTopic, Sector
from users.templatetags.wording import agreed

from .enums import MentorshipStatus, Response, Side
from .forms import MentorshipResponseForm
from .links import ResponseLinkError, mentorship_from_guardian_token, mentorship_from_token
from .models import Mentorship
from .services import (
    GUARDIAN_OBJECTION,
    MatchingError,
    mentorship_guardian_object,
    mentorship_respond,
)


def side_of(mentorship: Mentorship, user) -> Side:
    """The user's side of the pair, from who they are: never from what a form says."""
    return Side.MENTOR if mentorship.mentor.user_id == user.pk else Side.MENTEE


def awaits_answer(mentorship: Mentorship, side: Side) -> bool:
    return (
        mentorship.status == MentorshipStatus.PROPOSED
        and getattr(mentorship, f"{side}_response") == Response.PENDING
    )


def other_first_name(mentorship: Mentorship, side: Side) -> str:
    other = mentorship.mentee if side == Side.MENTOR else mentorship.mentor
    return other.user.first_name


def answer_state(mentorship: Mentorship, side: Side) -> str:
    """Where a pair stands, for the person on `side`, in French."""
    mine = getattr(mentorship, f"{side}_response")
    if mentorship.status == MentorshipStatus.ACTIVE:
        if mentorship.started_on:
            return f"Ce binôme a commencé le {date_format(mentorship.started_on, 'j F Y')}."
        return "Ce binôme a commencé."
    if mentorship.status == MentorshipStatus.CLOSED:
        return "Ce binôme est terminé."
    # A young person is addressed as « tu », a mentor as « vous ».
    tu = side == Side.MENTEE
    if mentorship.status == MentorshipStatus.DECLINED:
        if mine == Response.DECLINED:
            return (
                "Tu as refusé cette proposition." if tu else "Vous avez refusé cette proposition."
            )
        # The other person's reason is for the programme's team only.
        return "Cette proposition n'a pas abouti : elle n'attend plus de réponse. " + (
            "L'équipe du programme va te chercher un autre mentor."
            if tu
            else "Votre place est de nouveau disponible pour un autre jeune."
        )
    if mine == Response.ACCEPTED:
        return (
            "Tu as accepté cette proposition. " if tu else "Vous avez accepté cette proposition. "
        ) + f"Nous attendons la réponse de {other_first_name(mentorship, side)}."
    return (
        "Cette proposition attend ta réponse." if tu else "Cette proposition attend votre réponse."
    )


def answer_recorded(answered: Mentorship, side: Side, other_name: str) -> str:
    """The thank-you once an answer is saved; `answered` is the pair as the service left it."""
    if side == Side.MENTEE:
        if answered.status == MentorshipStatus.ACTIVE:
            return (
                f"Merci ! {other_name} a aussi accepté : ton binôme commence aujourd'hui. "
                "Tu vas recevoir un e-mail avec ses coordonnées."
            )
        if answered.status == MentorshipStatus.DECLINED:
            return (
                "Ton refus est bien enregistré, merci d'avoir répondu. "
                "L'équipe du programme va te chercher un autre mentor."
            )
        return (
            f"Merci, tu as accepté le binôme avec {other_name}. Nous attendons sa réponse : "
            "tu recevras un e-mail quand le binôme commencera."
        )
    if answered.status == MentorshipStatus.ACTIVE:
        return (
            f"Merci ! {other_name} a aussi accepté : votre binôme commence aujourd'hui. "
            "Vous allez recevoir un e-mail avec ses coordonnées."
        )
    if answered.status == MentorshipStatus.DECLINED:
        return (
            "Votre refus est bien enregistré, merci d'avoir répondu. "
            "Votre place est de nouveau disponible pour un autre jeune."
        )
    return (
        f"Merci, vous avez accepté le binôme avec {other_name}. Nous attendons sa réponse : "
        "vous recevrez un e-mail quand le binôme commencera."
    )


def _labels(values, choices) -> str:
    names = dict(choices.choices)
    return ", ".join(names[value] for value in values if value in names) or "Non précisé"


@dataclass
class Proposal:
    """A pair as one of its two members sees it."""

    mentorship: Mentorship
    side: Side
    form: MentorshipResponseForm | None = None

    @property
    def pk(self) -> int:
        return self.mentorship.pk

    @property
    def awaiting(self) -> bool:
        return awaits_answer(self.mentorship, self.side)

    @property
    def other_first_name(self) -> str:
        return other_first_name(self.mentorship, self.side)

    @property
    def state(self) -> str:
        return answer_state(self.mentorship, self.side)

    @property
    def is_mentor(self) -> bool:
        return self.side == Side.MENTOR

    @property
    def facts(self) -> list[tuple[str, str]]:
        """What the member needs to know about the other person to answer: for a mentor the
        young person's situation, needs and goals; for a young person the mentor's job and
        what they help with. No surname and no contact before the pair starts."""
        if self.is_mentor:
            mentee = self.mentorship.mentee
            return [
                ("Situation", agreed(mentee.get_situation_display(), mentee)),
                ("Âge", f"{mentee.age()} ans"),
                ("Département", mentee.department),
                ("Besoins", _labels(mentee.needs, HelpTopic)),
                ("Secteurs qui l'intéressent", _labels(mentee.sectors_of_interest, Sector)),
                ("Ses objectifs, avec ses mots", mentee.goals),
            ]
        mentor = self.mentorship.mentor
        return [
            ("Métier", mentor.job_title),
            ("Employeur", mentor.employer),
            ("Secteur", mentor.get_sector_display()),
            ("Peut t'aider pour", _labels(mentor.help_topics, HelpTopic)),
            (
                f"Secteurs dont {mentor.user.first_name} peut parler",
                _labels(mentor.sectors_to_share, Sector),
            ),
            ("Département", mentor.department),
        ]

    @property
    def contact_email(self) -> str | None:
        # Once the pair has started, each one can write to the other (the e-mail said so).
        if self.mentorship.status != MentorshipStatus.ACTIVE:
            return None
        other = self.mentorship.mentee if self.is_mentor else self.mentorship.mentor
        return other.user.email


def _my_proposals_page(request, *, bound_form: MentorshipResponseForm | None = None):
    # One query whatever the number of pairs: both members and their accounts are joined.
    # A staff user without a registration simply has no pair.
    pairs = (
        Mentorship.objects.involving(request.user)
        .select_related("mentor__user", "mentee__user")
        .order_by("-proposed_at", "-pk")
    )
    awaiting, others = [], []
    for mentorship in pairs:
        proposal = Proposal(mentorship, side_of(mentorship, request.user))
        if proposal.awaiting:
            is_bound = bound_form is not None and bound_form.prefix == f"binome-{mentorship.pk}"
            proposal.form = (
                bound_form if is_bound else MentorshipResponseForm(mentorship=mentorship)
            )
            awaiting.append(proposal)
        else:
            others.append(proposal)
    return render(request, "matching/my_proposals.html", {"awaiting": awaiting, "others": others})


@never_cache
@login_required
def my_proposals(request):
    return _my_proposals_page(request)


@never_cache
@login_required
@require_POST
def respond(request, pk):
    # Looked up among the user's own pairs: anybody else's pair is a 404, which does not even
    # confirm that it exists.
    mentorship = get_object_or_404(
        Mentorship.objects.involving(request.user).select_related("mentor__user", "mentee__user"),
        pk=pk,
    )
    side = side_of(mentorship, request.user)
    if not awaits_answer(mentorship, side):
        messages.info(request, answer_state(mentorship, side))
        return redirect("matching:my_proposals")
    form = MentorshipResponseForm(request.POST, mentorship=mentorship)
    if not form.is_valid():
        return _my_proposals_page(request, bound_form=form)
    try:
        answered = mentorship_respond(
            mentorship=mentorship,
            side=side,
            accept=form.accepts,
            reason=form.cleaned_data["reason"],
        )
    except MatchingError:
        # Answered in the meantime (another tab, the e-mail link, a coordinator).
        mentorship.refresh_from_db()
        messages.info(request, answer_state(mentorship, side))
    else:
        messages.success(
            request, answer_recorded(answered, side, other_first_name(mentorship, side))
        )
    return redirect("matching:my_proposals")


def _no_longer_awaiting(request, mentorship: Mentorship, side: Side):
    return render(
        request,
        "matching/response_message.html",
        {
            "heading": "Cette proposition n'attend plus "
            + ("ta réponse" if side == Side.MENTEE else "votre réponse"),
            "message": answer_state(mentorship, side),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def respond_by_link(request, token):
    # A GET only shows the proposal: mail scanners and link previews open links too. Only the
    # form's POST answers, for the side the token was signed for.
    try:
        mentorship, side = mentorship_from_token(token)
    except ResponseLinkError as error:
        return render(
            request, "matching/response_link_invalid.html", {"message": str(error)}, status=400
        )
    if not awaits_answer(mentorship, side):
        return _no_longer_awaiting(request, mentorship, side)
    form = MentorshipResponseForm(
        request.POST if request.method == "POST" else None, mentorship=mentorship
    )
    if form.is_bound and form.is_valid():
        try:
            answered = mentorship_respond(
                mentorship=mentorship,
                side=side,
                accept=form.accepts,
                reason=form.cleaned_data["reason"],
            )
        except MatchingError:
            mentorship.refresh_from_db()
            return _no_longer_awaiting(request, mentorship, side)
        return render(
            request,
            "matching/response_message.html",
            {
                "heading": "Merci pour " + ("ta" if side == Side.MENTEE else "votre") + " réponse",
                "message": answer_recorded(answered, side, other_first_name(mentorship, side)),
            },
        )
    return render(
        request,
        "matching/respond_by_link.html",
        {"proposal": Proposal(mentorship, side, form), "action": request.path},
    )


# --- A minor's guardian objects to a proposed mentor, from the signed link of their e-mail.


def _guardian_message(request, heading: str, message: str):
    context = {"heading": heading, "message": message}
    return render(request, "matching/guardian_objection_message.html", context)


def _guardian_state(mentorship: Mentorship) -> str:
    """Where a proposal stands, for the guardian, once it no longer awaits an answer."""
    if mentorship.status == MentorshipStatus.DECLINED:
        if mentorship.decline_reason == GUARDIAN_OBJECTION:
            return (
                "Votre opposition est déjà enregistrée : cette proposition est annulée et "
                "l'équipe du programme est prévenue."
            )
        return "Cette proposition a déjà été refusée : elle est annulée, vous n'avez rien à faire."
    if mentorship.status == MentorshipStatus.ACTIVE:
        return (
            "Le mentorat a déjà commencé. Pour en parler ou pour y mettre fin, écrivez à "
            "l'équipe du programme."
        )
    return "Ce mentorat est terminé."


@never_cache
@require_http_methods(["GET", "POST"])
def guardian_objection(request, token):
    # A GET only shows the proposal and the button: mail scanners and link previews open
    # links too. Only the form's POST objects.
    try:
        mentorship = mentorship_from_guardian_token(token)
    except ConsentLinkError as error:
        return render(
            request,
            "matching/guardian_objection_message.html",
            {"heading": "Lien non valide", "message": str(error)},
            status=400,
        )
    if mentorship.status != MentorshipStatus.PROPOSED:
        return _guardian_message(
            request, "Cette proposition n'attend plus de réponse", _guardian_state(mentorship)
        )
    if request.method == "POST":
        try:
            mentorship_guardian_object(mentorship=mentorship)
        except MatchingError:
            mentorship.refresh_from_db()
            return _guardian_message(
                request, "Cette proposition n'attend plus de réponse", _guardian_state(mentorship)
            )
        return _guardian_message(
            request,
            "Votre opposition est enregistrée",
            "La proposition est annulée et l'équipe du programme est prévenue : elle vous "
            "contactera avant de proposer un autre mentor.",
        )
    return render(
        request,
        "matching/guardian_objection.html",
        {"mentee": mentorship.mentee, "mentor": mentorship.mentor},
    )
