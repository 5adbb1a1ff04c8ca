"""A référent sees in the admin only the mentors assigned to them and what belongs to those
mentors' pairs: lists, detail pages, search, filters and autocomplete all read through
`get_queryset`. A URL to anything else answers 404 (Django's own answer to a missing object is
a redirect to the index, which would tell the object exists elsewhere)."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404

from .roles import is_coordinator, is_referent


def is_scoped(request) -> bool:
    """Whether the admin shows the request's user only their own mentors' objects. Asked
    once per request (a page reads several querysets); a superuser costs no query."""
    if not hasattr(request, "_referent_scoped"):
        user = request.user
        request._referent_scoped = not is_coordinator(user) and is_referent(user)
    return request._referent_scoped


class ReferentScopedAdmin:
    """Mixed into a ModelAdmin (before it). `referent_scope` is the ORM path from the model
    to the mentor's référent; `referent_scope_distinct` when that path crosses a to-many
    relation (a row could otherwise appear once per pair)."""

    referent_scope: str = ""
    referent_scope_distinct: bool = False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not is_scoped(request):
            return queryset
        if self.referent_scope_distinct:
            # A subquery rather than DISTINCT: the list keeps its annotations and ordering.
            scoped = queryset.model._default_manager.filter(
                **{self.referent_scope: request.user}
            ).values("pk")
            return queryset.filter(pk__in=scoped)
        return queryset.filter(**{self.referent_scope: request.user})

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        if is_scoped(request):
            raise Http404(f"{opts.verbose_name} introuvable.")
        return super()._get_obj_does_not_exist_redirect(request, opts, object_id)

    def _require_in_scope(self, request, object_id) -> None:
        # django-simple-history's views read an object missing from get_queryset from its
        # history rows instead: without this, a référent could read anyone's history.
        if not is_scoped(request):
            return
        try:
            found = self.get_queryset(request).filter(pk=unquote(object_id)).exists()
        except (ValueError, ValidationError):
            found = False
        if not found:
            raise Http404(f"{self.opts.verbose_name} introuvable.")

    def history_view(self, request, object_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)
