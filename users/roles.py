"""Staff roles. A coordinator runs the programme and sees everything in it; a référent sees
the mentors assigned to them and their pairs. (The staff admin issue turns these into groups
with exact permissions.)"""

COORDINATORS_GROUP = "coordinateurs"


def is_coordinator(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and (user.is_superuser or user.groups.filter(name=COORDINATORS_GROUP).exists())
    )
