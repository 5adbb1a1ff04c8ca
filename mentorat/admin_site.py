import unicodedata

from django.contrib import admin

# The sections of the admin index and sidebar, in the order of the programme's work; any
# other app follows, and the technical models come last, in one section of their own.
SECTION_ORDER = [
    "mentees",
    "mentors",
    "matching",
    "mentoring_sessions",
    "evaluations",
    "reminders",
    "users",
    "privacy",
]
TECHNICAL_SECTION = "technique"
# The libraries' models (login attempts, second-factor devices) and the staff's groups:
# what keeps the back office running, not the programme. Named in French, by what they are.
# The RGPD traces (the privacy app's erasure and data-access records) are not among them:
# they are the programme's register of its duties to the people it holds data on, read by
# coordinators answering a request, in their own section right after the accounts.
TECHNICAL_MODELS = {
    "axes.accessattempt": "Tentatives de connexion",
    "axes.accessfailurelog": "Échecs de connexion",
    "axes.accesslog": "Journal des connexions",
    # django-otp's devices, under their French-named proxy (users/models.py).
    "users.authenticatordevice": "Appareils d'authentification",
    "auth.group": "Groupes et permissions du personnel",
}
TECHNICAL_TITLE = "Technique : connexions, appareils d'authentification et groupes"
# What a référent (who is not a coordinator) works with: their pairs, sessions, mentors,
# young people, questionnaires and exchanges. The rest of what their group may read (the
# questionnaires' versions, planned meetings) has no use on their index.
REFERENT_MODELS = {
    "matching.mentorship",
    "mentoring_sessions.session",
    "mentors.mentor",
    "mentees.mentee",
    "evaluations.response",
    "mentors.exchange",
}


def _label(model) -> str:
    return model._meta.label_lower


def _alphabetical(name: str) -> str:
    # « Échecs » among the E, not after the Z.
    return unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().lower()


class MentoratAdminSite(admin.AdminSite):
    """The staff's back office: Django's admin plus the coordinator's staff home, the
    référent's home and the dashboard, wrapped in the admin's login and permission checks,
    with a navigation per role in the header."""

    site_header = "Mentorat — administration"
    site_title = "Mentorat"
    index_title = "Programme de mentorat"

    def has_permission(self, request):
        # A coordinator's session counts only once their second factor is verified.
        from users.two_factor import second_factor_missing

        return super().has_permission(request) and not second_factor_missing(request.user)

    def login(self, request, extra_context=None):
        # Signed in with the password but not yet the code: on to the second factor, rather
        # than the admin's "not authorised" login form.
        from django.shortcuts import redirect
        from django.urls import reverse

        from users.two_factor import second_factor_missing, second_factor_url

        user = request.user
        if user.is_active and user.is_staff and second_factor_missing(user):
            next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
            return redirect(second_factor_url(user, next_url=next_url))
        return super().login(request, extra_context)

    def each_context(self, request):
        from .staff.navigation import staff_nav, staff_roles

        context = super().each_context(request)
        # Cached on the request: each page asks several times (its own context, the sidebar).
        context["staff_nav"] = staff_nav(request) if context["has_permission"] else []
        context["staff_roles"] = staff_roles(request)
        return context

    def get_app_list(self, request, app_label=None):
        """The programme's sections in the order of its work, the technical models in one
        French section at the end (for whoever may see them: superusers, in practice), and
        for a référent only what they work with. An app's own page (/admin/axes/) shows its
        technical models in that section too."""
        from .staff.navigation import staff_roles

        wanted = None if app_label in (None, TECHNICAL_SECTION) else app_label
        app_dict = self._build_app_dict(request, wanted)
        roles = staff_roles(request)
        if roles.referent and not roles.coordinator:
            app_dict = self._only(app_dict, REFERENT_MODELS)
        technical = self._technical_section(app_dict)
        if app_label == TECHNICAL_SECTION:
            return [technical] if technical else []
        # What is left of each app once its technical models are in their section.
        sections = [
            {**app, "models": models}
            for app in app_dict.values()
            if (models := [m for m in app["models"] if _label(m["model"]) not in TECHNICAL_MODELS])
        ]
        order = {label: index for index, label in enumerate(SECTION_ORDER)}
        sections.sort(
            key=lambda app: (order.get(app["app_label"], len(order)), _alphabetical(app["name"]))
        )
        for section in sections:
            section["models"].sort(key=lambda model: _alphabetical(model["name"]))
        if technical is not None:
            sections.append(technical)
        return sections

    @staticmethod
    def _only(app_dict, labels):
        kept = {}
        for app_label, app in app_dict.items():
            models = [model for model in app["models"] if _label(model["model"]) in labels]
            if models:
                kept[app_label] = {**app, "models": models}
        return kept

    def _technical_section(self, app_dict):
        from django.urls import reverse

        models = [
            {**model, "name": TECHNICAL_MODELS[_label(model["model"])]}
            for app in app_dict.values()
            for model in app["models"]
            if _label(model["model"]) in TECHNICAL_MODELS
        ]
        if not models:
            return None
        models.sort(key=lambda model: _alphabetical(model["name"]))
        return {
            "name": TECHNICAL_TITLE,
            "app_label": TECHNICAL_SECTION,
            "app_url": reverse("admin:technical_index", current_app=self.name),
            "has_module_perms": True,
            "models": models,
        }

    def technical_index(self, request):
        return self.app_index(request, TECHNICAL_SECTION)

    def get_urls(self):
        from django.urls import path

        from .privacy.admin_urls import admin_urlpatterns as privacy_urlpatterns
        from .staff.admin_urls import admin_urlpatterns as staff_urlpatterns

        # The staff's and the RGPD pages are the apps' own: each app lists them, wrapped in
        # this site's login and permission checks.
        return [
            *staff_urlpatterns(self),
            *privacy_urlpatterns(self),
            path(
                f"{TECHNICAL_SECTION}/",
                self.admin_view(self.technical_index),
                name="technical_index",
            ),
            *super().get_urls(),
        ]
