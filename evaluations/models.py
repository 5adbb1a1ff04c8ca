from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from matching.enums import Side
from matching.models import Mentorship

from .enums import InterviewWith, Moment, QuestionKind, QuestionMoment, ResponseStatus

SCALE_MIN, SCALE_MAX = 1, 5
# The closure questionnaire's two families, one per member of the pair: the young person's
# says « tu », the mentor's « vous » (seeded by migration 0007).
CLOSURE_FAMILIES = {Side.MENTEE: "cloture-jeune", Side.MENTOR: "cloture-mentor"}


class FrozenQuestionnaireError(Exception):
    """A questionnaire version that has answers never changes: start and end answers must
    compare like with like. Create a new version instead."""


class QuestionnaireQuerySet(models.QuerySet):
    def current(self, family: str = "auto-evaluation"):
        return self.filter(family=family, is_current=True)

    def update(self, **kwargs):
        # Putting a version in or out of service is allowed; rewriting it is not.
        if set(kwargs) - {"is_current"} and self.filter(responses__isnull=False).exists():
            raise FrozenQuestionnaireError("Ce questionnaire a des réponses : il est figé.")
        return super().update(**kwargs)

    def delete(self):
        # Without this, an answered version would fail with a bare ProtectedError.
        if self.filter(responses__isnull=False).exists():
            raise FrozenQuestionnaireError("Ce questionnaire a des réponses : il est figé.")
        return super().delete()


class Questionnaire(models.Model):
    family = models.SlugField(
        "famille",
        max_length=50,
        default="auto-evaluation",
        help_text="Les versions successives d'un même questionnaire partagent leur famille.",
    )
    version = models.PositiveSmallIntegerField("version", default=1)
    title = models.CharField("titre", max_length=200)
    introduction = models.TextField("introduction", max_length=2000, blank=True)
    # New responses use the current version of their family.
    is_current = models.BooleanField("version en service", default=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        verbose_name = "questionnaire d'auto-évaluation"
        verbose_name_plural = "questionnaires d'auto-évaluation"
        ordering = ["family", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["family", "version"], name="one_version_number"),
            models.UniqueConstraint(
                fields=["family"],
                condition=models.Q(is_current=True),
                name="one_current_version",
            ),
        ]

    def __str__(self):
        return f"{self.title} (version {self.version})"

    # An integrity guard rather than domain logic: nothing may rewrite answered questions.
    def save(self, *args, **kwargs):
        if self.pk is not None and self.is_frozen():
            stored = type(self).objects.get(pk=self.pk)
            changed = [
                name
                for name in ("family", "version", "title", "introduction")
                if getattr(stored, name) != getattr(self, name)
            ]
            if changed:
                raise FrozenQuestionnaireError(
                    "Ce questionnaire a des réponses : il est figé. Créez une nouvelle version."
                )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_frozen():
            raise FrozenQuestionnaireError("Ce questionnaire a des réponses : il est figé.")
        return super().delete(*args, **kwargs)

    def is_frozen(self) -> bool:
        return self.pk is not None and self.responses.exists()


class QuestionQuerySet(models.QuerySet):
    def _guard(self):
        if self.filter(questionnaire__responses__isnull=False).exists():
            raise FrozenQuestionnaireError("Ce questionnaire a des réponses : il est figé.")

    def update(self, **kwargs):
        self._guard()
        return super().update(**kwargs)

    def delete(self):
        self._guard()
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        # bulk_create skips Question.save: adding questions to an answered version is an edit.
        objs = list(objs)
        questionnaires = {obj.questionnaire_id for obj in objs}
        if Questionnaire.objects.filter(pk__in=questionnaires, responses__isnull=False).exists():
            raise FrozenQuestionnaireError("Ce questionnaire a des réponses : il est figé.")
        return super().bulk_create(objs, *args, **kwargs)

    def for_moment(self, moment: str):
        return self.filter(moment__in=[QuestionMoment.BOTH, moment])


class Question(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField("ordre")
    text = models.CharField("question", max_length=300)
    help_text = models.CharField("aide", max_length=300, blank=True)
    kind = models.CharField("type", max_length=16, choices=QuestionKind.choices)
    required = models.BooleanField("obligatoire", default=True)
    moment = models.CharField(
        "posée", max_length=8, choices=QuestionMoment.choices, default=QuestionMoment.BOTH
    )
    min_label = models.CharField("libellé de 1", max_length=60, blank=True)
    max_label = models.CharField("libellé de 5", max_length=60, blank=True)
    # For single and multiple choice questions: the offered answers, one per item.
    choices = models.JSONField("réponses proposées", default=list, blank=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = "question"
        verbose_name_plural = "questions"
        ordering = ["questionnaire", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "order"], name="one_question_per_rank")
        ]

    def __str__(self):
        return self.text

    def save(self, *args, **kwargs):
        if self.questionnaire_id and self.questionnaire.is_frozen():
            raise FrozenQuestionnaireError(
                "Ce questionnaire a des réponses : il est figé. Créez une nouvelle version."
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.questionnaire.is_frozen():
            raise FrozenQuestionnaireError("Ce questionnaire a des réponses : il est figé.")
        return super().delete(*args, **kwargs)


class ResponseQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(status=ResponseStatus.SUBMITTED)

    def unread(self):
        """Submitted, and not yet opened by the pair's référent or a coordinator: their
        « questionnaires à lire »."""
        return self.submitted().filter(read_at__isnull=True)


class Response(models.Model):
    """A young person's self-assessment questionnaire, at the start or at the end of their
    mentoring; or, once the pair is closed, one member's closure questionnaire (`side` says
    whose: the start and end questionnaires are always the young person's)."""

    mentorship = models.ForeignKey(
        Mentorship, verbose_name="binôme", on_delete=models.PROTECT, related_name="responses"
    )
    moment = models.CharField("moment", max_length=8, choices=Moment.choices)
    side = models.CharField("rempli par", max_length=8, choices=Side.choices, default=Side.MENTEE)
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="responses"
    )
    status = models.CharField(
        "état", max_length=16, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT
    )
    started_at = models.DateTimeField("commencé le", default=timezone.now)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    submitted_at = models.DateTimeField("envoyé le", null=True, blank=True)
    reopened_at = models.DateTimeField("rouvert le", null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="rouvert par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The first staff member (the pair's référent or a coordinator) who opened it once
    # submitted: until then it waits in their « questionnaires à lire ».
    read_at = models.DateTimeField("lu le", null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="lu par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # Who reopened a submitted response, and when, is kept row by row (the fields above keep
    # only the last reopening). `updated_at` moves on every save and says nothing more; being
    # read changes nothing of the young person's words, and its first reader is on the row.
    history = HistoricalRecords(excluded_fields=["updated_at", "read_at", "read_by"])

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = "réponse au questionnaire"
        verbose_name_plural = "réponses aux questionnaires"
        constraints = [
            # Two tabs submitting at once still leave one response per pair and moment.
            models.UniqueConstraint(
                fields=["mentorship", "moment"],
                condition=models.Q(moment__in=[Moment.START, Moment.END]),
                name="one_response_per_moment",
            ),
            # And one closure questionnaire per member of the pair.
            models.UniqueConstraint(
                fields=["mentorship", "side"],
                condition=models.Q(moment=Moment.CLOSURE),
                name="one_closure_response_per_side",
            ),
            models.CheckConstraint(
                condition=models.Q(moment=Moment.CLOSURE) | models.Q(side=Side.MENTEE),
                name="self_assessment_is_the_young_persons",
            ),
        ]
        indexes = [models.Index(fields=["status", "moment"])]

    def __str__(self):
        if self.moment == Moment.CLOSURE:
            side = self.get_side_display().lower()
            return f"{self.get_moment_display()} ({side}) – {self.mentorship}"
        return f"{self.get_moment_display()} – {self.mentorship}"

    @property
    def is_submitted(self) -> bool:
        return self.status == ResponseStatus.SUBMITTED

    @property
    def is_closure(self) -> bool:
        return self.moment == Moment.CLOSURE


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    scale_value = models.PositiveSmallIntegerField("note", null=True, blank=True)
    text_value = models.TextField("réponse", max_length=2000, blank=True)
    choice_values = models.JSONField("choix", default=list, blank=True)

    class Meta:
        verbose_name = "réponse"
        verbose_name_plural = "réponses"
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="one_answer_per_question"
            ),
            models.CheckConstraint(
                condition=models.Q(scale_value__isnull=True)
                | models.Q(scale_value__gte=SCALE_MIN, scale_value__lte=SCALE_MAX),
                name="scale_value_in_range",
            ),
        ]
        indexes = [models.Index(fields=["question", "response"])]

    def __str__(self):
        return f"{self.question}"


class ClosureInterview(models.Model):
    """The closure interview (« entretien de fin ») the pair's référent, or a coordinator,
    held once the pair closed: when, with whom, and their notes. One per pair; corrections
    are kept in its history."""

    mentorship = models.OneToOneField(
        Mentorship,
        verbose_name="binôme",
        on_delete=models.PROTECT,
        related_name="closure_interview",
    )
    held_on = models.DateField("date de l'entretien")
    held_with = models.CharField("avec", max_length=8, choices=InterviewWith.choices)
    notes = models.TextField("notes", max_length=4000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="noté par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("noté le", default=timezone.now)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "entretien de fin"
        verbose_name_plural = "entretiens de fin"
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"Entretien de fin du {self.held_on:%d/%m/%Y}"
