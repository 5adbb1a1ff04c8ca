from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from .enums import ESSENTIAL_KINDS, ReminderKind, ReminderStatus
from .models import Reminder, ReminderPreference

RECEIVED_PER_PAGE = 50


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = ReminderPreference
        fields = ["frequency"]
        labels = {"frequency": "Fréquence des rappels facultatifs"}
        widgets = {"frequency": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Enregistrer"))


@login_required
def preferences(request):
    preference = ReminderPreference.objects.filter(user=request.user).first()
    # Unsaved until the person chooses: having no row means the default frequency.
    preference = preference or ReminderPreference(user=request.user)
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Préférences de rappels enregistrées.")
        return redirect("reminders:preferences")
    essential = [kind.label for kind in ReminderKind if kind in ESSENTIAL_KINDS]
    return render(
        request, "reminders/preferences.html", {"form": form, "essential_kinds": essential}
    )


@login_required
def received(request):
    # One query per page (plus the count): the list reads nothing beyond the reminder rows.
    reminders = (
        Reminder.objects.filter(recipient=request.user, status=ReminderStatus.SENT)
        .only("kind", "sent_at")
        .order_by("-sent_at", "-pk")
    )
    page = Paginator(reminders, RECEIVED_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "reminders/received.html", {"page": page})
