"""French postal codes and départements."""

import re

from django.core.exceptions import ValidationError

POSTAL_CODE_RE = re.compile(r"^\d{5}$")
# Overseas départements use three digits (971 Guadeloupe … 976 Mayotte).
OVERSEAS_PREFIXES = {"971", "972", "973", "974", "976"}


def department_from_postal_code(postal_code: str) -> str | None:
    """Return the département code of a French postal code, or None if it is not one."""
    postal_code = (postal_code or "").strip()
    if not POSTAL_CODE_RE.match(postal_code):
        return None
    prefix = postal_code[:2]
    if prefix == "00" or prefix == "96":
        return None
    if prefix == "20":
        # Corsica: 200xx–201xx is Corse-du-Sud, 202xx–206xx Haute-Corse.
        return "2A" if int(postal_code[2]) <= 1 else "2B"
    if prefix == "97":
        return postal_code[:3] if postal_code[:3] in OVERSEAS_PREFIXES else None
    if prefix in {"98", "99"}:
        return None
    return prefix


def validate_postal_code(value: str) -> None:
    if department_from_postal_code(value) is None:
        raise ValidationError(
            "Saisissez un code postal français à 5 chiffres (par exemple 93200).",
            code="invalid_postal_code",
        )


# The départements' names, for the staff's lists (« 93 – Seine-Saint-Denis »). The same codes
# as matching's neighbours file (tests/antennes/test_departments.py checks it).
DEPARTMENT_NAMES = {
    "01": "Ain",
    "02": "Aisne",
    "03": "Allier",
    "04": "Alpes-de-Haute-Provence",
    "05": "Hautes-Alpes",
    "06": "Alpes-Maritimes",
    "07": "Ardèche",
    "08": "Ardennes",
    "09": "Ariège",
    "10": "Aube",
    "11": "Aude",
    "12": "Aveyron",
    "13": "Bouches-du-Rhône",
    "14": "Calvados",
    "15": "Cantal",
    "16": "Charente",
    "17": "Charente-Maritime",
    "18": "Cher",
    "19": "Corrèze",
    "2A": "Corse-du-Sud",
    "2B": "Haute-Corse",
    "21": "Côte-d'Or",
    "22": "Côtes-d'Armor",
    "23": "Creuse",
    "24": "Dordogne",
    "25": "Doubs",
    "26": "Drôme",
    "27": "Eure",
    "28": "Eure-et-Loir",
    "29": "Finistère",
    "30": "Gard",
    "31": "Haute-Garonne",
    "32": "Gers",
    "33": "Gironde",
    "34": "Hérault",
    "35": "Ille-et-Vilaine",
    "36": "Indre",
    "37": "Indre-et-Loire",
    "38": "Isère",
    "39": "Jura",
    "40": "Landes",
    "41": "Loir-et-Cher",
    "42": "Loire",
    "43": "Haute-Loire",
    "44": "Loire-Atlantique",
    "45": "Loiret",
    "46": "Lot",
    "47": "Lot-et-Garonne",
    "48": "Lozère",
    "49": "Maine-et-Loire",
    "50": "Manche",
    "51": "Marne",
    "52": "Haute-Marne",
    "53": "Mayenne",
    "54": "Meurthe-et-Moselle",
    "55": "Meuse",
    "56": "Morbihan",
    "57": "Moselle",
    "58": "Nièvre",
    "59": "Nord",
    "60": "Oise",
    "61": "Orne",
    "62": "Pas-de-Calais",
    "63": "Puy-de-Dôme",
    "64": "Pyrénées-Atlantiques",
    "65": "Hautes-Pyrénées",
    "66": "Pyrénées-Orientales",
    "67": "Bas-Rhin",
    "68": "Haut-Rhin",
    "69": "Rhône",
    "70": "Haute-Saône",
    "71": "Saône-et-Loire",
    "72": "Sarthe",
    "73": "Savoie",
    "74": "Haute-Savoie",
    "75": "Paris",
    "76": "Seine-Maritime",
    "77": "Seine-et-Marne",
    "78": "Yvelines",
    "79": "Deux-Sèvres",
    "80": "Somme",
    "81": "Tarn",
    "82": "Tarn-et-Garonne",
    "83": "Var",
    "84": "Vaucluse",
    "85": "Vendée",
    "86": "Vienne",
    "87": "Haute-Vienne",
    "88": "Vosges",
    "89": "Yonne",
    "90": "Territoire de Belfort",
    "91": "Essonne",
    "92": "Hauts-de-Seine",
    "93": "Seine-Saint-Denis",
    "94": "Val-de-Marne",
    "95": "Val-d'Oise",
    "971": "Guadeloupe",
    "972": "Martinique",
    "973": "Guyane",
    "974": "La Réunion",
    "976": "Mayotte",
}


def department_label(code: str) -> str:
    """« 93 – Seine-Saint-Denis »; the bare code when unknown."""
    name = DEPARTMENT_NAMES.get(code)
    return f"{code} – {name}" if name else code


def department_choices() -> list[tuple[str, str]]:
    return [(code, department_label(code)) for code in DEPARTMENT_NAMES]
