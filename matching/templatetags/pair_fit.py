"""`{% load pair_fit %}`: `{% for line in mentorship|fit_summary %}` in members' pages and
e-mails, never the staff's explanation."""

from django import template

from matching.presentation import fit_summary as summarise

register = template.Library()


@register.filter
def fit_summary(mentorship) -> list[str]:
    return summarise(mentorship.mentee, mentorship.mentor)
