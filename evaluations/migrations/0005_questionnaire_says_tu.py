"""Version 2 of the default questionnaire says « tu » to the young person, as every other page
and e-mail does. Version 1 stays as it was (answered versions are frozen) and keeps serving
the end questionnaire of the pairs that started on it, so their start and end compare like
with like; new pairs start on version 2. The seven scale questions keep their words, so the
programme's progress adds both versions up."""

from django.db import migrations

FAMILY = "auto-evaluation"
VOUS_INTRODUCTION = (
    "Ce questionnaire vous aide, vous et votre mentor, à mesurer le chemin parcouru. "
    "Il n'y a pas de bonne ou de mauvaise réponse. Votre mentor le lira une fois "
    "envoyé ; vous pouvez l'enregistrer et le finir plus tard."
)
TU_INTRODUCTION = (
    "Ce questionnaire t'aide, toi et ton mentor, à mesurer le chemin parcouru. "
    "Il n'y a pas de bonne ou de mauvaise réponse. Ton mentor le lira une fois "
    "envoyé ; tu peux l'enregistrer et le finir plus tard."
)
TU_WORDING = {
    "Sur quoi voulez-vous avancer en priorité ?": "Sur quoi veux-tu avancer en priorité ?",
    "Qu'attendez-vous de votre mentor ?": "Qu'attends-tu de ton mentor ?",
    "Qu'est-ce qui a changé pour vous grâce au mentorat ?": (
        "Qu'est-ce qui a changé pour toi grâce au mentorat ?"
    ),
    "Qu'avez-vous obtenu pendant le mentorat ?": "Qu'as-tu obtenu pendant le mentorat ?",
    "En un mot, comment décririez-vous votre mentorat ?": (
        "En un mot, comment décrirais-tu ton mentorat ?"
    ),
}
COPIED = ("order", "help_text", "kind", "required", "moment", "min_label", "max_label", "choices")


def add_tu_version(apps, schema_editor):
    Questionnaire = apps.get_model("evaluations", "Questionnaire")
    Question = apps.get_model("evaluations", "Question")
    current = Questionnaire.objects.filter(family=FAMILY, is_current=True).first()
    # Only the version this project shipped: an association's own version is its words.
    if current is None or current.version != 1 or current.introduction != VOUS_INTRODUCTION:
        return
    Questionnaire.objects.filter(pk=current.pk).update(is_current=False)
    version = Questionnaire.objects.create(
        family=FAMILY,
        version=2,
        title=current.title,
        introduction=TU_INTRODUCTION,
        is_current=True,
    )
    Question.objects.bulk_create(
        Question(
            questionnaire=version,
            text=TU_WORDING.get(question.text, question.text),
            **{name: getattr(question, name) for name in COPIED},
        )
        for question in Question.objects.filter(questionnaire=current).order_by("order")
    )


def remove_tu_version(apps, schema_editor):
    Questionnaire = apps.get_model("evaluations", "Questionnaire")
    Response = apps.get_model("evaluations", "Response")
    version = Questionnaire.objects.filter(
        family=FAMILY, version=2, introduction=TU_INTRODUCTION
    ).first()
    if version is None or Response.objects.filter(questionnaire=version).exists():
        return
    version.delete()
    Questionnaire.objects.filter(family=FAMILY, version=1).update(is_current=True)


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0004_response_read")]

    operations = [migrations.RunPython(add_tu_version, remove_tu_version)]
