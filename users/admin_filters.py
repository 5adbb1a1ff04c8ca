"""List filters shared by the apps' admins."""

from django.contrib import admin
from django.db.models import Q


class YesNoFilter(admin.SimpleListFilter):
    """A list filter with two choices, « Oui » (the rows that meet `condition`) and « Non »
    (the others), in the parameters' one language: `?<parameter_name>=oui` or `=non`."""

    YES = "oui"
    NO = "non"
    yes_label = "Oui"
    no_label = "Non"

    def condition(self) -> Q:
        """The rows « Oui » shows, asked when the list is read (it may depend on today)."""
        raise NotImplementedError

    def lookups(self, request, model_admin):
        return [(self.YES, self.yes_label), (self.NO, self.no_label)]

    def queryset(self, request, queryset):
        if self.value() == self.YES:
            return queryset.filter(self.condition())
        if self.value() == self.NO:
            return queryset.exclude(self.condition())
        return queryset
