import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Case, Count, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.models import HistoricalRecords

from mentees.models import Mentee
from mentors.models import Mentor
from users.programme import RULES

from .enums import (
    BatchStatus,
    CloseReason,
    ComplianceState,
    MentorshipStatus,
    ObjectiveStatus,
    Response,
)
from .rules import (
    DUE_SOON,
    MEETING_INTERVAL,
    PROPOSAL_UNANSWERED_AFTER,
    expected_sessions,
    minimum_start_for,
    months_between,
    next_meeting_due,
)

OPEN_STATUSES = [MentorshipStatus.PROPOSED, MentorshipStatus.ACTIVE]


def start_of_day(day: datetime.date) -> datetime.datetime:
    """Midnight of `day` in the programme's time zone: days are counted in Paris, so a
    moment is « before `day` » when it is earlier than this."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def weight_field(verbose_name: str, default: int, help_text: str):
    return models.PositiveSmallIntegerField(
        verbose_name, default=default, validators=[MaxValueValidator(100)], help_text=help_text
    )


class MatchingWeights(models.Model):
    """The weights of the compatibility score: a single row that coordinators edit in the
    admin. Only their proportions matter: the score is the weighted mean of the criteria,
    scaled to 0–100."""

    needs = weight_field(
        "besoins couverts",
        35,
        "Part des besoins du jeune pour lesquels le mentor peut aider.",
    )
    sectors = weight_field(
        "secteurs d'intérêt",
        15,
        "Part des secteurs qui intéressent le jeune que le mentor connaît "
        "(aucun point si l'un des deux n'en a indiqué aucun : critère non renseigné).",
    )
    place = weight_field(
        "lieu de rencontre",
        20,
        "Tous les points si une rencontre en personne est possible (même département, "
        "département voisin, ou même région quand le mentor s'y déplace), la moitié si la "
        "rencontre ne peut se faire qu'à distance.",
    )
    availability = weight_field(
        "disponibilités communes",
        15,
        "Part des disponibilités du jeune que le mentor partage.",
    )
    language = weight_field(
        "langue commune", 10, "Tous les points si le jeune et le mentor ont une langue en commun."
    )
    meeting_format = weight_field(
        "format",
        5,
        "Part des formats souhaités par le jeune (en présentiel, à distance) que le mentor "
        "accepte.",
    )
    availability_required = models.BooleanField(
        "exiger au moins une disponibilité commune",
        default=True,
        help_text="Coché : un binôme dont le jeune et le mentor ont indiqué des disponibilités "
        "sans aucune en commun n'est jamais proposé. Décoché : il peut l'être, et n'a aucun "
        "point sur le critère des disponibilités. Si l'un des deux n'en a indiqué aucune, le "
        "critère est non renseigné et le binôme n'est pas exclu.",
    )
    # Off by default: the rule reads the attendance staff record in « Sessions de formation »,
    # and on a programme that has recorded none yet it would keep every new mentor out of
    # matching. The national evaluation recommends a required training: coordinators turn it
    # on once the initial trainings are recorded (the staff home counts who is not trained).
    initial_training_required = models.BooleanField(
        "exiger la formation initiale avant un premier binôme",
        default=False,
        help_text="Coché : un mentor qui n'a suivi aucune formation initiale (présence notée "
        "dans « Sessions de formation ») et n'a jamais eu de binôme n'est jamais proposé. Les "
        "mentors qui ont déjà eu un binôme ne sont pas concernés. L'évaluation nationale du "
        "mentorat recommande une formation obligatoire : cochez-la une fois les présences aux "
        "formations initiales enregistrées.",
    )
    # Priority in batch matching: points added to every eligible pair of a young person, on
    # top of the pair's score out of 100 (which they do not change).
    priority_bonus = weight_field(
        "bonus public prioritaire",
        RULES.priority_public_bonus,
        "Points ajoutés à chaque binôme possible d'un jeune qui relève d'au moins un public "
        "prioritaire (QPV, ASE, NEET…). Le score sur 100 du binôme ne change pas : "
        "l'appariement par lot maximise le total score + bonus, et favorise ainsi ces jeunes "
        "quand les places manquent. 0 : aucune priorité.",
    )
    waiting_bonus_per_month = weight_field(
        "bonus par mois d'attente",
        RULES.waiting_bonus_per_month,
        "Points ajoutés par mois entier d'attente d'un mentor, comptés depuis la validation de "
        "l'inscription (un jeune dont le binôme s'est arrêté avant ses objectifs garde son "
        "attente d'origine). 0 : l'attente ne compte pas.",
    )
    waiting_bonus_cap = weight_field(
        "plafond du bonus d'attente",
        RULES.waiting_bonus_cap,
        "Au plus ce nombre de points pour l'attente, quelle qu'en soit la durée.",
    )
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "pondération de l'appariement"
        verbose_name_plural = "pondération de l'appariement"

    def __str__(self):
        return "Pondération de l'appariement"

    def clean(self):
        if not any(getattr(self, name) for name in WEIGHT_FIELDS):
            raise ValidationError("Au moins un critère doit avoir un poids supérieur à 0.")

    @classmethod
    def load(cls) -> "MatchingWeights":
        weights, _ = cls.objects.get_or_create(pk=1)
        return weights


WEIGHT_FIELDS = ["needs", "sectors", "place", "availability", "language", "meeting_format"]
BONUS_FIELDS = ["priority_bonus", "waiting_bonus_per_month", "waiting_bonus_cap"]


def _objectives_count(statuses: list[str] | None = None):
    """The number of objectives of the outer pair (with one of `statuses`), as a subquery."""
    objectives = Objective.objects.filter(mentorship=OuterRef("pk"))
    if statuses is not None:
        objectives = objectives.filter(status__in=statuses)
    count = objectives.order_by().values("mentorship").annotate(count=Count("pk")).values("count")
    return Coalesce(Subquery(count), 0)


# The date the programme's rhythm counts from: the last session of at least
# MINIMUM_SESSION_MINUTES, or the start when there is none (`rules.next_meeting_due`).
MEETING_REFERENCE = Coalesce("last_qualifying_session_on", "started_on")


def _meeting_reference_q(**bounds: datetime.date) -> Q:
    """`MEETING_REFERENCE` within `bounds` (lookups such as lt=, gte=), written on the two
    columns rather than on the Coalesce so that the database can use their values directly."""
    on_last = {f"last_qualifying_session_on__{lookup}": day for lookup, day in bounds.items()}
    on_start = {f"started_on__{lookup}": day for lookup, day in bounds.items()}
    return Q(**on_last) | Q(last_qualifying_session_on__isnull=True, **on_start)


class MentorshipQuerySet(models.QuerySet):
    def open(self):
        """Proposed or active: the pairs that hold a mentor's slot and a young person."""
        return self.filter(status__in=OPEN_STATUSES)

    def proposed(self):
        return self.filter(status=MentorshipStatus.PROPOSED)

    def active(self):
        return self.filter(status=MentorshipStatus.ACTIVE)

    def closed(self):
        return self.filter(status=MentorshipStatus.CLOSED)

    def involving(self, user):
        """The pairs `user` is a member of. Each side is matched on the user's one
        registration found by a scalar subquery, so the database reads the pairs through
        the mentor and mentee indexes: an OR across the two joined registrations made it
        scan and join every pair (60 ms instead of 1 ms with 10,000 pairs)."""
        return self.filter(
            Q(mentor=Subquery(Mentor.objects.filter(user_id=user.pk).values("pk")[:1]))
            | Q(mentee=Subquery(Mentee.objects.filter(user_id=user.pk).values("pk")[:1]))
        )

    def with_compliance(self, *, today: datetime.date | None = None):
        """Annotate the programme's rhythm in the same query: `meeting_reference` (the last
        session of at least MINIMUM_SESSION_MINUTES, or the start), `compliance` (on track,
        due soon, overdue) and the counts of objectives by status. The one definition used by
        the spaces, the admin, the reminders and the reports (`overdue` and `due_soon` are the
        same conditions as filters, `Mentorship.next_meeting_due` the same rule in Python)."""
        today = today or timezone.localdate()
        return self.annotate(
            meeting_reference=MEETING_REFERENCE,
            compliance=Case(
                # Only an active pair has a rhythm to keep: a proposed, declined or closed
                # one is never overdue (None, as `compliance_state` says).
                When(~Q(status=MentorshipStatus.ACTIVE), then=Value(None)),
                When(meeting_reference__isnull=True, then=Value(None)),
                When(
                    Q(meeting_reference__lt=today - MEETING_INTERVAL),
                    then=Value(ComplianceState.OVERDUE),
                ),
                When(
                    Q(meeting_reference__lte=today - MEETING_INTERVAL + DUE_SOON),
                    then=Value(ComplianceState.DUE_SOON),
                ),
                default=Value(ComplianceState.ON_TRACK),
                output_field=models.CharField(),
            ),
            # Counted in subqueries, not with a join and GROUP BY: the annotation then
            # composes with any other join or annotation a caller adds, and a page of pairs
            # is not grouped over every selected column.
            objectives_count=_objectives_count(),
            objectives_pending=_objectives_count(PENDING_OBJECTIVES),
        )

    def overdue(self, *, today: datetime.date | None = None):
        """Active pairs whose next meeting was due before today (`with_compliance`'s
        « overdue »)."""
        today = today or timezone.localdate()
        return self.active().filter(_meeting_reference_q(lt=today - MEETING_INTERVAL))

    def due_soon(self, *, today: datetime.date | None = None):
        """Active pairs whose next meeting falls due within DUE_SOON (today included)."""
        today = today or timezone.localdate()
        low, high = today - MEETING_INTERVAL, today - MEETING_INTERVAL + DUE_SOON
        return self.active().filter(_meeting_reference_q(gte=low, lte=high))

    def most_urgent_first(self):
        """By meeting reference, the oldest first: the pair that has waited longest for a
        meeting that counts comes first. Read from the pair's own columns."""
        return self.alias(meeting_reference=MEETING_REFERENCE).order_by("meeting_reference", "pk")

    def ready_to_close(self, *, today: datetime.date | None = None):
        """Active for 6 months, with objectives, every one of them achieved or abandoned and
        at least one achieved."""
        today = today or timezone.localdate()
        pending = Objective.objects.filter(mentorship=OuterRef("pk"), status__in=PENDING_OBJECTIVES)
        achieved = Objective.objects.filter(
            mentorship=OuterRef("pk"), status=ObjectiveStatus.ACHIEVED
        )
        return (
            self.active()
            .filter(
                started_on__lte=minimum_start_for(today),
            )
            .filter(Exists(achieved))
            .exclude(Exists(pending))
        )

    def with_ready_to_close(self, *, today: datetime.date | None = None):
        """Annotate `is_ready_to_close`: the condition of `ready_to_close` as a column, from
        the pair's counts of objectives. A column `Exists(ready_to_close())` made PostgreSQL
        compute the ready pairs of the whole table (a hashed subplan, 60 ms with 40,000
        pairs) even for a page of 100 rows; these counts are read for the listed rows only."""
        today = today or timezone.localdate()
        return self.alias(
            ready_pending=_objectives_count(PENDING_OBJECTIVES),
            ready_achieved=_objectives_count([ObjectiveStatus.ACHIEVED]),
        ).annotate(
            is_ready_to_close=Case(
                When(
                    Q(
                        status=MentorshipStatus.ACTIVE,
                        started_on__lte=minimum_start_for(today),
                        ready_achieved__gt=0,
                        ready_pending=0,
                    ),
                    then=Value(True),
                ),
                default=Value(False),
            )
        )

    def unanswered(self, *, today: datetime.date | None = None):
        """Proposals still missing an answer (the mentor's or the young person's), made more
        than PROPOSAL_UNANSWERED_AFTER ago: on or before the day 8 days back, counted in
        days."""
        today = today or timezone.localdate()
        return self.proposed().filter(
            Q(mentor_response=Response.PENDING) | Q(mentee_response=Response.PENDING),
            proposed_at__lt=start_of_day(today - PROPOSAL_UNANSWERED_AFTER),
        )

    def without_objectives(self):
        return self.active().exclude(Exists(Objective.objects.filter(mentorship=OuterRef("pk"))))


class Mentorship(models.Model):
    """A binôme: one mentor and one young person."""

    mentor = models.ForeignKey(Mentor, on_delete=models.PROTECT, related_name="mentorships")
    mentee = models.ForeignKey(
        Mentee, verbose_name="jeune", on_delete=models.PROTECT, related_name="mentorships"
    )
    status = models.CharField(
        "statut",
        max_length=16,
        choices=MentorshipStatus.choices,
        default=MentorshipStatus.PROPOSED,
        db_index=True,
    )
    # The score and its explanation as they were when the pair was proposed.
    score = models.PositiveSmallIntegerField("compatibilité")
    explanation = models.JSONField("explication", default=list)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="proposé par",
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_at = models.DateTimeField("proposé le", default=timezone.now)
    mentor_response = models.CharField(
        "réponse du mentor", max_length=16, choices=Response.choices, default=Response.PENDING
    )
    mentor_responded_at = models.DateTimeField("réponse du mentor le", null=True, blank=True)
    mentee_response = models.CharField(
        "réponse du jeune", max_length=16, choices=Response.choices, default=Response.PENDING
    )
    mentee_responded_at = models.DateTimeField("réponse du jeune le", null=True, blank=True)
    decline_reason = models.TextField("motif du refus", max_length=1000, blank=True)
    started_on = models.DateField("début du mentorat", null=True, blank=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="activé par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    introduced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="présentés l'un à l'autre par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    ended_on = models.DateField("fin du mentorat", null=True, blank=True)
    close_reason = models.CharField(
        "motif de fin", max_length=32, choices=CloseReason.choices, blank=True
    )
    close_comment = models.TextField("commentaire de fin", max_length=2000, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="clôturé par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Kept up to date by the sessions app's services, so that the programme's rhythm is read
    # from this table alone (one query for any list of pairs). The last session of any length
    # is what the pages show; the rhythm counts from the last one that qualifies.
    last_session_on = models.DateField("dernière séance", null=True, blank=True)
    last_qualifying_session_on = models.DateField(
        f"dernière séance d'au moins {RULES.session_minimum}", null=True, blank=True
    )
    qualifying_sessions = models.PositiveIntegerField(
        f"séances d'au moins {RULES.session_minimum}", default=0
    )

    history = HistoricalRecords()

    objects = MentorshipQuerySet.as_manager()

    class Meta:
        verbose_name = "binôme"
        verbose_name_plural = "binômes"
        ordering = ["-proposed_at"]
        constraints = [
            # A young person has one mentor at a time; the service says why in French, the
            # database guarantees it under concurrency.
            models.UniqueConstraint(
                fields=["mentee"],
                condition=Q(status__in=OPEN_STATUSES),
                name="one_open_mentorship_per_mentee",
            ),
        ]
        indexes = [
            models.Index(fields=["mentor", "status"]),
            models.Index(fields=["mentee", "status"]),
            # The admin's list reads the latest proposals in this order (then by id): a page
            # is read from the index instead of sorting every pair.
            models.Index(fields=["-proposed_at", "-id"], name="mentorship_latest_first"),
        ]

    def __str__(self):
        return f"{self.mentor} – {self.mentee}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    # The programme's rhythm of one pair, in Python, from the same fields as `with_compliance`.

    def next_meeting_due(self) -> datetime.date | None:
        return next_meeting_due(
            started_on=self.started_on, last_qualifying_session_on=self.last_qualifying_session_on
        )

    def compliance_state(self, *, today: datetime.date | None = None) -> str | None:
        due = self.next_meeting_due()
        if self.status != MentorshipStatus.ACTIVE or due is None:
            return None
        today = today or timezone.localdate()
        if due < today:
            return ComplianceState.OVERDUE
        if due <= today + DUE_SOON:
            return ComplianceState.DUE_SOON
        return ComplianceState.ON_TRACK

    def months_elapsed(self, *, today: datetime.date | None = None) -> int:
        if not self.started_on:
            return 0
        return months_between(self.started_on, self.ended_on or today or timezone.localdate())

    def meets_minimum_so_far(self, *, today: datetime.date | None = None) -> bool:
        """Not overdue, and one qualifying session per 45-day period already past (see
        `expected_sessions`)."""
        if not self.started_on:
            return False
        today = self.ended_on or today or timezone.localdate()
        return self.compliance_state(
            today=today
        ) != ComplianceState.OVERDUE and self.qualifying_sessions >= expected_sessions(
            self.started_on, today
        )


PENDING_OBJECTIVES = [ObjectiveStatus.OPEN, ObjectiveStatus.IN_PROGRESS]


class Objective(models.Model):
    """An objective the pair sets together at the start; the pair ends when they are met."""

    mentorship = models.ForeignKey(
        Mentorship, verbose_name="binôme", on_delete=models.CASCADE, related_name="objectives"
    )
    title = models.CharField("objectif", max_length=200)
    description = models.TextField("précisions", max_length=1000, blank=True)
    status = models.CharField(
        "état", max_length=16, choices=ObjectiveStatus.choices, default=ObjectiveStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("créé le", default=timezone.now)
    status_changed_at = models.DateTimeField("état changé le", default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "objectif"
        verbose_name_plural = "objectifs"
        ordering = ["created_at", "pk"]
        # "Ready to close" asks, per active pair, whether it has an objective in a status:
        # answered from the index rather than by reading every objective of the programme.
        indexes = [models.Index(fields=["mentorship", "status"])]

    def __str__(self):
        return self.title

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING_OBJECTIVES


class MatchingBatch(models.Model):
    """One run of batch matching: computed in a Celery task, then confirmed by a coordinator."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="lancé par",
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("lancé le", default=timezone.now)
    # None: every young person awaiting a mentor when the task runs.
    mentee_ids = models.JSONField("jeunes retenus", null=True, blank=True)
    # The antenne whose young people and mentors are matched; None: a national batch, every
    # antenne's young people (and the national programme's) each with mentors of their own
    # antenne. A batch means nothing once its antenne is gone (its pairs are kept).
    antenne = models.ForeignKey(
        "users.Antenne",
        verbose_name="antenne",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        "statut", max_length=16, choices=BatchStatus.choices, default=BatchStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField("avancement (%)", default=0)
    result = models.JSONField("résultat", null=True, blank=True)
    error = models.TextField("erreur", blank=True)
    confirmed_at = models.DateTimeField("confirmé le", null=True, blank=True)

    class Meta:
        verbose_name = "appariement par lot"
        verbose_name_plural = "appariements par lot"
        ordering = ["-created_at"]

    def __str__(self):
        # In Paris time: the moment the coordinator started it, as they read their clock.
        return f"Lot du {date_format(timezone.localtime(self.created_at), 'd/m/Y à H:i')}"
