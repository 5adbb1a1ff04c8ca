"""Every page of the site, each with the person who asks for it: the benchmark's list of what it
measures under load (issue 18: every member page, every staff page, the forms) and of what it
does not, with the reason (a POST, a redirect, a one-off signed link).

The list is declarative (`SPECS`, and for each model of the admin its changelist and change
page), so that a test can check it against the project's URLs; `cast()` then finds, in the
data set at hand, the people and the objects the URLs need, by the same rule in the small and
the national data sets. A page whose object the data set lacks (no proposal waiting for an
answer, no batch) is listed as such and not measured.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib import admin
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from evaluations.enums import Moment, ResponseStatus
from evaluations.models import Response
from matching.capacity import open_pairs_count
from matching.enums import MentorshipStatus
from matching.models import MatchingBatch, Mentorship
from matching.selectors import mentees_awaiting_mentor
from mentorat.demo.national import NATIONAL_DOMAIN
from mentorat.demo.programme import REFERENT_PREFIX
from mentorat.demo.seed import COORDINATOR_EMAIL, PRESCRIBER_EMAIL
from mentors.models import Mentor
from sessions.models import Session
from users.antennes import Antenne, AntenneMembership
from users.enums import AntenneRole
from users.models import User
from users.programme import EDIT_WINDOW

NATIONAL = f"@{NATIONAL_DOMAIN}"
VISITOR = "visitor"
STAFF_ROLES = ("coordinator", "antenne coordinator", "referent", "pair referent")
ANTENNE_COORDINATOR = "antenne coordinator"


@dataclass(frozen=True)
class Spec:
    """One page: its URL name, who asks for it, its arguments (keys of `Cast.objects`, or
    literals written `name=value`), and what it answers."""

    name: str
    who: str
    args: tuple[str, ...] = ()
    label: str = ""
    status: int = 200

    @property
    def kind(self) -> str:
        if self.who == VISITOR:
            return "public"
        return "staff" if self.who in STAFF_ROLES else "member"

    def title(self) -> str:
        label = self.label or self.name
        return f"{label} ({self.who})" if self.who != VISITOR else label


# The pages a person opens, beyond the admin's ModelAdmin pages (generated below).
SPECS = (
    # The reference of every ratio: the load balancer's probe, a bare Django view.
    Spec("health", VISITOR, label="bare view (/sante/)"),
    # Public pages, the registration forms first (issue 18's forms).
    Spec("mentors:register", VISITOR, label="mentor registration form"),
    Spec("mentees:register", VISITOR, label="young person registration form"),
    Spec("home", VISITOR),
    Spec("privacy", VISITOR),
    Spec("mentors:registration_done", VISITOR),
    Spec("mentees:registration_done", VISITOR),
    Spec("login", VISITOR),
    Spec("password_reset", VISITOR),
    Spec("password_reset_done", VISITOR),
    Spec("password_reset_complete", VISITOR),
    # Members: a mentor with active pairs, the young person of one of them.
    Spec("spaces:home", "mentor"),
    Spec("spaces:home", "young person"),
    Spec("spaces:pair", "mentor", ("pair",)),
    Spec("spaces:pair", "young person", ("pair",)),
    Spec("matching:my_proposals", "young person"),
    Spec("matching:objective_add", "young person", ("pair",)),
    Spec("matching:objective_edit", "young person", ("objective",)),
    Spec("sessions:list", "mentor", ("pair",)),
    Spec("sessions:log", "mentor", ("pair",)),
    Spec("sessions:plan_meeting", "mentor", ("pair",)),
    Spec("sessions:meeting_ics", "mentor", ("planned pair",)),
    Spec("sessions:detail", "mentor", ("session",)),
    # Its author edits a session for a while after logging it: one logged lately.
    Spec("sessions:update", "session author", ("recent session",)),
    Spec("sessions:evaluate", "mentor", ("session",)),
    Spec("evaluations:fill", "questionnaire young person", ("fill pair", "moment=debut")),
    Spec("evaluations:progress", "closed mentor", ("closed pair",)),
    Spec("evaluations:response", "closed mentor", ("response",)),
    Spec("evaluations:closure", "closed mentor", ("closed pair",)),
    Spec("reminders:preferences", "mentor"),
    Spec("reminders:received", "mentor"),
    Spec("spaces:my_data", "mentor"),
    Spec("spaces:my_data_json", "mentor"),
    Spec("spaces:trainings", "mentor"),
    Spec("spaces:attestation", "mentor"),
    Spec("password_change", "mentor"),
    Spec("password_change_done", "mentor"),
    # A prescriber (a member who owes the second factor) and their referral.
    Spec("prescribers:home", "prescriber"),
    Spec("prescribers:refer", "prescriber"),
    Spec("prescribers:referral", "prescriber", ("referral",)),
    # Staff: the référents' pages.
    Spec("admin:referent_home", "referent"),
    Spec("sessions:follow_up", "pair referent", ("session",)),
    Spec("two_factor_setup", "referent"),
    # Staff: the coordinators' pages (each ModelAdmin's pages are generated below).
    Spec("admin:index", "coordinator"),
    Spec("admin:app_list", "coordinator", ("app_label=matching",)),
    Spec("admin:technical_index", "coordinator"),
    Spec("admin:jsi18n", "coordinator"),
    Spec("admin:password_change", "coordinator"),
    Spec("admin:password_change_done", "coordinator"),
    Spec("admin:staff_home", "coordinator"),
    Spec("admin:dashboard", "coordinator"),
    Spec("admin:dashboard_export", "coordinator", ("what=binomes", "fmt=csv")),
    Spec("admin:bilan", "coordinator"),
    Spec("admin:bilan_export", "coordinator"),
    Spec("admin:closure_interview", "coordinator", ("closed pair",)),
    Spec("admin:privacy_person", "coordinator", ("person",)),
    Spec("admin:privacy_person_export", "coordinator", ("person",)),
    Spec("admin:privacy_person_anonymise", "coordinator", ("person",)),
    Spec("admin:auth_user_password_change", "coordinator", ("person",)),
    Spec("admin:mentees_mentee_matching", "coordinator", ("waiting",)),
    Spec("admin:mentors_mentor_matching", "coordinator", ("free mentor",)),
    Spec("admin:mentees_mentee_reject", "coordinator", ("waiting",)),
    Spec("admin:mentors_mentor_reject", "coordinator", ("free mentor",)),
    Spec("admin:mentees_mentee_antenne", "coordinator", ("waiting",)),
    Spec("admin:mentors_mentor_antenne", "coordinator", ("free mentor",)),
    Spec("admin:matching_mentorship_activate", "coordinator", ("proposal",)),
    Spec("admin:matching_mentorship_close", "coordinator", ("pair",)),
    Spec("admin:matching_matchingbatch_start", "coordinator"),
    Spec("admin:matching_matchingbatch_result", "coordinator", ("batch",)),
    # The same staff pages as an antenne coordinator (issue 17: under the same targets),
    # with the people of their antenne.
    Spec("admin:staff_home", ANTENNE_COORDINATOR),
    Spec("admin:dashboard", ANTENNE_COORDINATOR),
    Spec("admin:bilan", ANTENNE_COORDINATOR),
    Spec("admin:bilan_export", ANTENNE_COORDINATOR),
    Spec("admin:mentees_mentee_matching", ANTENNE_COORDINATOR, ("antenne waiting",)),
    Spec("admin:mentors_mentor_matching", ANTENNE_COORDINATOR, ("antenne free mentor",)),
)

# The admin's changelists an antenne coordinator is measured on: the lists the scope narrows
# to their antenne (the key pages' lists).
ANTENNE_CHANGELISTS = (
    "mentors.mentor",
    "mentees.mentee",
    "matching.mentorship",
    "mentoring_sessions.session",
    "evaluations.response",
    "reminders.reminder",
)
# A changelist that answers otherwise: the weights are one row, whose page it sends to.
CHANGELIST_STATUS = {"matching.matchingweights": 302}
# The object whose change page is measured, for the models where it matters which (the
# young person's page ranks the candidates; the others are the busiest rows); any other model:
# its first row.
CHANGE_OBJECTS = {
    "mentees.mentee": "waiting",
    "mentors.mentor": "free mentor",
    "matching.mentorship": "pair",
    "mentoring_sessions.session": "session",
    "evaluations.response": "response",
    "users.user": "person",
}
# The ModelAdmin URLs not measured: the changelist and the change page of each model are.
ADMIN_SUFFIXES_NOT_MEASURED = {
    "add": "an empty form of the model (its change page, the same form filled, is measured)",
    "history": "one object's history, opened rarely",
    "delete": "a confirmation before a deletion",
    "object": "a redirect to the change page",
    "simple_history": "one historical version of an object, opened rarely",
}

# The project's URLs that are not pages a person opens by a GET, with the reason.
NOT_MEASURED = {
    "landing": "a redirect to the person's space",
    "favicon": "a redirect to a static file",
    "logout": "a POST",
    "admin:logout": "a POST",
    "admin:login": "a redirect for staff already logged in (the site's login page is measured)",
    "two_factor_verify": "a redirect once the code is given",
    "matching:respond": "a POST (the buttons of « mes propositions »)",
    "spaces:training_sign_up": "a POST (a button of the trainings page)",
    "spaces:training_cancel": "a POST (a button of the trainings page)",
    "admin:referent_follow_up": "a POST (a button of the référent's home)",
    "admin:referent_exchange": "a POST (a form of the référent's home)",
    "admin:mentees_mentee_propose": "a POST (a button of the matching page)",
    "admin:mentors_mentor_propose": "a POST (a button of the matching page)",
    "admin:mentees_mentee_approve": "a POST (a button of the young person's page)",
    "admin:mentees_mentee_publics": "a POST (a form of the young person's page)",
    "admin:mentors_mentor_approve": "a POST (its GET sends back to the mentor's page)",
    "admin:matching_matchingbatch_confirm": "a POST (its GET sends back to the batch)",
    "admin:autocomplete": "the admin's select boxes' searches, no page",
    "admin:view_on_site": "no model has a page on the site",
    "mentees:guardian_consent": "a signed link from an e-mail, one person's, used once",
    "matching:respond_by_link": "a signed link from an e-mail, one person's, used once",
    "matching:guardian_objection": "a signed link from an e-mail, one person's, used once",
    "password_reset_confirm": "a signed link from an e-mail, one person's, used once",
    "prescribers:register": "a signed link from an e-mail, one person's, used once",
}


def admin_models() -> list[str]:
    """Every model of the admin, as `app_label.model_name`."""
    return sorted(f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry)


def admin_specs() -> list[Spec]:
    """Each ModelAdmin's changelist and change page as the national coordinator, and the
    lists an antenne coordinator's scope narrows as them too."""
    specs = []
    for model in admin_models():
        url = model.replace(".", "_")
        specs.append(
            Spec(
                f"admin:{url}_changelist",
                "coordinator",
                label=f"admin: {model} list",
                status=CHANGELIST_STATUS.get(model, 200),
            )
        )
        key = CHANGE_OBJECTS.get(model, f"first {model}")
        specs.append(
            Spec(f"admin:{url}_change", "coordinator", (key,), label=f"admin: {model} page")
        )
    for model in ANTENNE_CHANGELISTS:
        specs.append(
            Spec(
                f"admin:{model.replace('.', '_')}_changelist",
                ANTENNE_COORDINATOR,
                label=f"admin: {model} list",
            )
        )
    return specs


def all_specs() -> list[Spec]:
    return [*SPECS, *admin_specs()]


@dataclass
class Cast:
    """The people who ask for the pages and the objects in their URLs, found in the data set."""

    users: dict[str, User | None] = field(default_factory=dict)
    objects: dict[str, object] = field(default_factory=dict)

    def url(self, spec: Spec) -> str | None:
        """The spec's URL, or None when the data set lacks its person or an object."""
        if spec.who != VISITOR and self.users.get(spec.who) is None:
            return None
        values = []
        for arg in spec.args:
            _, literal, value = arg.partition("=")
            if literal:
                values.append(value)
                continue
            value = self.objects.get(arg)
            if value is None:
                return None
            values.append(value)
        return reverse(spec.name, args=values)


@dataclass(frozen=True)
class Entry:
    """A spec found in the data set: its URL and its person (None: a visitor)."""

    spec: Spec
    url: str
    user: User | None

    @property
    def label(self) -> str:
        return self.spec.title()


def entries(cast: Cast, specs: Iterable[Spec] | None = None) -> tuple[list[Entry], list[Spec]]:
    """The specs' pages in the data set, and the specs it has no person or object for."""
    found, missing = [], []
    for spec in all_specs() if specs is None else specs:
        url = cast.url(spec)
        if url is None:
            missing.append(spec)
        else:
            found.append(Entry(spec, url, cast.users.get(spec.who)))
    return found, missing


def cast() -> Cast:
    """The people and objects of the pages, chosen by the same rule in any data set: the
    busiest mentor and their busiest pair, the national coordinator, the coordinator of the
    antenne with the most young people (the worst case), and so on."""
    mentor = (
        Mentor.objects.filter(user__email__endswith=NATIONAL)
        .annotate(
            active=Count("mentorships", filter=Q(mentorships__status=MentorshipStatus.ACTIVE))
        )
        .order_by("-active", "pk")
        .select_related("user", "referent")
        .first()
    )
    pair = (
        mentor.mentorships.filter(status=MentorshipStatus.ACTIVE)
        .annotate(held=Count("sessions"))
        .order_by("-held", "pk")
        .select_related("mentee__user")
        .first()
        if mentor
        else None
    )
    draft = (
        Response.objects.filter(
            moment=Moment.START,
            status=ResponseStatus.DRAFT,
            mentorship__status=MentorshipStatus.ACTIVE,
            mentorship__mentee__user__email__endswith=NATIONAL,
        )
        .order_by("pk")
        .select_related("mentorship__mentee__user")
        .first()
    )
    # Without a draft (a tiny data set), a pair without a start questionnaire: the first
    # request, a warm-up one, opens the draft.
    fill_pair = (
        draft.mentorship
        if draft
        else Mentorship.objects.active()
        .filter(mentee__user__email__endswith=NATIONAL, responses__isnull=True)
        .order_by("pk")
        .select_related("mentee__user")
        .first()
    )
    closed = (
        Response.objects.filter(
            moment=Moment.END,
            status=ResponseStatus.SUBMITTED,
            mentorship__mentee__user__email__endswith=NATIONAL,
        )
        .order_by("pk")
        .select_related("mentorship__mentor__user")
        .first()
    )
    antenne = (
        Antenne.objects.annotate(young_people=Count("mentees"))
        .order_by("-young_people", "pk")
        .first()
    )
    antenne_coordinator = (
        AntenneMembership.objects.filter(
            antenne=antenne, role=AntenneRole.COORDINATOR, user__email__endswith=NATIONAL
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    prescriber = User.objects.filter(email=PRESCRIBER_EMAIL).first()
    recent = (
        Session.objects.filter(
            mentorship__mentee__user__email__endswith=NATIONAL,
            logged_at__gt=timezone.now() - EDIT_WINDOW,
        )
        .order_by("-logged_at", "pk")
        .select_related("logged_by")
        .first()
    )
    session = (
        pair.sessions.filter(logged_by=mentor.user_id).order_by("-held_on", "-pk").first()
        if pair
        else None
    )
    result = Cast(
        users={
            "mentor": mentor.user if mentor else None,
            "young person": pair.mentee.user if pair else None,
            "questionnaire young person": fill_pair.mentee.user if fill_pair else None,
            "closed mentor": closed.mentorship.mentor.user if closed else None,
            "prescriber": prescriber,
            "referent": User.objects.filter(email=f"{REFERENT_PREFIX}-0001{NATIONAL}").first(),
            "pair referent": mentor.referent if mentor else None,
            "session author": recent.logged_by if recent else None,
            "coordinator": User.objects.filter(email=COORDINATOR_EMAIL).first(),
            ANTENNE_COORDINATOR: antenne_coordinator.user if antenne_coordinator else None,
        },
        objects={
            "pair": pair.pk if pair else None,
            "session": session.pk if session else None,
            "recent session": recent.pk if recent else None,
            "objective": pair.objectives.order_by("pk").values_list("pk", flat=True).first()
            if pair
            else None,
            "planned pair": Mentorship.objects.filter(mentor=mentor, planned_meeting__isnull=False)
            .values_list("pk", flat=True)
            .first()
            if mentor
            else None,
            "fill pair": fill_pair.pk if fill_pair else None,
            "closed pair": closed.mentorship_id if closed else None,
            "response": closed.pk if closed else None,
            "person": pair.mentee.user_id if pair else None,
            "referral": prescriber.prescriber.referrals.order_by("pk")
            .values_list("pk", flat=True)
            .first()
            if prescriber is not None and hasattr(prescriber, "prescriber")
            else None,
            "proposal": Mentorship.objects.filter(status=MentorshipStatus.PROPOSED)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first(),
            "batch": MatchingBatch.objects.order_by("-pk").values_list("pk", flat=True).first(),
        },
    )
    result.objects |= _matching_people(None, prefix="")
    if antenne is not None:
        result.objects |= _matching_people(antenne, prefix="antenne ")
    for model in admin_models():
        if model in CHANGE_OBJECTS:
            continue
        registered = next(
            m for m in admin.site._registry if f"{m._meta.app_label}.{m._meta.model_name}" == model
        )
        result.objects[f"first {model}"] = (
            registered._default_manager.order_by("pk").values_list("pk", flat=True).first()
        )
    return result


def _matching_people(antenne: Antenne | None, *, prefix: str) -> dict[str, int | None]:
    """One young person waiting for a mentor and one mentor with a free place (of `antenne`,
    or of the whole national data set): each matching page ranks the pool of candidates."""
    waiting = mentees_awaiting_mentor().filter(user__email__endswith=NATIONAL)
    mentors = Mentor.objects.approved().filter(user__email__endswith=NATIONAL)
    if antenne is not None:
        waiting, mentors = waiting.filter(antenne=antenne), mentors.filter(antenne=antenne)
    free = mentors.annotate(open_pairs=open_pairs_count()).filter(open_pairs__lt=F("capacity"))
    return {
        f"{prefix}waiting": waiting.order_by("pk").values_list("pk", flat=True).first(),
        f"{prefix}free mentor": free.order_by("pk").values_list("pk", flat=True).first(),
    }
