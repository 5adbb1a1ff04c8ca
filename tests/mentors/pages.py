"""The mentor's admin page, sent back as it was shown with a few changes typed."""

from django.urls import reverse


def post_the_mentor_s_page(client, mentor, **changes):
    """POST the mentor's change page with its initial values, `changes` typed over them (form
    field names, inline fields included), and no inline row unless `changes` adds one."""
    url = reverse("admin:mentors_mentor_change", args=[mentor.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value is not None
    }
    data.update(
        {
            "phone": "+33612345678",
            "help_topics": mentor.help_topics,
            "sectors_to_share": mentor.sectors_to_share,
            "availability": mentor.availability,
            "languages": mentor.languages,
            "screenings-TOTAL_FORMS": "0",
            "screenings-INITIAL_FORMS": "0",
            **changes,
        }
    )
    return client.post(url, data)
