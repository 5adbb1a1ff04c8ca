"""A browser's user-agent string in a few words (« Chrome sur Android »): what a person
recognises of their own logins. A small table rather than a library: the page needs the
browser's and the system's names only, never versions or devices."""

# Order matters: most browsers also claim to be the ones they derive from (Edge and Opera say
# Chrome, Chrome says Safari), so the specific names come first.
BROWSERS = [
    ("Edg", "Edge"),
    ("OPR/", "Opera"),
    ("Opera", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("YaBrowser/", "Yandex"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Safari/", "Safari"),
    ("MSIE ", "Internet Explorer"),
    ("Trident/", "Internet Explorer"),
]
# iPhones and iPads also say « like Mac OS X », Android says Linux: those come first.
SYSTEMS = [
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("CrOS", "ChromeOS"),
    ("Windows", "Windows"),
    ("Macintosh", "macOS"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
]
UNKNOWN = "Navigateur inconnu"


def _first(user_agent: str, table) -> str | None:
    return next((name for marker, name in table if marker in user_agent), None)


def browser_summary(user_agent: str | None) -> str:
    """« Chrome sur Android », « Safari sur iPhone », « Firefox » (system unknown),
    « Navigateur inconnu »."""
    user_agent = user_agent or ""
    browser = _first(user_agent, BROWSERS)
    system = _first(user_agent, SYSTEMS)
    if browser and system:
        return f"{browser} sur {system}"
    if browser:
        return browser
    if system:
        return f"Navigateur inconnu sur {system}"
    return UNKNOWN
