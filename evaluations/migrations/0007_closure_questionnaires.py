"""The closure questionnaires (version 1 of each family): once a pair is closed, the young
person (« tu ») and the mentor (« vous ») each say what went well, whether they would
recommend the programme, whether they would start again, and anything else for the team.
Versioned like the self-assessment: an answered version is frozen, a new one is made in the
admin. The dashboard sums the answers by the questions' order and words."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

COORDINATORS_GROUP = "coordinateurs"
REFERENTS_GROUP = "référents"
# The closure interviews: coordinators have every permission of the programme's apps, the
# référents read (and write through their own page, not the admin).
INTERVIEW_MODELS = ["closureinterview", "historicalclosureinterview"]

SCALE, SINGLE, LONG = "scale", "single_choice", "long_text"
AGAIN = ["Oui", "Non", "Peut-être"]
RECOMMEND = ("Pas du tout", "Oui, sans hésiter")

# family: (title, introduction, [(text, help text, kind, required, labels or choices)])
FAMILIES = {
    "cloture-jeune": (
        "Questionnaire de clôture du mentorat",
        "Ton mentorat est terminé : dis-nous en quelques questions comment il s'est passé. "
        "Tes réponses sont lues par l'équipe du programme et le référent de ton mentor, pas "
        "par ton mentor ; elles nous aident à améliorer le programme. Tu peux enregistrer un "
        "brouillon et le finir plus tard.",
        [
            ("Qu'est-ce qui s'est bien passé pendant ton mentorat ?", "", LONG, True, None),
            (
                "Recommanderais-tu le programme à un ami ou une amie ?",
                "",
                SCALE,
                True,
                RECOMMEND,
            ),
            ("Aimerais-tu avoir un mentor à nouveau ?", "", SINGLE, True, AGAIN),
            (
                "Un commentaire pour l'équipe du programme ?",
                "Facultatif : ce qui aurait pu être mieux, une idée, un merci.",
                LONG,
                False,
                None,
            ),
        ],
    ),
    "cloture-mentor": (
        "Questionnaire de clôture du mentorat",
        "Ce mentorat est terminé : dites-nous en quelques questions comment il s'est passé. "
        "Vos réponses sont lues par votre référent et l'équipe du programme, pas par le "
        "jeune ; elles nous aident à améliorer le programme. Vous pouvez enregistrer un "
        "brouillon et le finir plus tard.",
        [
            ("Qu'est-ce qui s'est bien passé pendant ce mentorat ?", "", LONG, True, None),
            (
                "Recommanderiez-vous le programme à une personne de votre entourage ?",
                "",
                SCALE,
                True,
                RECOMMEND,
            ),
            ("Souhaitez-vous accompagner un autre jeune ?", "", SINGLE, True, AGAIN),
            (
                "Un commentaire pour l'équipe du programme ?",
                "Facultatif : ce qui aurait pu être mieux, une idée, une difficulté.",
                LONG,
                False,
                None,
            ),
        ],
    ),
}


def create_closure_questionnaires(apps, schema_editor):
    Questionnaire = apps.get_model("evaluations", "Questionnaire")
    Question = apps.get_model("evaluations", "Question")
    for family, (title, introduction, questions) in FAMILIES.items():
        if Questionnaire.objects.filter(family=family).exists():
            continue
        questionnaire = Questionnaire.objects.create(
            family=family, version=1, title=title, introduction=introduction, is_current=True
        )
        Question.objects.bulk_create(
            Question(
                questionnaire=questionnaire,
                order=order,
                text=text,
                help_text=help_text,
                kind=kind,
                required=required,
                moment="both",
                min_label=extra[0] if kind == SCALE else "",
                max_label=extra[1] if kind == SCALE else "",
                choices=list(extra) if kind == SINGLE else [],
            )
            for order, (text, help_text, kind, required, extra) in enumerate(questions, start=1)
        )


def remove_closure_questionnaires(apps, schema_editor):
    Questionnaire = apps.get_model("evaluations", "Questionnaire")
    Response = apps.get_model("evaluations", "Response")
    for family in FAMILIES:
        unanswered = Questionnaire.objects.filter(family=family, version=1).exclude(
            pk__in=Response.objects.values("questionnaire")
        )
        for questionnaire in unanswered:
            questionnaire.questions.all().delete()
            questionnaire.delete()


def grant_interview_permissions(apps, schema_editor):
    create_permissions(global_apps.get_app_config("evaluations"), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    interview = Permission.objects.filter(
        content_type__app_label="evaluations", content_type__model__in=INTERVIEW_MODELS
    )
    for coordinators in Group.objects.filter(name=COORDINATORS_GROUP):
        coordinators.permissions.add(*interview)
    for referents in Group.objects.filter(name=REFERENTS_GROUP):
        referents.permissions.add(*interview.filter(codename__startswith="view_"))


def revoke_interview_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    interview = Permission.objects.filter(
        content_type__app_label="evaluations", content_type__model__in=INTERVIEW_MODELS
    )
    for group in Group.objects.filter(name__in=[COORDINATORS_GROUP, REFERENTS_GROUP]):
        group.permissions.remove(*interview)


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0006_closure_questionnaire_and_interview"),
        ("users", "0002_staff_groups"),
    ]

    operations = [
        migrations.RunPython(create_closure_questionnaires, remove_closure_questionnaires),
        migrations.RunPython(grant_interview_permissions, revoke_interview_permissions),
    ]
