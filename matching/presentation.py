"""What members are told about why their pair fits.

The stored explanation (`Mentorship.explanation`) is written for staff: every criterion, the
ones that failed too (« ✗ aide à la confiance en soi : non »). A member reads only what the two
people share, in plain words, worded the same for the mentor and the young person so that it
needs no form of address."""

from users.enums import Availability, HelpTopic, Language, Sector


def _names(values, choices) -> list[str]:
    labels = dict(choices.choices)
    return [labels[value].lower() for value in values if value in labels]


def _shared(wanted, offered) -> list:
    """The wanted values also offered, in the wanted order, once each."""
    offered = set(offered or [])
    return list(dict.fromkeys(value for value in wanted or [] if value in offered))


def _plural(count: int, singular: str, plural: str) -> str:
    return singular if count == 1 else plural


def fit_summary(mentee, mentor) -> list[str]:
    """The matched criteria of a pair as short sentences, e.g. « Secteur en commun :
    numérique ». Empty when nothing matched (the team formed the pair for other reasons)."""
    lines = []
    topics = _names(_shared(mentee.needs, mentor.help_topics), HelpTopic)
    if topics:
        lines.append(f"Accompagnement possible pour : {', '.join(topics)}")
    sectors = _names(
        _shared(mentee.sectors_of_interest, [*(mentor.sectors_to_share or []), mentor.sector]),
        Sector,
    )
    if sectors:
        word = _plural(len(sectors), "Secteur en commun", "Secteurs en commun")
        lines.append(f"{word} : {', '.join(sectors)}")
    if mentee.department and mentee.department == mentor.department:
        lines.append(f"Même département : {mentee.department}")
    slots = _names(_shared(mentee.availability, mentor.availability), Availability)
    if slots:
        word = _plural(len(slots), "Disponibilité commune", "Disponibilités communes")
        lines.append(f"{word} : {', '.join(slots)}")
    languages = _names(_shared(mentee.languages, mentor.languages), Language)
    if languages:
        word = _plural(len(languages), "Langue commune", "Langues communes")
        lines.append(f"{word} : {', '.join(languages)}")
    return lines
