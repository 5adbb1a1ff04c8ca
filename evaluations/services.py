from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from matching.enums import MentorshipStatus, Side
from matching.models import Mentorship
from users.errors import ServiceError
from users.models import User
from users.scopes import may_act_on

from .enums import Moment, QuestionKind, ResponseStatus
from .models import (
    CLOSURE_FAMILIES,
    SCALE_MAX,
    SCALE_MIN,
    Answer,
    Question,
    Questionnaire,
    Response,
)

SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 2000

# The young person is told « tu », the mentor « vous » (their closure questionnaire).
WORDS = {
    Side.MENTEE: {
        "scale": f"Choisis une réponse de {SCALE_MIN} à {SCALE_MAX}.",
        "single": "Choisis une des réponses proposées.",
        "multiple": "Choisis parmi les réponses proposées.",
        "too_long": "Écris au plus {limit} caractères (tu en as écrit {length}).",
        "required": "Réponds à cette question : elle est obligatoire.",
    },
    Side.MENTOR: {
        "scale": f"Choisissez une réponse de {SCALE_MIN} à {SCALE_MAX}.",
        "single": "Choisissez une des réponses proposées.",
        "multiple": "Choisissez parmi les réponses proposées.",
        "too_long": "Écrivez au plus {limit} caractères (vous en avez écrit {length}).",
        "required": "Répondez à cette question : elle est obligatoire.",
    },
}
NOT_YOURS = "Seul le jeune du binôme remplit ce questionnaire."
NOT_YOURS_CLOSURE = "Seuls les membres du binôme remplissent leur questionnaire de clôture."


class QuestionnaireError(ServiceError):
    """`errors` maps a question's id (or None) to a French message shown beside it."""


def questionnaire_for(*, mentorship: Mentorship, moment: Moment) -> Questionnaire:
    """The start uses the current version; the end uses the start's version, so the two
    always compare like with like."""
    if moment == Moment.END:
        start = Response.objects.filter(mentorship=mentorship, moment=Moment.START).first()
        if start is not None:
            return start.questionnaire
    return Questionnaire.objects.current().get()


def _may_answer(mentorship: Mentorship, moment: Moment) -> bool:
    if moment == Moment.START:
        return mentorship.status in (MentorshipStatus.ACTIVE, MentorshipStatus.CLOSED)
    if mentorship.status == MentorshipStatus.CLOSED:
        return True
    # "Closing": the pair is ready to close (6 months, objectives achieved).
    return Mentorship.objects.ready_to_close().filter(pk=mentorship.pk).exists()


@transaction.atomic
def response_open(*, mentorship: Mentorship, moment: Moment, author: User) -> Response:
    """The young person's response for this pair and moment, created on first visit."""
    mentorship = Mentorship.objects.select_related("mentee").get(pk=mentorship.pk)
    if mentorship.mentee.user_id != author.pk:
        raise QuestionnaireError({None: NOT_YOURS})
    existing = Response.objects.filter(mentorship=mentorship, moment=moment).first()
    if existing is not None:
        return existing
    if not _may_answer(mentorship, moment):
        raise QuestionnaireError(
            {
                None: "Le questionnaire de début s'ouvre quand le mentorat commence."
                if moment == Moment.START
                else "Le questionnaire de fin s'ouvre quand le mentorat se termine."
            }
        )
    try:
        # Two tabs opening the questionnaire at once: the second one reads the first's row.
        with transaction.atomic():
            return Response.objects.create(
                mentorship=mentorship,
                moment=moment,
                questionnaire=questionnaire_for(mentorship=mentorship, moment=moment),
            )
    except IntegrityError:
        return Response.objects.get(mentorship=mentorship, moment=moment)


def member_side(mentorship: Mentorship, user: User) -> Side | None:
    """The side `user` holds in the pair (its members loaded), or None."""
    if mentorship.mentor.user_id == user.pk:
        return Side.MENTOR
    if mentorship.mentee.user_id == user.pk:
        return Side.MENTEE
    return None


@transaction.atomic
def closure_response_open(*, mentorship: Mentorship, author: User) -> Response:
    """The closure questionnaire of `author`'s side of a closed pair, created on first visit
    on the current version of that side's family. One per member of the pair."""
    mentorship = Mentorship.objects.select_related("mentor", "mentee").get(pk=mentorship.pk)
    side = member_side(mentorship, author)
    if side is None:
        raise QuestionnaireError({None: NOT_YOURS_CLOSURE})
    existing = Response.objects.filter(
        mentorship=mentorship, moment=Moment.CLOSURE, side=side
    ).first()
    if existing is not None:
        return existing
    if mentorship.status != MentorshipStatus.CLOSED:
        raise QuestionnaireError(
            {None: "Le questionnaire de clôture s'ouvre quand le mentorat se termine."}
        )
    try:
        # Two tabs opening it at once: the second one reads the first's row.
        with transaction.atomic():
            return Response.objects.create(
                mentorship=mentorship,
                moment=Moment.CLOSURE,
                side=side,
                questionnaire=Questionnaire.objects.current(CLOSURE_FAMILIES[side]).get(),
            )
    except IntegrityError:
        return Response.objects.get(mentorship=mentorship, moment=Moment.CLOSURE, side=side)


def _is_empty(value) -> bool:
    return value is None or value == "" or value == []


def _clean_answer(question: Question, value, words: dict[str, str]):
    """The stored form of one answer, or a French reason why it is refused."""
    if question.kind == QuestionKind.SCALE:
        try:
            number = int(value)
        except (TypeError, ValueError):
            return None, words["scale"]
        if not SCALE_MIN <= number <= SCALE_MAX:
            return None, words["scale"]
        return {"scale_value": number}, None
    if question.kind == QuestionKind.SINGLE_CHOICE:
        if value not in question.choices:
            return None, words["single"]
        return {"choice_values": [value]}, None
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        values = list(value) if isinstance(value, list | tuple) else [value]
        if any(item not in question.choices for item in values):
            return None, words["multiple"]
        return {"choice_values": values}, None
    text = str(value).strip()
    limit = SHORT_TEXT_MAX if question.kind == QuestionKind.SHORT_TEXT else LONG_TEXT_MAX
    if len(text) > limit:
        return None, words["too_long"].format(limit=limit, length=len(text))
    return {"text_value": text}, None


def respondent_id(response: Response) -> int:
    """The user who fills `response`: the young person, or for a closure questionnaire the
    member of its side (the pair's members loaded)."""
    members = response.mentorship
    return members.mentor.user_id if response.side == Side.MENTOR else members.mentee.user_id


@transaction.atomic
def response_save(
    *, response: Response, author: User, answers: dict[int, object], submit: bool
) -> Response:
    """Save a draft (missing answers allowed) or submit (every required answer present).
    Invalid values are refused either way; a submitted response is locked."""
    response = (
        Response.objects.select_for_update()
        .select_related("mentorship__mentee", "mentorship__mentor")
        .get(pk=response.pk)
    )
    if respondent_id(response) != author.pk:
        raise QuestionnaireError({None: NOT_YOURS_CLOSURE if response.is_closure else NOT_YOURS})
    words = WORDS[Side(response.side)]
    if response.is_submitted:
        raise QuestionnaireError({None: "Ce questionnaire est déjà envoyé : il ne change plus."})
    questions = list(response.questionnaire.questions.for_moment(response.moment))
    existing = {answer.question_id: answer for answer in response.answers.all()}
    errors: dict[int | None, str] = {}
    cleaned: dict[int, dict | None] = {}
    for question in questions:
        value = answers.get(question.pk)
        if _is_empty(value):
            cleaned[question.pk] = None
            if submit and question.required:
                errors[question.pk] = words["required"]
            continue
        stored, error = _clean_answer(question, value, words)
        if error:
            errors[question.pk] = error
        cleaned[question.pk] = stored
    if errors:
        raise QuestionnaireError(errors)
    blank = {"scale_value": None, "text_value": "", "choice_values": []}
    to_create, to_update, to_delete = [], [], []
    for question in questions:
        stored = cleaned[question.pk]
        answer = existing.get(question.pk)
        if stored is None:
            if answer is not None:
                to_delete.append(answer.pk)
            continue
        values = blank | stored
        if answer is None:
            to_create.append(Answer(response=response, question=question, **values))
        else:
            for name, value in values.items():
                setattr(answer, name, value)
            to_update.append(answer)
    Answer.objects.filter(pk__in=to_delete).delete()
    Answer.objects.bulk_create(to_create)
    Answer.objects.bulk_update(to_update, ["scale_value", "text_value", "choice_values"])
    if submit:
        response.status = ResponseStatus.SUBMITTED
        response.submitted_at = timezone.now()
        # Sent again after a reopening: new words, to be read again.
        response.read_at = None
        response.read_by = None
    response.save()
    return response


def _reads_as_staff(response: Response, reader: User) -> bool:
    """The pair's référent, or a coordinator whose scope holds the pair (the national
    coordination, or that of the young person's or the mentor's antenne); never one of the
    pair's own members."""
    if not (reader.is_authenticated and reader.is_active and reader.is_staff):
        return False
    mentor_user, mentee_user, referent, *antennes = (
        Mentorship.objects.filter(pk=response.mentorship_id)
        .values_list(
            "mentor__user_id",
            "mentee__user_id",
            "mentor__referent_id",
            "mentor__antenne_id",
            "mentee__antenne_id",
        )
        .get()
    )
    if reader.pk in (mentor_user, mentee_user):
        return False
    return may_act_on(reader, referent_id=referent, antenne_ids=lambda: antennes)


def response_mark_read(*, response: Response, reader: User) -> bool:
    """The response leaves the « à lire » lists once its first staff reader (the pair's
    référent or a coordinator) has opened it. A member opening it, a draft, or a response
    already read changes nothing. Returns whether this call marked it."""
    if response.read_at is not None or not response.is_submitted:
        return False
    if not _reads_as_staff(response, reader):
        return False
    now = timezone.now()
    # Conditional update: of two staff opening it at once, the first one stays its reader;
    # `updated_at` and the history stay as they are (reading changes nothing in it).
    marked = Response.objects.filter(
        pk=response.pk, status=ResponseStatus.SUBMITTED, read_at__isnull=True
    ).update(read_at=now, read_by=reader)
    if marked:
        response.read_at, response.read_by = now, reader
    return bool(marked)


def _pair_antennes(mentorship_id: int):
    """The antennes of a pair's mentor and young person, read when a check needs them."""
    return lambda: (
        Mentorship.objects.filter(pk=mentorship_id)
        .values_list("mentor__antenne_id", "mentee__antenne_id")
        .get()
    )


@transaction.atomic
def response_reopen(*, response: Response, reopened_by: User) -> Response:
    """The coordination only, of the pair's antennes (the national one: any pair)."""
    if not may_act_on(reopened_by, antenne_ids=_pair_antennes(response.mentorship_id)):
        raise QuestionnaireError({None: "Seule la coordination peut rouvrir un questionnaire."})
    response = Response.objects.select_for_update().get(pk=response.pk)
    response.status = ResponseStatus.DRAFT
    response.reopened_at = timezone.now()
    response.reopened_by = reopened_by
    response._history_user = reopened_by
    response._change_reason = "Rouvert par la coordination"
    response.save()
    return response


@transaction.atomic
def questionnaire_new_version(*, questionnaire: Questionnaire) -> Questionnaire:
    """A copy of a questionnaire as the next version of its family, not yet in service,
    ready to be edited (the answered version stays frozen)."""
    latest = Questionnaire.objects.filter(family=questionnaire.family).aggregate(Max("version"))[
        "version__max"
    ]
    copy = Questionnaire.objects.create(
        family=questionnaire.family,
        version=latest + 1,
        title=questionnaire.title,
        introduction=questionnaire.introduction,
        is_current=False,
    )
    Question.objects.bulk_create(
        Question(
            questionnaire=copy,
            order=question.order,
            text=question.text,
            help_text=question.help_text,
            kind=question.kind,
            required=question.required,
            moment=question.moment,
            min_label=question.min_label,
            max_label=question.max_label,
            choices=question.choices,
        )
        for question in questionnaire.questions.all()
    )
    return copy


@transaction.atomic
def questionnaire_make_current(*, questionnaire: Questionnaire) -> Questionnaire:
    """New start questionnaires use this version from now on; pairs already started keep
    theirs for the end questionnaire."""
    if not questionnaire.questions.exists():
        raise QuestionnaireError({None: "Un questionnaire sans question ne peut pas servir."})
    Questionnaire.objects.filter(family=questionnaire.family, is_current=True).exclude(
        pk=questionnaire.pk
    ).update(is_current=False)
    questionnaire.is_current = True
    questionnaire.save(update_fields=["is_current"])
    return questionnaire
