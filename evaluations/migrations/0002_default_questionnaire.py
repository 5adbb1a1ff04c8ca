"""The programme's default French self-assessment questionnaire (version 1)."""

from django.db import migrations

SCALE = "scale"
AGREE = ("Pas du tout", "Tout à fait")

# (text, help text, kind, required, moment, (min label, max label) or choices)
QUESTIONS = [
    (
        "Je connais le monde professionnel (métiers, entreprises, codes).",
        "",
        SCALE,
        True,
        "both",
        AGREE,
    ),
    ("J'ai confiance en moi.", "", SCALE, True, "both", AGREE),
    ("Je connais mes qualités et mes talents.", "", SCALE, True, "both", AGREE),
    (
        "Mon projet d'orientation ou mon projet professionnel est clair.",
        "",
        SCALE,
        True,
        "both",
        AGREE,
    ),
    (
        "Je suis à l'aise avec le savoir-être attendu : ponctualité, présentation, communication.",
        "",
        SCALE,
        True,
        "both",
        AGREE,
    ),
    (
        "J'ai des personnes à qui demander de l'aide pour mon parcours (réseau).",
        "",
        SCALE,
        True,
        "both",
        AGREE,
    ),
    (
        "J'ai confiance dans ma capacité à trouver un stage, une alternance ou un emploi.",
        "",
        SCALE,
        True,
        "both",
        AGREE,
    ),
    (
        "Sur quoi voulez-vous avancer en priorité ?",
        "Une seule réponse.",
        "single_choice",
        True,
        "start",
        [
            "Mon orientation",
            "Trouver un stage",
            "Trouver une alternance",
            "Trouver un emploi",
            "Prendre confiance en moi",
            "Découvrir des métiers",
        ],
    ),
    ("Qu'attendez-vous de votre mentor ?", "", "long_text", True, "start", None),
    ("Qu'est-ce qui a changé pour vous grâce au mentorat ?", "", "long_text", True, "end", None),
    (
        "Qu'avez-vous obtenu pendant le mentorat ?",
        "Plusieurs réponses possibles.",
        "multiple_choice",
        False,
        "end",
        [
            "Un stage",
            "Une alternance",
            "Un emploi",
            "Une formation",
            "Un projet plus clair",
            "Rien de tout cela pour l'instant",
        ],
    ),
    ("En un mot, comment décririez-vous votre mentorat ?", "", "short_text", False, "end", None),
]


def create_default(apps, schema_editor):
    Questionnaire = apps.get_model("evaluations", "Questionnaire")
    Question = apps.get_model("evaluations", "Question")
    if Questionnaire.objects.filter(family="auto-evaluation").exists():
        return
    questionnaire = Questionnaire.objects.create(
        family="auto-evaluation",
        version=1,
        title="Questionnaire d'auto-évaluation",
        introduction=(
            "Ce questionnaire vous aide, vous et votre mentor, à mesurer le chemin parcouru. "
            "Il n'y a pas de bonne ou de mauvaise réponse. Votre mentor le lira une fois "
            "envoyé ; vous pouvez l'enregistrer et le finir plus tard."
        ),
        is_current=True,
    )
    for order, (text, help_text, kind, required, moment, extra) in enumerate(QUESTIONS, start=1):
        labels = extra if kind == SCALE else ("", "")
        Question.objects.create(
            questionnaire=questionnaire,
            order=order,
            text=text,
            help_text=help_text,
            kind=kind,
            required=required,
            moment=moment,
            min_label=labels[0],
            max_label=labels[1],
            choices=list(extra) if kind in ("single_choice", "multiple_choice") else [],
        )


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial")]

    operations = [migrations.RunPython(create_default, migrations.RunPython.noop)]
