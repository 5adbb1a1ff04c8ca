"""The staff's navigation in the admin header: each role's own pages, one click away from
anywhere in the back office. Built once per request by the admin site's `each_context`."""

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.urls import reverse

from users.scopes import staff_scope


@dataclass(frozen=True)
class StaffRoles:
    coordinator: bool = False
    referent: bool = False


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    current: bool = False


def staff_roles(request) -> StaffRoles:
    """The request's user's roles, read once per request (users.scopes.staff_scope: one query
    on their groups and antenne, none for a superuser). A superuser counts as a coordinator
    (as in users.roles) and is not asked whether they are also a référent: the admin pages of
    a superuser cost no query on the groups, and the navigation keeps it so (the staff home
    asks it)."""
    scope = staff_scope(request.user)
    return StaffRoles(coordinator=scope.coordinator, referent=scope.referent)


def _with_query(name: str, fragment: str = "", **params) -> str:
    url = reverse(name)
    if params:
        url += f"?{urlencode(params)}"
    return f"{url}#{fragment}" if fragment else url


# A list's sort order is not part of what it shows: a sorted list is still that page.
IGNORED_PARAMS = {"o", "p"}


def _is_current(url: str, request) -> bool:
    """The link of the page being shown: same path, and the link's filters all applied. A
    link to a section of a page (#...) is never the page itself."""
    parts = urlsplit(url)
    if parts.fragment or parts.path != request.path:
        return False
    wanted = {key: value for key, value in parse_qsl(parts.query) if key not in IGNORED_PARAMS}
    shown = {key: value for key, value in request.GET.items() if key not in IGNORED_PARAMS}
    return wanted == shown


def _coordinator_links(roles: StaffRoles) -> list[tuple[str, str]]:
    links = [
        ("Accueil", reverse("admin:staff_home")),
        ("Tableau de bord", reverse("admin:dashboard")),
        ("Bilan", reverse("admin:bilan")),
    ]
    if roles.referent:
        links.append(("Mon suivi de référent", reverse("admin:referent_home")))
    links += [
        ("Appariement par lot", reverse("admin:matching_matchingbatch_start")),
        ("Jeunes à examiner", _with_query("admin:mentees_mentee_changelist", a_examiner="oui")),
        ("Mentors à examiner", _with_query("admin:mentors_mentor_changelist", a_examiner="oui")),
        # The coming sessions first (the list's own default order).
        ("Formations", reverse("admin:mentors_trainingsession_changelist")),
        ("Exports", _with_query("admin:dashboard", fragment="exports")),
    ]
    return links


def _referent_links() -> list[tuple[str, str]]:
    return [
        ("Mon suivi", reverse("admin:referent_home")),
        ("Mes binômes", reverse("admin:matching_mentorship_changelist")),
        (
            "Mes séances à suivre",
            # The référent's queue, oldest first (as on their home page).
            _with_query("admin:mentoring_sessions_session_changelist", suivi="attente", o="2"),
        ),
        ("Exports", _with_query("admin:referent_home", fragment="exports")),
    ]


def staff_nav(request) -> list[NavLink]:
    """The links of the request's user's role, the current page's marked; none for staff
    with no role (nor for anybody not logged in)."""
    nav = getattr(request, "_staff_nav", None)
    if nav is None:
        roles = staff_roles(request)
        if roles.coordinator:
            links = _coordinator_links(roles)
        elif roles.referent:
            links = _referent_links()
        else:
            links = []
        nav = [NavLink(label, url, _is_current(url, request)) for label, url in links]
        request._staff_nav = nav
    return nav
