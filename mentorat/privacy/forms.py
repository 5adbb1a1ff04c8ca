from django import forms

from .enums import ErasureReason


class AnonymiseForm(forms.Form):
    reason = forms.ChoiceField(
        label="Motif de l'anonymisation",
        choices=ErasureReason.choices,
        initial=ErasureReason.REQUEST,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez le motif de l'anonymisation."},
    )
    confirm = forms.BooleanField(
        label="Je confirme : les données de cette personne seront effacées définitivement.",
        error_messages={"required": "Cochez la case pour confirmer l'anonymisation."},
    )
