"""The admin shows each staff member the rows of their scope (users.scopes.staff_scope): a
national coordinator everything, an antenne coordinator the people and pairs of their antenne,
a référent the mentors assigned to them and what belongs to those mentors' pairs. Lists,
detail pages, search, filters, actions, autocomplete, the choices of a form's related fields
and the admins' own views all read through `get_queryset`. A URL to anything else answers 404
(Django's own answer to a missing object is a redirect to the index, which would tell the
object exists elsewhere).

What is the national team's alone (the antennes, the accounts, the login logs…) is
`NationalOnlyAdmin`: absent from the index of anybody else, 403 on its URLs."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404

from .scopes import staff_scope


def is_scoped(request) -> bool:
    """Whether the admin shows the request's user less than the whole programme. Read from
    the user's scope, memoised on the user: no query once the page has asked it (the header's
    navigation does), none for a superuser."""
    return not staff_scope(request.user).national


def crosses_many(model, path: str) -> bool:
    """Whether the ORM path from `model` goes through a to-many relation (a row could then
    match once per related row)."""
    for name in path.split("__"):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return False
        if field.many_to_many or field.one_to_many:
            return True
        if not field.is_relation:
            return False
        model = field.related_model
    return False


def _filtered(queryset, condition: Q, paths):
    if any(crosses_many(queryset.model, path) for path in paths):
        # A subquery rather than DISTINCT: the list keeps its annotations and ordering.
        inner = queryset.model._default_manager.filter(condition).values("pk")
        return queryset.filter(pk__in=inner)
    return queryset.filter(condition)


def rows_in_scope(request, queryset, *, referent: str = "", antenne: tuple[str, ...] = ()):
    """`queryset` limited to the request's user's scope: `antenne` are the ORM paths to an
    antenne (OR-ed: a pair is the antenne's if the young person's or the mentor's is),
    `referent` the path to the mentor's référent. Nothing for a scope the admin names no path
    for."""
    scope = staff_scope(request.user)
    if scope.national:
        return queryset
    if scope.antenne_scoped:
        return _filtered(queryset, scope.q(*antenne), antenne)
    # A référent, or staff in neither group given permissions one by one: the rows of the
    # mentors they follow (as matching.selectors.mentorships_visible_to).
    if referent:
        return _filtered(queryset, Q(**{referent: request.user}), [referent])
    return queryset.none()


class ScopedAdmin:
    """Mixed into a ModelAdmin (before it). `referent_scope` is the ORM path from the model to
    the mentor's référent (none: a référent sees nothing here); `antenne_scope` the paths to
    an antenne (users.scopes `StaffScope.within`: none, an antenne coordinator sees nothing
    here). An admin whose rows are reached otherwise overrides `referent_rows` or
    `antenne_rows`. A path through a to-many relation is read as a subquery, so that a row
    appears once."""

    referent_scope: str = ""
    antenne_scope: tuple[str, ...] = ()

    def get_queryset(self, request):
        return self.scope_queryset(request, super().get_queryset(request))

    def scope_queryset(self, request, queryset):
        """Any queryset of the model, limited to the request's user's scope."""
        scope = staff_scope(request.user)
        if scope.national:
            return queryset
        if scope.antenne_scoped:
            return self.antenne_rows(request, queryset)
        # A référent, or staff in neither group given permissions one by one.
        return self.referent_rows(request, queryset)

    def antenne_rows(self, request, queryset):
        scope = staff_scope(request.user)
        paths = self.antenne_scope
        if any(crosses_many(queryset.model, path) for path in paths):
            inner = scope.within(queryset.model._default_manager.all(), *paths).values("pk")
            return queryset.filter(pk__in=inner)
        return scope.within(queryset, *paths)

    def referent_rows(self, request, queryset):
        return rows_in_scope(request, queryset, referent=self.referent_scope)

    # The choices of a related field are the rows its own admin shows: an antenne
    # coordinator neither sees nor picks (by a forged id) a mentor of another antenne.

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self._scope_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._scope_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _scope_choices(self, db_field, request, kwargs) -> None:
        if "queryset" in kwargs or not is_scoped(request):
            return
        queryset = scoped_choices(self.admin_site, request, db_field.remote_field.model)
        if queryset is not None:
            ordered = self.get_field_queryset(kwargs.get("using"), db_field, request)
            if ordered is not None:
                queryset = queryset.order_by(*ordered.query.order_by)
            kwargs["queryset"] = queryset

    # Another scope's object answers 404, on every page of the object.

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        if is_scoped(request):
            raise Http404(f"{opts.verbose_name} introuvable.")
        return super()._get_obj_does_not_exist_redirect(request, opts, object_id)

    def _require_in_scope(self, request, object_id) -> None:
        # The permission first, as on Django's other pages: without it, 403 for any object
        # (which tells nothing of where the object is); with it, 404 outside the scope.
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        if not is_scoped(request):
            return
        try:
            found = self.get_queryset(request).filter(pk=unquote(object_id)).exists()
        except (ValueError, ValidationError):
            found = False
        if not found:
            raise Http404(f"{self.opts.verbose_name} introuvable.")

    # django-simple-history's views read an object missing from get_queryset from its history
    # rows instead: without this, anybody scoped could read anyone's history. (The delete
    # page needs nothing: Django asks the permission, then answers a missing object with
    # `_get_obj_does_not_exist_redirect`.)

    def history_view(self, request, object_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


# The name the pairs' admin (matching/admin.py) imports.
ReferentScopedAdmin = ScopedAdmin


def scoped_choices(admin_site, request, model):
    """The rows of `model` its admin shows the request's user, as choices of a related field
    (without the list's annotations); None when that admin is not scoped."""
    related_admin = admin_site._registry.get(model)
    if not isinstance(related_admin, ScopedAdmin):
        return None
    return related_admin.scope_queryset(request, model._default_manager.all())


class NationalOnlyAdmin:
    """Mixed into a ModelAdmin (before it): the national team's alone. Anybody with a
    narrower scope (an antenne coordinator, whose group has the same permissions) does not
    see it in the index and gets 403 on its URLs."""

    def _national(self, request) -> bool:
        return staff_scope(request.user).national

    def has_module_permission(self, request):
        return self._national(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._national(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return self._national(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return self._national(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._national(request) and super().has_delete_permission(request, obj)
