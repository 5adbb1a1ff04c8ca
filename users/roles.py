"""Staff roles. A coordinator runs the programme and sees everything in it; a référent sees
the mentors assigned to them and their pairs. Both are groups, created with their exact
permissions by the migration users/0002_staff_groups."""

COORDINATORS_GROUP = "coordinateurs"
REFERENTS_GROUP = "référents"
# Prescribers (a school, a Mission Locale, a child-welfare or social-work service) refer young
# people: not staff, their own space (prescribers/), the second factor as staff.
PRESCRIBERS_GROUP = "prescripteurs"


def is_coordinator(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and (user.is_superuser or user.groups.filter(name=COORDINATORS_GROUP).exists())
    )


def is_referent(user) -> bool:
    """An active staff member of the référents' group (a coordinator may be one too)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.groups.filter(name=REFERENTS_GROUP).exists()
    )


def is_prescriber(user) -> bool:
    """An active account of the prescribers' group (prescribers/0002 creates it)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.groups.filter(name=PRESCRIBERS_GROUP).exists()
    )


# The session marks a prescriber at login, so that every page's menu shows their space without
# a query on the groups.
PRESCRIBER_SESSION_KEY = "prescriber"


def note_member_role(sender, request, user, **kwargs) -> None:
    """At login (signal user_logged_in): a prescriber is marked in the session."""
    if request is not None and not user.is_staff and is_prescriber(user):
        request.session[PRESCRIBER_SESSION_KEY] = True
